/**
 * Every knob of the ED rule, declared once. Symbols follow Kaneko (docs/ed-method.md maps them): α = lr,
 * β = beta, u0, u1. The presets (presets.ts) give every option a value; any can be overridden.
 */
import {
  choice,
  flag,
  fraction,
  integer,
  type NumberSpec,
  nonNegative,
  positive,
  validate,
  type Values,
} from './spec.js';

export const SEED_MAX = 0xffffffff;

export const ED_OPTIONS = {
  layers: integer(1, 256, 'hidden layers (Kaneko: 1)', 'Layers'),
  units: integer(1, 8192, 'units per hidden layer, excitatory and inhibitory alternating (16 is 8 + 8)', 'Units'),
  lr: positive('learning rate α', 1000, 'Learning rate'),
  beta: nonNegative('value β of the two bias units (one excitatory, one inhibitory) feeding every layer', 1000),
  u0: positive('sigmoid temperature: f(u) = 1 / (1 + exp(−2u / u0))', 1000),
  u1: nonNegative('amine diffusion factor: hidden units receive u1·d⁺ and u1·d⁻, the output unit d⁺ and d⁻', 1000),
  lrDecay: fraction('multiply α by this after every epoch (1: constant, as Kaneko)'),
  initMax: positive('initial |w| ~ U[0, initMax) (÷ units with initPerUnit)', 1000, 'Initial weight range'),
  initPerUnit: flag('divide the initial range by the units per layer (the seed article: 0 … 1/units)'),
  initScale: choice(
    ['none', 'sqrt-width'],
    "divide each layer's initial range by √(its width) (the seed author's later code: U[0, 1/√out)); 'none' " +
      'keeps initMax',
  ),
  inputInitMax: nonNegative(
    'initial |w| range of the input layer alone; 0 means initMax (0.01 keeps 784 inputs from saturating every unit)',
    1000,
  ),
  updateScale: choice(
    ['none', 'units+layers', 'units*layers', 'width'],
    "divide every update by this (the seed article: units + layers; width: each layer's own width, as the " +
      "seed author's later code)",
  ),
  batchReduce: choice(
    ['sum', 'mean'],
    "combine a batch's updates by their sum (the seed article) or their mean (Fujita)",
  ),
  derivative: choice(
    ['kaneko', 'true'],
    "learning derivative: Kaneko's y(1 − y), or the true derivative of f, y(1 − y)·2/u0",
  ),
  weightDecrement: flag(
    "Kaneko's weight-decrement mode: both sign families learn from every sample; weights may shrink and flip",
  ),
  firstHidden: choice(
    ['inhibitory', 'excitatory'],
    'type of the first hidden unit; the rest alternate (Kaneko: −, +, −, …)',
  ),
  // The article's open questions, each off by default (docs/ed-method.md, "Options").
  output: choice(
    ['sigmoid', 'softmax'],
    "class-network outputs: Kaneko's sigmoid, or linear outputs coupled by a softmax (e_k = onehot_k − softmax_k)",
  ),
  unitTypes: choice(
    ['alternate', 'random'],
    'hidden unit types: alternating (Kaneko), or each excitatory with probability ½ (drawn from typeSeed)',
  ),
  typeSeed: integer(0, SEED_MAX, 'seed of the random unit types'),
  connectivity: fraction(
    'fraction of connections that exist: 1 is full; below 1, a fixed random mask drawn from maskSeed',
  ),
  maskSeed: integer(0, SEED_MAX, 'seed of the connectivity mask'),
  lowering: choice(
    ['strengthen-inhibitory', 'weaken-excitatory'],
    'to lower the output: strengthen synapses from inhibitory sources (Kaneko), or weaken those from ' +
      'excitatory ones (never past zero)',
  ),
  initSign: choice(
    ['typed', 'any'],
    'initial weights: |w| ~ U[0, r) with the sign s_m·s_k (typed), or w ~ U(−r, r) whatever the types (any)',
  ),
  ternary: flag(
    'forward pass with ternary weights: s_m·s_k where |w| / mean|w| > 0.5, else 0; updates act on the float weights',
  ),
  ternaryBias: flag(
    'with ternary: quantise the bias weights too, the mean |w| taken over weights and biases (the seed ' +
      "author's code); off leaves biases in float",
  ),
  rmsNorm: flag("divide each hidden layer's pre-activations by their root mean square, per sample"),
  // Issue 21's width question: Kaneko gives every hidden unit of a network the same amine, so wider layers may
  // only learn more copies of the same unit. A fixed gain per unit makes them learn at different rates.
  gainSpread: {
    kind: 'number',
    min: 1,
    exclusiveMin: false,
    max: 1000,
    help:
      "research: each hidden unit's share of the amine × a fixed gain G^u, u ~ U[−1, 1) per unit (drawn from " +
      'typeSeed); 1 (Kaneko): every unit of a layer receives the same amine',
    label: 'Unit gain spread',
  } satisfies NumberSpec,
} as const;

export type EdOptions = Values<typeof ED_OPTIONS>;

export function validateEdOptions(o: unknown, what = 'ED options'): EdOptions {
  // Files written before gainSpread existed learned with every gain 1.
  const filled = typeof o === 'object' && o !== null && !Array.isArray(o) ? { gainSpread: 1, ...o } : o;
  return validate(ED_OPTIONS, filled, what);
}

/** The number the updates of a layer `width` units wide are divided by. */
export function updateDivisor(o: EdOptions, width: number): number {
  switch (o.updateScale) {
    case 'none':
      return 1;
    case 'units+layers':
      return o.units + o.layers;
    case 'units*layers':
      return o.units * o.layers;
    case 'width':
      return width;
  }
}
