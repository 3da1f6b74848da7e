import type { EndEvent, EvalEvent, StartEvent } from '../log/events.js';

/**
 * What the report makes of the logs (the events themselves are declared in src/log/events.ts). Experiment logs
 * are NDJSON files: each run is a `start` event (with an `experiment` block), its `eval` events, and an `end`
 * event, all carrying the same `run` id. Runs of several experiments may share a file, and a report may read
 * several files.
 */

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
