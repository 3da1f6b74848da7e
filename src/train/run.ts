/**
 * One training run from a TrainInput, as the CLI and the experiments make it: resolve the config, load the data,
 * build the run (train/build.ts), spread its networks over the cores, train, optionally retrain on every training
 * file, and log. It never prints.
 */
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { type Dataset, loadIdxDataset, loadMnist } from '../data/dataset.js';
import { mergeSplits } from '../data/holdout.js';
import { emptySplit, type Task } from '../data/tasks.js';
import { spreadNetworks } from '../engine/threads.js';
import { AtomicLineWriter } from '../io.js';
import type { Backend } from '../kernels/backend.js';
import { getBackend } from '../kernels/index.js';
import type { ExperimentTag } from '../report/types.js';
import type { EdLayout } from '../rules/ed.js';
import type { Rule } from '../rules/rule.js';
import { VERSION } from '../version.js';
import { buildRule, buildRun, maxBatchFor, taskFor, trainOptions } from './build.js';
import { type RunConfig, resolveConfig, type TrainInput } from './config.js';
import { LOG_FORMAT, LOG_FORMAT_VERSION, type RunHeader } from './log.js';
import { type EvalRecord, train, type TrainResult } from './trainer.js';
import { trainEnsemble } from './ensemble.js';

export { LOG_FORMAT, LOG_FORMAT_VERSION, type RunHeader } from './log.js';

export interface RunHooks {
  onEval?: (e: EvalRecord) => void;
  onUpdate?: (update: number, total: number) => void;
  /** NDJSON log path: one event per evaluation, after a header with the resolved config. */
  log?: string;
  /** Or an open NDJSON stream shared by several runs (experiments); the caller closes it. */
  writer?: { writeLine(line: string): void };
  /** Id of the run in the log (default: "train"). */
  runId?: string;
  /** Experiment block recorded in the start event. */
  experiment?: ExperimentTag;
  /** The engine's ED first-layer layout instead of its own choice (tests and the bench compare the two). */
  layout?: EdLayout;
}

/** --retrain-full: the same rule trained again on training + validation for the epochs chosen on validation. */
export interface Retrained {
  epochs: number;
  updates: number;
  trainSeconds: number;
  testAccuracy: number;
  testBalancedAccuracy: number;
}

export interface RunOutcome {
  header: RunHeader;
  result: TrainResult & { retrained?: Retrained };
  /** The trained rule (model files save its parameters); its thread pool is closed. */
  rule: Rule;
}

/** Datasets read in this process, so that a grid of runs reads and checks its files once. */
const datasets = new Map<string, Dataset>();

/** The dataset a config names ('mnist' or a directory), read once per process; none for generated tasks. */
export function loadDataset(config: { task: Pick<RunConfig['task'], 'kind' | 'data'> }): Dataset | undefined {
  const { kind, data } = config.task;
  if (kind === 'xor' || kind === 'parity') return undefined;
  let ds = datasets.get(data);
  if (!ds) {
    ds = data === 'mnist' ? loadMnist() : loadIdxDataset(data);
    datasets.set(data, ds);
  }
  return ds;
}

export function loadTask(config: RunConfig): Task {
  return taskFor(config, loadDataset(config));
}

/**
 * resolveConfig with Node's defaults: every core, and a data directory made absolute, so that a model file
 * saved from here can be evaluated from anywhere.
 */
export function resolveRunConfig(input: TrainInput): RunConfig {
  const config = resolveConfig(input, { threads: availableParallelism() });
  const { data } = config.task;
  return data === 'mnist' ? config : { ...config, task: { ...config.task, data: resolve(data) } };
}

export function runTraining(input: TrainInput, hooks: RunHooks = {}): RunOutcome {
  const config = resolveRunConfig(input);
  if ((config.ensemble ?? 1) > 1) return trainEnsemble(config, hooks, trainOne);
  return trainOne(config, hooks, getBackend(config.backend));
}

/** One model of a resolved config, on `backend` (an ensemble's members share one, so that they predict together). */
function trainOne(config: RunConfig, hooks: RunHooks, backend: Backend): RunOutcome {
  const { task, rule, train: trainOptions } = buildRun(config, loadDataset(config), backend, hooks.layout);
  const pool = spreadNetworks(rule, config.threads, config.train.batch);
  const run = hooks.runId ?? 'train';
  const header: RunHeader = {
    event: 'start', format: LOG_FORMAT, formatVersion: LOG_FORMAT_VERSION, version: VERSION,
    time: new Date().toISOString(), run, experiment: hooks.experiment,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version }, config, backend: backend.name, threads: pool?.threads ?? 1,
    task: { name: task.name, inputs: task.inputs, classes: task.classes, train: task.train.count, validation: task.validation.count,
      test: task.test.count, dataset: task.source.dataset, fingerprint: task.source.fingerprint },
    parameters: rule.parameterCount(),
  };
  const file = hooks.log ? new AtomicLineWriter(hooks.log) : null;
  const log = file ?? hooks.writer ?? null;
  log?.writeLine(JSON.stringify(header));
  try {
    const chosen = train(rule, task, {
      ...trainOptions,
      onUpdate: hooks.onUpdate,
      onEval: (e) => {
        log?.writeLine(JSON.stringify({ event: 'eval', run, ...e }));
        hooks.onEval?.(e);
      },
    });
    const full = config.train.retrainFull ? retrainFull(config, task, backend, chosen) : null;
    const result = full ? { ...chosen, retrained: full.retrained } : chosen;
    const { history: _history, ...summary } = result;
    log?.writeLine(JSON.stringify({ event: 'end', run, ...summary }));
    file?.close();
    return { header, result, rule: full?.rule ?? rule };
  } catch (err) {
    file?.abort();
    throw err;
  } finally {
    void pool?.close();
  }
}

/**
 * The usual protocol in papers: with the number of epochs chosen on validation, train a fresh rule (same seed)
 * on training + validation for that many epochs and read the test split once.
 */
function retrainFull(config: RunConfig, task: Task, backend: Backend, chosen: TrainResult): { rule: Rule; retrained: Retrained } {
  const epochs = Math.max(1, Math.round(chosen.selected.epoch));
  const all: Task = { ...task, train: mergeSplits(task.train, task.validation, task.inputs), validation: emptySplit(task.inputs) };
  const rule = buildRule({ config, inputs: task.inputs, classes: task.classes, maxBatch: maxBatchFor(config.train.batch) }, backend);
  const threads = spreadNetworks(rule, config.threads, config.train.batch);
  try {
    const r = train(rule, all, { ...trainOptions(config), epochs, updates: undefined, evalEvery: undefined, keepBest: false });
    return { rule, retrained: { epochs, updates: r.updates, trainSeconds: r.trainSeconds, testAccuracy: r.final.testAccuracy, testBalancedAccuracy: r.final.testBalancedAccuracy } };
  } finally {
    void threads?.close();
  }
}
