/**
 * The NDJSON logs, owned here: their format tags and versions and the events they hold. A log is one or more
 * runs, each a start event (tag, version, config, seed, backend, machine, task), its progress events, and an end
 * event, all carrying the run's id. Train and RL write them (write.ts), report and sweep read them (read.ts).
 * The records inside the events are the producers' own types (the trainer's EvalRecord and TrainResult, the RL
 * loop's RlResult), imported as types only: this module wraps them, it does not redefine them.
 * Browser-safe: types, tags and one pure function.
 */
import type { Task } from '../data/tasks.js';
import type { RlConfig } from '../rl/config.js';
import type { GreedySummary, RlResult } from '../rl/loop.js';
import type { RunConfig } from '../train/config.js';
import type { EvalRecord, TrainResult } from '../train/trainer.js';

/** A classifier run's log (`edlearn train --log`, experiments, sweeps). Readers refuse newer versions. */
export const LOG_FORMAT = 'edlearn-log';
export const LOG_FORMAT_VERSION = 1;
/** An RL run's log (`edlearn rl --log`, `edlearn experiment rl`). */
export const RL_LOG_FORMAT = 'edlearn-rl-log';
export const RL_LOG_FORMAT_VERSION = 1;

/** The `experiment` block of a start event. */
export interface ExperimentTag {
  /** Experiment id: baseline, units, layers, lr, batch, speed-impl, speed-units, speed-layers, ablations, … */
  id: string;
  /** Curve label within the experiment, e.g. "ED (16)", "BP sigmoid (8 layers)". Seeds of one curve share it. */
  curve: string;
  /** 'ed' or 'backprop'. */
  rule: 'ed' | 'backprop';
  seed: number;
  /** The swept parameter and its value for this curve, when the experiment sweeps one (units, layers, lr, …). */
  param?: { name: string; value: number | string };
  /** Panel of the figure this curve belongs to (e.g. the width sweep draws ED and BP separately). */
  panel?: string;
  /** A sweep's cell: the value of each of its axes and random draws (the report's heatmap reads these). */
  cell?: Record<string, number | string | boolean>;
}

/** The machine a run was made on (log/machine.ts builds it). */
export interface Machine {
  cpu: string;
  cores: number;
  node: string;
}

/** Split sizes: train + validation = the training files' samples of the task; test = the test files'. */
export interface TaskSummary {
  name: string;
  inputs: number;
  classes: number;
  train: number;
  validation: number;
  test: number;
  dataset: string;
  fingerprint: string;
}

/** A task as logs, model files and the lab record it. */
export function taskSummary(task: Task): TaskSummary {
  return {
    name: task.name,
    inputs: task.inputs,
    classes: task.classes,
    train: task.train.count,
    validation: task.validation.count,
    test: task.test.count,
    dataset: task.source.dataset,
    fingerprint: task.source.fingerprint,
  };
}

/** The fields every start event opens with, in the order they are written. */
export interface StartFields<Format extends string> {
  event: 'start';
  format: Format;
  formatVersion: number;
  version: string;
  time: string;
  run: string;
  experiment?: ExperimentTag;
  machine: Machine;
  backend: string;
  parameters: number;
}

/** The head of a classifier log, as written (and the source of a model file's header). */
export interface RunHeader extends StartFields<typeof LOG_FORMAT> {
  config: RunConfig;
  /** Threads actually used (multi-class models on a WebAssembly backend split their networks). */
  threads: number;
  task: TaskSummary;
}

/**
 * A classifier start event as read back: the config is whatever the log holds; logs written before the
 * validation split existed have no task.validation, older ones no machine.
 */
export interface StartEvent extends Omit<RunHeader, 'config' | 'task' | 'machine'> {
  config: Record<string, unknown>;
  task: Omit<TaskSummary, 'validation'> & { validation?: number };
  machine?: Machine;
}

/** One evaluation: the trainer's EvalRecord with the run it belongs to. */
export interface EvalEvent extends EvalRecord {
  event: 'eval';
  run: string;
}

/** The end of a run: the trainer's summary (everything but the history) with the run it belongs to. */
export interface EndEvent extends Omit<TrainResult, 'history'> {
  event: 'end';
  run: string;
}

/** A sweep's session, closing what it appended to its log: how many runs it trained, in how many seconds. */
export interface SessionEvent {
  event: 'sweep';
  sweep: string;
  executor: 'local' | 'queue';
  workers: number;
  /** Points of the sweep, runs trained in this session, points found in the log, points copied from a twin. */
  points: number;
  trained: number;
  resumed: number;
  copied: number;
  seconds: number;
  time: string;
  version: string;
}

/** The environment of an RL run, as its log and agent file record it. */
export interface EnvSummary {
  name: string;
  actions: number;
  observationSize: number;
  features: number;
  encoding: string;
  /** The value heads' range [valueMin, valueScale] (src/rl/value-head.ts); valueMin absent: 0. */
  valueScale: number;
  valueMin?: number;
  /** Mean of 100 returns at which the environment counts as solved (null: none). */
  solvedAt?: number | null;
}

/** The head of an RL log: the classifier head's common fields with the RL config, environment and its splits. */
export interface RlStartEvent extends StartFields<typeof RL_LOG_FORMAT> {
  config: RlConfig;
  env: EnvSummary & { train?: number; validation?: number; test?: number };
}

/** The MNIST task's greedy validation accuracy after `episode` images. */
export interface RlEvalRecord {
  episode: number;
  steps: number;
  validationAccuracy: number;
  /** Share of rewarded actions among the training episodes since the previous evaluation (exploration included). */
  rewardRate: number;
}

/**
 * The end of an RL run: the loop's result; the final agent played greedily (ε = 0, no learning) on a seed stream
 * apart from training's (the MNIST task: over the test images, reward 1 when right, so the mean is the test
 * accuracy); the mean |w| of the columns at the start and the end; on the MNIST task the greedy test and
 * validation accuracy.
 */
export type RlSummary = RlResult & {
  greedy: GreedySummary;
  weights: { start: number; end: number };
  accuracy?: number;
  validationAccuracy?: number;
};
