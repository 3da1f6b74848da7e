/**
 * One training run from a TrainInput: resolve the config, load the data, build the rule, train, and log.
 * This is what `edlearn train` and the TypeScript API call; it never prints.
 */
import { loadIdxDataset, loadMnist } from '../data/dataset.js';
import { buildTask, parityTask, parseDigits, type Task } from '../data/tasks.js';
import { AtomicLineWriter } from '../io.js';
import { getBackend } from '../kernels/index.js';
import { Random } from '../random.js';
import { EdClassifier } from '../rules/ed.js';
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
}

export interface RunHeader {
  event: 'start';
  format: typeof LOG_FORMAT;
  formatVersion: number;
  version: string;
  time: string;
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
}

export function loadTask(config: RunConfig): Task {
  const t = config.task;
  if (t.kind === 'xor' || t.kind === 'parity') return parityTask(t.bits);
  const ds = t.data === 'mnist' ? loadMnist() : loadIdxDataset(t.data);
  const digits = t.kind === 'all' ? [] : parseDigits(t.digits, ds.classes);
  return buildTask(ds, t.kind, digits);
}

export function runTraining(input: TrainInput, hooks: RunHooks = {}): RunOutcome {
  const config = resolveConfig(input);
  const backend = getBackend(config.backend);
  const task = loadTask(config);
  const maxBatch = Math.max(config.train.batch, 256);
  const rule = new EdClassifier(config.rule, task.inputs, task.classes, backend, new Random(config.seed).fork(1), maxBatch);
  const pool = useThreads(rule, config.threads);
  const header: RunHeader = {
    event: 'start', format: LOG_FORMAT, formatVersion: LOG_FORMAT_VERSION, version: VERSION,
    time: new Date().toISOString(), config, backend: backend.name, threads: pool?.threads ?? 1,
    task: { name: task.name, inputs: task.inputs, classes: task.classes, train: task.train.count, test: task.test.count,
      dataset: task.source.dataset, fingerprint: task.source.fingerprint },
    parameters: rule.parameterCount(),
  };
  const log = hooks.log ? new AtomicLineWriter(hooks.log) : null;
  log?.writeLine(JSON.stringify(header));
  try {
    const result = train(rule, task, {
      ...config.train, seed: config.seed,
      onUpdate: hooks.onUpdate,
      onEval: (e) => {
        log?.writeLine(JSON.stringify({ event: 'eval', ...e }));
        hooks.onEval?.(e);
      },
    });
    const { history: _history, ...summary } = result;
    log?.writeLine(JSON.stringify({ event: 'end', ...summary }));
    log?.close();
    return { header, result };
  } catch (err) {
    log?.abort();
    throw err;
  } finally {
    void pool?.close();
  }
}
