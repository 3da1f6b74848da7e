/**
 * What a Model is made from: its options checked and resolved (createModel's, fit's keys), the data and accuracy a
 * model file records, the validation hold-out of fit, and a rule rebuilt for larger batches. Browser-safe.
 */
import { UserError } from '../errors.js';
import type { ModelHeader } from '../model/header.js';
import { classNameProblem } from '../model/class-names.js';
import { integer, nonNegative, validateGiven } from '../options/spec.js';
import type { Rule } from '../rules/rule.js';
import { buildRule, edLayoutOf, ruleChoiceOf } from '../train/build.js';
import { INPUT_OPTIONS, resolveConfig, type RuleChoice, type RunConfig, type TrainInput } from '../train/config.js';
import type { RunHeader } from '../log/events.js';
import type { TrainResult } from '../train/trainer.js';
import { checkArgument, checkOptions } from '../args.js';
import type { Images, Labels } from './arrays.js';
import type { Callback, EpochLogs } from './callbacks.js';

/** What createModel takes: any option of a run (rule, preset, seed, units, lr, batch, …) and the data's shape. */
export interface ModelOptions extends Omit<TrainInput, 'task' | 'digits' | 'bits' | 'data' | 'imbalance'> {
  /** Inputs per sample (default 784, a 28 × 28 image). */
  inputs?: number;
  /** Number of classes (default 10); two classes use one ED network whose output is P(class 1). */
  classes?: number;
  /** Names of the classes, for model files (default "0", "1", …). */
  classNames?: string[];
}

/** What a model file records of the data a model was trained on and how well it did. */
export interface TrainedOn {
  task: RunHeader['task'];
  accuracy: Pick<TrainResult, 'finalValAccuracy' | 'bestValAccuracy' | 'bestUpdate'>;
}

/** The keys fit takes; the api checks refuse any other (args.ts). */
export const FIT_KEYS = [
  'epochs',
  'batchSize',
  'validationSplit',
  'validationData',
  'shuffle',
  'callbacks',
  'onEpochEnd',
  'signal',
  'yieldEvery',
] as const;

/** Keys of a run's options that createModel does not take, and where they go instead. */
const NOT_MODEL_OPTIONS: Record<string, string> = {
  epochs: 'fit: model.fit(x, y, { epochs })',
  updates: 'fit: model.fit(x, y, { epochs })',
  order: 'fit: model.fit(x, y, { shuffle })',
  validation: 'fit: model.fit(x, y, { validationSplit })',
  evalEvery: 'fit (it evaluates once per epoch)',
  task: 'the data you pass to fit',
  digits: 'the data you pass to fit',
  bits: 'the data you pass to fit',
  data: 'the data you pass to fit',
  imbalance: 'the data you pass to fit',
  splitSeed: 'fit: model.fit(x, y, { validationSplit })',
  retrainFull: 'the edlearn train command',
};

/** The keys createModel takes. */
export const MODEL_KEYS = [
  ...Object.keys(INPUT_OPTIONS).filter((k) => !(k in NOT_MODEL_OPTIONS)),
  'inputs',
  'classes',
  'classNames',
];

export const FIT_OPTIONS = {
  epochs: integer(1, 1_000_000, 'passes over the training data'),
  batchSize: integer(1, 65536, 'samples per update'),
  validationSplit: nonNegative('last fraction of the samples held out for validation (0: none)', 1),
  yieldEvery: integer(0, 60_000, 'milliseconds between yields'),
};

/** The config a set of model options resolves to (browser: one thread). */
export function modelConfig(
  options: ModelOptions,
  threads = 1,
): { config: RunConfig; inputs: number; classes: number; classNames: string[] } {
  const {
    inputs = 784,
    classes = 10,
    classNames,
    ...input
  } = checkOptions('createModel', options, MODEL_KEYS, NOT_MODEL_OPTIONS) as ModelOptions;
  checkArgument(
    'createModel',
    'option classNames',
    classNames,
    'an array of strings',
    classNames === undefined || Array.isArray(classNames),
  );
  for (const [i, name] of (classNames ?? []).entries()) {
    const problem = classNameProblem(name);
    if (problem) throw new UserError(`createModel: classNames[${i}]: ${problem}`);
  }
  const shape = validateGiven(
    { inputs: integer(1, 1 << 24, 'inputs per sample'), classes: integer(2, 256, 'number of classes') },
    { inputs, classes },
    'createModel',
  );
  const config = resolveConfig({ ...input, task: 'all', data: 'arrays' }, { threads });
  const names = classNames ?? Array.from({ length: shape.classes! }, (_, i) => String(i));
  if (names.length !== classes) throw new UserError(`createModel: ${names.length} classNames for ${classes} classes`);
  return { config, inputs, classes, classNames: names };
}

/** The data and accuracy a model file's header records. */
export function trainedOn(h: ModelHeader): TrainedOn {
  const { name, inputs, classes, dataset, fingerprint } = h.task;
  return {
    task: { name, inputs, classes, train: 0, validation: 0, test: 0, dataset, fingerprint },
    accuracy: {
      finalValAccuracy: h.accuracy.final,
      bestValAccuracy: h.accuracy.best,
      bestUpdate: h.accuracy.bestUpdate,
    },
  };
}

/** Samples held out by validationSplit: none for 0, else at least one and at least one left to train on. */
export function heldOut(count: number, split: number): number {
  if (split === 0) return 0;
  const held = Math.round(count * split);
  if (held === 0)
    throw new UserError(
      `fit: validationSplit ${split} of ${count} samples holds out ${count * split} samples, which rounds to ` +
        `none; use a split of at least ${(0.5 / count).toPrecision(2)}, or 0 for no validation`,
    );
  if (held >= count) throw new UserError(`fit: validationSplit ${split} leaves no training samples out of ${count}`);
  return held;
}

/** The same rule and weights, built for batches up to maxBatch. */
export function withMaxBatch(rule: Rule, config: RunConfig, maxBatch: number): Rule {
  // The rule's own options: a loaded file's config may predate options that took their defaults.
  const choice: RuleChoice = ruleChoiceOf(rule, 'fit');
  const layout = edLayoutOf(rule);
  const grown = buildRule(
    {
      config: { ...choice, seed: config.seed, train: config.train },
      inputs: rule.inputs,
      classes: rule.classes,
      maxBatch,
      layout,
    },
    rule.backend,
  );
  const from = rule.parameters();
  grown.parameters().forEach((p, i) => p.set(from[i]));
  grown.parametersChanged();
  return grown;
}

export interface FitOptions {
  /** Passes over the training data (default 1). */
  epochs?: number;
  /** Samples per update, any size (default: the config's batch, e.g. 1 for kaneko-mnist, 64 for seed). */
  batchSize?: number;
  /** Hold out this last fraction of the samples for validation (before shuffling, as Keras does); 0: none. */
  validationSplit?: number;
  /** Or validate on these. */
  validationData?: [Images, Labels];
  /** Shuffle every epoch (default true, seeded by the model's seed); false keeps the given order. */
  shuffle?: boolean;
  /**
   * TF.js-style callbacks (onTrainBegin, onEpochBegin, onBatchBegin, onBatchEnd,
   * onEpochEnd, onTrainEnd), or an array of them.
   */
  callbacks?: Callback | Callback[];
  /** Shorthand for callbacks: { onEpochEnd } (called after the callbacks' own). */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  /** Aborting stops training after the current update; fit then resolves with the epochs done. */
  signal?: AbortSignal;
  /** Milliseconds of training between yields to the event loop (default 50), so that a page stays responsive. */
  yieldEvery?: number;
}

export function pickFit(o: FitOptions): Record<string, unknown> {
  return { epochs: o.epochs, batchSize: o.batchSize, validationSplit: o.validationSplit, yieldEvery: o.yieldEvery };
}
