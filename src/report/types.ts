import type { EvalRecord, TrainResult } from '../train/trainer.js';

/**
 * What the report reads. Experiment logs are NDJSON files: each run is a `start` event (with an `experiment`
 * block), its `eval` events, and an `end` event, all carrying the same `run` id. Runs of several experiments
 * may share a file, and a report may read several files.
 */

/** The `experiment` block of a start event. */
export interface ExperimentTag {
  /** Experiment id: baseline, units, layers, lr, batch, speed-impl, speed-units, speed-layers, ablations, … */
  id: string;
  /** Curve label within the experiment, e.g. "ED (16)", "BP sigmoid (8 layers)". Seeds of one curve share it. */
  curve: string;
  /** 'ed' or 'backprop'. */
  rule: 'ed' | 'backprop';
  seed: number;
  /** The swept parameter and its value for this curve, when the experiment sweeps one (units, layers, lr, batch, backend…). */
  param?: { name: string; value: number | string };
  /** Panel of the figure this curve belongs to (e.g. the width sweep draws ED and BP separately). */
  panel?: string;
  /** A sweep's cell: the value of each of its axes and random draws (the report's heatmap reads these). */
  cell?: Record<string, number | string | boolean>;
}

export interface StartEvent {
  event: 'start';
  format: 'edlearn-log';
  formatVersion: number;
  version: string;
  time: string;
  run: string;
  experiment?: ExperimentTag;
  /** The resolved run config (rule options, task, training settings, seed, backend). */
  config: Record<string, unknown>;
  backend: string;
  threads: number;
  /** validation: absent in logs written before the validation split existed. */
  task: { name: string; inputs: number; classes: number; train: number; validation?: number; test: number; dataset: string; fingerprint: string };
  parameters: number;
  /** Machine the run was made on. */
  machine?: { cpu: string; cores: number; node: string };
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

export type LogEvent = StartEvent | EvalEvent | EndEvent;

/** One run, reassembled from its events. */
export interface RunRecord {
  start: StartEvent;
  evals: EvalEvent[];
  end: EndEvent | null;
  /** File the run came from. */
  source: string;
}

/** Runs of one curve (one per seed). */
export interface CurveData {
  curve: string;
  rule: 'ed' | 'backprop';
  panel?: string;
  param?: { name: string; value: number | string };
  /** A sweep's cell: its axis values (from the experiment tag). */
  cell?: Record<string, number | string | boolean>;
  runs: RunRecord[];
}

/** Runs of one experiment grouped by curve, in first-seen order. */
export interface ExperimentData {
  id: string;
  curves: CurveData[];
}

/** The article's conclusion beside ours, decided by numbers from the logs. */
export interface Conclusion {
  claim: string;
  verdict: 'holds' | 'does not hold' | 'partly' | 'not distinguishable';
  /** The numbers that decide it, in one or two sentences. */
  evidence: string;
}
