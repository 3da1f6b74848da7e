/**
 * One training run from a TrainInput: resolve the config, load the data, build the rule, train, and log.
 * This is what `edlearn train` and the TypeScript API call; it never prints.
 */
import { cpus } from 'node:os';
import { type Dataset, loadIdxDataset, loadMnist } from '../data/dataset.js';
import type { ExperimentTag } from '../report/types.js';
import { buildTask, parityTask, parseDigits, subsampleClass, type Task } from '../data/tasks.js';
import { AtomicLineWriter } from '../io.js';
import { getBackend } from '../kernels/index.js';
import { Random } from '../random.js';
import type { Backend } from '../kernels/backend.js';
import type { WorkerPool } from '../kernels/pool.js';
import { BackpropClassifier } from '../rules/backprop.js';
import { EdClassifier } from '../rules/ed.js';
import type { Rule } from '../rules/rule.js';
import { useThreads } from '../rules/ed-threads.js';
import { VERSION } from '../version.js';
import { type RunConfig, resolveConfig, type TrainInput } from './config.js';
import { type EvalRecord, train, type TrainResult } from './trainer.js';

export const LOG_FORMAT = 'edlearn-log';
export const LOG_FORMAT_VERSION = 1;

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
}

export interface RunHeader {
  event: 'start';
  format: typeof LOG_FORMAT;
  formatVersion: number;
  version: string;
  time: string;
  run: string;
  experiment?: ExperimentTag;
  machine: { cpu: string; cores: number; node: string };
  config: RunConfig;
  backend: string;
  /** Threads actually used (multi-class models on a WebAssembly backend split their networks). */
  threads: number;
  task: { name: string; inputs: number; classes: number; train: number; test: number; dataset: string; fingerprint: string };
  parameters: number;
}

export interface RunOutcome {
  header: RunHeader;
  result: TrainResult;
  /** The trained rule (model files save its parameters); its thread pool is closed. */
  rule: Rule;
}

/** Datasets read in this process, so that a grid of runs reads and checks its files once. */
const datasets = new Map<string, Dataset>();

export function loadTask(config: RunConfig): Task {
  const t = config.task;
  if (t.kind === 'xor' || t.kind === 'parity') return parityTask(t.bits);
  let ds = datasets.get(t.data);
  if (!ds) {
    ds = t.data === 'mnist' ? loadMnist() : loadIdxDataset(t.data);
    datasets.set(t.data, ds);
  }
  const digits = t.kind === 'all' ? [] : parseDigits(t.digits, ds.classes);
  const task = buildTask(ds, t.kind, digits);
  return t.imbalance < 1 ? subsampleClass(task, task.classes - 1, t.imbalance) : task;
}

/** The configured rule for a task, with its thread pool when its networks can be split. */
export function buildRule(config: RunConfig, task: Task, backend: Backend): { rule: Rule; pool: WorkerPool | null } {
  const maxBatch = Math.max(config.train.batch, 256);
  const rng = new Random(config.seed).fork(1);
  if (config.backprop) return { rule: new BackpropClassifier(config.backprop, task.inputs, task.classes, backend, rng, maxBatch), pool: null };
  const rule = new EdClassifier(config.ed!, task.inputs, task.classes, backend, rng, maxBatch);
  return { rule, pool: useThreads(rule, config.threads, config.train.batch) };
}

export function runTraining(input: TrainInput, hooks: RunHooks = {}): RunOutcome {
  const config = resolveConfig(input);
  const backend = getBackend(config.backend);
  const task = loadTask(config);
  const { rule, pool } = buildRule(config, task, backend);
  const run = hooks.runId ?? 'train';
  const header: RunHeader = {
    event: 'start', format: LOG_FORMAT, formatVersion: LOG_FORMAT_VERSION, version: VERSION,
    time: new Date().toISOString(), run, experiment: hooks.experiment,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version }, config, backend: backend.name, threads: pool?.threads ?? 1,
    task: { name: task.name, inputs: task.inputs, classes: task.classes, train: task.train.count, test: task.test.count,
      dataset: task.source.dataset, fingerprint: task.source.fingerprint },
    parameters: rule.parameterCount(),
  };
  const file = hooks.log ? new AtomicLineWriter(hooks.log) : null;
  const log = file ?? hooks.writer ?? null;
  log?.writeLine(JSON.stringify(header));
  try {
    const result = train(rule, task, {
      ...config.train, seed: config.seed,
      onUpdate: hooks.onUpdate,
      onEval: (e) => {
        log?.writeLine(JSON.stringify({ event: 'eval', run, ...e }));
        hooks.onEval?.(e);
      },
    });
    const { history: _history, ...summary } = result;
    log?.writeLine(JSON.stringify({ event: 'end', run, ...summary }));
    file?.close();
    return { header, result, rule };
  } catch (err) {
    file?.abort();
    throw err;
  } finally {
    void pool?.close();
  }
}
