/**
 * The one place a model is built: from a resolved RunConfig (and a dataset, for image tasks) to the task, the
 * rule with its initial weights, and the training options. The CLI, the model loader, the bench, the
 * experiments, the public API and the lab all come through here, so the same config and seed give the same
 * weights everywhere. Browser-safe: threads are added on top by the engine (Node only).
 */
import type { Dataset } from '../data/idx-dataset.js';
import { check, UserError } from '../errors.js';
import { holdOut } from '../data/holdout.js';
import { parseAugment } from '../data/augment.js';
import { buildTask, parityTask, parseDigits, subsampleClass, type Task } from '../data/tasks.js';
import type { Backend } from '../kernels/backend.js';
import type { EdOptions } from '../options/ed.js';
import { Random } from '../random.js';
import { BackpropClassifier, backpropParameterShapes } from '../rules/backprop.js';
import { EdEngine, type EdLayout } from '../engine/ed-engine.js';
import { edStackable, StackedEd } from '../engine/ed-stacked.js';
import { EdClassifier, edParameterShapes, type EdStorage } from '../rules/ed.js';
import type { Rule } from '../rules/rule.js';
import type { RuleChoice, RunConfig } from './config.js';
import type { TrainOptions } from './trainer.js';

export type { EdLayout } from '../engine/ed-engine.js';

/** The rule part of a config, with the shape of the data it takes. */
export interface RuleSpec {
  /** With the training batch when known: it decides the ED first layer's layout (edLayoutFor). */
  config: RuleChoice & Pick<RunConfig, 'seed'> & { train?: Pick<RunConfig['train'], 'batch'> };
  inputs: number;
  classes: number;
  /** Largest batch the rule learns or predicts at once (default: maxBatchFor of the training batch). */
  maxBatch: number;
  /** The engine's layout of the ED first layer, instead of edLayoutFor's choice (the bench times both). */
  layout?: EdLayout;
}

export interface BuiltRun {
  task: Task;
  rule: Rule;
  /** The loop's options from config.train and the seed; callbacks are the caller's to add. */
  train: TrainOptions;
}

/** Evaluation and prediction run in chunks of at least this many samples, whatever the training batch. */
const MIN_MAX_BATCH = 256;

/** The largest batch a rule is built for: the training batch, or MIN_MAX_BATCH for evaluation if larger. */
export function maxBatchFor(batch: number): number {
  return Math.max(batch, MIN_MAX_BATCH);
}

/**
 * The random stream of the initial weights: a fork of the run's seed, so that it never coincides with the
 * shuffling stream (the trainer's Random(seed)).
 */
function initialWeightStream(seed: number): Random {
  return new Random(seed).fork(1);
}

/**
 * How the ED first layer is kept: stacked for the plain rule learning online, where each
 * update touches few rows and the stacked bookkeeping saves a pass (npm run bench times both); per network for
 * batches, where one pass rebuilds W⁺ + W⁻ for the whole batch, and for the other variants.
 */
export function edLayoutFor(ed: EdOptions, batch: number | undefined): EdLayout {
  return batch === 1 && edStackable(ed) ? 'stacked' : 'per-network';
}

/** The rule a config describes, with its initial weights drawn from the config's seed. */
export function buildRule(spec: RuleSpec, backend: Backend): Rule {
  const { config, inputs, classes, maxBatch } = spec;
  const rng = initialWeightStream(config.seed);
  try {
    if (config.rule === 'backprop')
      return new BackpropClassifier(config.backprop, inputs, classes, backend, rng, maxBatch);
    const layout = spec.layout ?? edLayoutFor(config.ed, config.train?.batch);
    return edRule(config.ed, inputs, classes, backend, rng, maxBatch, layout);
  } catch (err) {
    // The allocators throw RangeError when the arrays do not fit (WebAssembly memory stops at 2 GiB).
    if (!(err instanceof RangeError)) throw err;
    const millions = (parameterShapes(spec).reduce((a, b) => a + b, 0) / 1e6).toPrecision(3);
    throw new UserError(
      `the model does not fit in memory on the ${backend.name} backend (${millions} million parameters ` +
        `for ${inputs} inputs, ${classes} classes, batch up to ${maxBatch}); lower units, layers or batch`,
    );
  }
}

/**
 * One independent two-class network per action (the RL agents' columns, src/rl/): column k's output is its
 * action's value or response. Each column draws its weights from its own fork of the seed.
 */
export function buildColumns(spec: Omit<RuleSpec, 'classes'> & { columns: number }, backend: Backend): Rule[] {
  const { columns, ...rest } = spec;
  const seeds = new Random(spec.config.seed);
  return Array.from({ length: columns }, (_, k) =>
    buildRule({ ...rest, classes: 2, config: { ...spec.config, seed: seeds.fork(1000 + k).uint32() } }, backend),
  );
}

/** Lengths of the rule's parameter arrays, without building it (to check a model file before allocating). */
export function parameterShapes(spec: RuleSpec): number[] {
  const { config, inputs, classes } = spec;
  return config.rule === 'backprop'
    ? backpropParameterShapes(config.backprop, inputs, classes)
    : edParameterShapes(config.ed, inputs, classes);
}

/**
 * The layout the engine keeps an ED rule's first layer in (to build the same
 * rule again), or undefined for another rule.
 */
/** A rule's kind and its own options (a loaded file's config may predate options that took their defaults). */
export function ruleChoiceOf(rule: Rule, what: string): RuleChoice {
  if (rule instanceof EdClassifier) return { rule: 'ed', ed: rule.options };
  if (rule instanceof BackpropClassifier) return { rule: 'backprop', backprop: rule.options };
  throw new Error(`${what}: a rule of an unknown kind`);
}

/** The ED classifier behind a rule (for readers of its arrays: export, the lab), or null for another rule. */
export function edClassifierOf(rule: Rule): EdClassifier | null {
  return rule instanceof EdClassifier ? rule : null;
}

export function edLayoutOf(rule: Rule): EdLayout | undefined {
  return rule instanceof EdEngine ? rule.layout : undefined;
}

/** A view of an ED classifier that already lives in `storage` (a worker thread attaching to shared memory). */
export function attachEdRule(
  spec: { options: EdOptions; inputs: number; classes: number; maxBatch: number; layout: EdLayout },
  backend: Backend,
  storage: EdStorage,
): EdEngine {
  return edRule(spec.options, spec.inputs, spec.classes, backend, { storage }, spec.maxBatch, spec.layout);
}

/**
 * The engine's ED classifier in the layout asked for: with initial weights from `init`, or a view of `init.storage`.
 */
function edRule(
  o: EdOptions,
  inputs: number,
  classes: number,
  backend: Backend,
  init: Random | { storage: EdStorage },
  maxBatch: number,
  layout: EdLayout,
): EdEngine {
  return layout === 'stacked'
    ? new StackedEd(o, inputs, classes, backend, init, maxBatch)
    : new EdEngine(o, inputs, classes, backend, init, maxBatch);
}

/** The task of a config: generated (xor, parity) or built from `dataset` (required for image tasks). */
export function taskFor(config: RunConfig, dataset?: Dataset): Task {
  const t = config.task;
  if (t.kind === 'xor' || t.kind === 'parity') return parityTask(t.bits);
  if (!dataset) throw new Error(`taskFor: task ${t.kind} needs a dataset`);
  const digits = t.kind === 'all' ? [] : parseDigits(t.digits, dataset.classes);
  const files = buildTask(dataset, t.kind, digits);
  check(files.test.count > 0, `${files.name}: the test split holds none of these classes; choose classes the data has`);
  const split =
    t.validation > 0
      ? holdOut(files.train, files.inputs, t.validation, t.splitSeed)
      : { train: files.train, validation: files.validation };
  const task = { ...files, ...split };
  return t.imbalance < 1 ? subsampleClass(task, task.classes - 1, t.imbalance) : task;
}

/** The training loop's options for a config (without callbacks). */
export function trainOptions(config: RunConfig): TrainOptions {
  const { augment, ...train } = config.train;
  return { ...train, seed: config.seed, augment: augment === undefined ? null : parseAugment(augment) };
}

/** Task, rule and training options of a run. */
export function buildRun(
  config: RunConfig,
  dataset: Dataset | undefined,
  backend: Backend,
  layout?: EdLayout,
): BuiltRun {
  const task = taskFor(config, dataset);
  const rule = buildRule(
    { config, inputs: task.inputs, classes: task.classes, maxBatch: maxBatchFor(config.train.batch), layout },
    backend,
  );
  return { task, rule, train: trainOptions(config) };
}
