/** The backprop baseline's options, declared once, with the Keras-like defaults the article's models used. */
import { ED_OPTIONS } from './ed.js';
import { choice, positive, validate, type Values } from './spec.js';

export const BACKPROP_OPTIONS = {
  layers: ED_OPTIONS.layers,
  units: ED_OPTIONS.units,
  activation: choice(['sigmoid', 'relu'], 'backprop hidden units'),
  /** Two-class output loss; more classes always use softmax + cross-entropy. */
  loss: choice(
    ['bce', 'mse', 'huber'],
    'backprop two-class loss (huber: a linear output, for action values; more classes: softmax + cross-entropy)',
  ),
  optimizer: choice(['adam', 'sgd'], 'backprop optimizer'),
  lr: ED_OPTIONS.lr,
  beta1: positive('Adam β1', 1),
  beta2: positive('Adam β2', 1),
  epsilon: positive('Adam ε', 1),
} as const;

export type BackpropOptions = Values<typeof BACKPROP_OPTIONS>;

/** Keras 3's Dense + Adam defaults; the article's layout of 3 × 16. */
export const BACKPROP_DEFAULTS: BackpropOptions = {
  layers: 3,
  units: 16,
  activation: 'sigmoid',
  loss: 'bce',
  optimizer: 'adam',
  lr: 0.001,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
};

export function validateBackpropOptions(o: unknown, what = 'backprop options'): BackpropOptions {
  return validate(BACKPROP_OPTIONS, o, what);
}
