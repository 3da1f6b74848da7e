/**
 * What the training worker holds, shared by its modules: the backend template, the data, the run in training and
 * any loaded model; and how it talks to the page (post, fail).
 */
import {
  type Backend,
  createMemory,
  type Dataset,
  type EnsembleRule,
  type EnsembleSummary,
  type ModelHeader,
  type Rule,
  type RunConfig,
  type Task,
  type TrainingSession,
  type TrainInput,
  type TrainResult,
  UserError,
  WasmBackend,
} from 'edlearn/browser';
import type { FromWorker, Panel, Settings } from '../protocol';
import type { LiveRate } from './live-rate';

export const scope = self as unknown as DedicatedWorkerGlobalScope;

export interface Trained {
  input: TrainInput;
  config: RunConfig;
  rule: Rule;
  session: TrainingSession;
  /** history entries already sent to the page. */
  sent: number;
  /** α applied live (ED only; worker/live-rate.ts). */
  rate: LiveRate | null;
  /** The summary, made once when the run ends: the only time the test split is read. */
  result?: TrainResult;
  /** An ensemble's member: the updates of the members before it (its place on the run's update axis). */
  offset?: number;
}

/**
 * An ensemble run (--ensemble K): its ED members train one after another (worker/ensemble.ts), all on the run's
 * backend so that their averaged scores predict from one memory and save as one file.
 */
export interface LabEnsemble {
  size: number;
  /** The ED input of the run; member i gets seed + i and keeps its validation-selected weights. */
  input: TrainInput;
  dataset: Dataset;
  /** Members that have ended, each rule holding its validation-selected weights. */
  done: Trained[];
  /** Once the last member has ended: the averaged rule and its numbers (the test split read then, once). */
  rule?: EnsembleRule;
  summary?: EnsembleSummary;
}

export interface Run {
  settings: Settings;
  /** The settings that shape the model (not the pace): a start with other ones builds a new run. */
  key: string;
  task: Task;
  backend: Backend;
  ed: Trained;
  bp: Trained | null;
  /** Milliseconds spent running before the current stretch, and when that stretch began (pacing). */
  activeMs: number;
  since: number;
  /**
   * Updates per step() call in a slice: grown while a call takes under CHUNK_MS, so that a fast run hands the
   * engine whole runs of updates (one learnSequence call, as in Node) instead of one update per call.
   */
  chunk: number;
  /** A run on a generated 2-D dataset: its heat maps are sent with the progress. */
  points?: boolean;
  /** An ensemble run; `ed` is the member in training (the last one once it has ended). */
  ensemble?: LabEnsemble;
}

export const state = {
  template: null as Backend | null,
  templateUsed: false,
  pageUrl: null as URL | null,
  dataset: null as Dataset | null,
  /**
   * What config.task.data says in a saved model: the bundled images are genuine MNIST, so the CLI can evaluate on it.
   */
  dataSource: 'mnist',
  run: null as Run | null,
  loaded: null as { rule: Rule; header: ModelHeader; name: string } | null,
  latest: null as Settings | null,
  running: false,
  sliceQueued: false,
};

export const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

export function fail(err: unknown, panel: Panel, id?: number): void {
  const message =
    err instanceof UserError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  post({ type: 'error', id, panel, message });
}

/**
 * A backend with its own memory for each run or loaded model: the WebAssembly allocator only bumps, so
 * discarding the whole memory is how a run's arrays are freed.
 */
export function freshBackend(): Backend {
  const { template } = state;
  if (!template) throw new Error('worker: the backend is not loaded yet');
  if (!state.templateUsed) {
    state.templateUsed = true;
    return template;
  }
  return template instanceof WasmBackend ? new WasmBackend(template.name, template.module, createMemory()) : template;
}
