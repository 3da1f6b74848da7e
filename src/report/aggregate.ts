/** Numbers over the seeds of a curve, from the logs alone: pure functions, no I/O, nothing recomputed from training. */
import { type Summary, summarize } from './stats.js';
import type { EvalEvent } from '../log/events.js';
import type { CurveData, ExperimentData, RunRecord } from './types.js';

/** Mean ± sample standard deviation over n values; sd is null below two values. */
export interface Stat {
  mean: number;
  sd: number | null;
  n: number;
}

/** One point of a curve averaged over seeds, with the spread of the seeds. */
export interface CurvePoint {
  update: number;
  mean: number;
  min: number;
  max: number;
}

/** Mean, min and max of one quantity over seeds. */
export interface Spread {
  mean: number;
  min: number;
  max: number;
  n: number;
}

/** The row of the report's table for one curve (also what summary.json records). */
export interface CurveSummary {
  curve: string;
  rule: 'ed' | 'backprop';
  panel?: string;
  param?: { name: string; value: number | string };
  seeds: number[];
  finalAccuracy: Stat | null;
  bestAccuracy: Stat | null;
  /** Training seconds of the runs that have an end event. */
  trainSeconds: Spread | null;
  /** Test accuracy at each run's validation-selected point: the number verdicts compare. */
  selectedTest: Summary | null;
  /**
   * Seeds whose run has no end event (read with allowPartial): their numbers are from the evaluations logged so far.
   */
  incompleteSeeds?: number[];
  /** Present when the runs report balanced accuracy. */
  finalBalancedAccuracy?: Stat | null;
  bestBalancedAccuracy?: Stat | null;
  selectedBalancedTest?: Summary | null;
}

type Metric = 'valAccuracy' | 'valBalancedAccuracy';

/** The seed of a run: its experiment tag's, else its config's (plain `edlearn train` runs). */
export function seedOf(run: RunRecord): number {
  return run.start.experiment?.seed ?? Number(run.start.config.seed ?? 0);
}

export function stat(values: number[]): Stat | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd, n };
}

export function spread(values: number[]): Spread | null {
  if (values.length === 0) return null;
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/** Mean, min and max of a metric at each evaluated update, over the updates every seed evaluated. */
export function meanCurve(curve: CurveData, metric: Metric = 'valAccuracy'): CurvePoint[] {
  const bySeed = curve.runs.map((r) => new Map(metricEvals(r, metric).map((e) => [e.update, e[metric] as number])));
  if (bySeed.length === 0) return [];
  const [first, ...rest] = bySeed;
  return [...first.keys()]
    .filter((u) => rest.every((m) => m.has(u)))
    .sort((a, b) => a - b)
    .map((update) => {
      const values = bySeed.map((m) => m.get(update)!);
      const { mean, min, max } = spread(values)!;
      return { update, mean, min, max };
    });
}

/** The evals of a run that carry the metric. */
function metricEvals(run: RunRecord, metric: Metric): EvalEvent[] {
  return run.evals.filter((e) => typeof e[metric] === 'number');
}

/** Final accuracy of a run: its end event's, else its last evaluation's. */
export function finalAccuracy(run: RunRecord, metric: Metric = 'valAccuracy'): number | null {
  const fromEnd = metric === 'valAccuracy' ? run.end?.finalValAccuracy : run.end?.finalValBalancedAccuracy;
  if (typeof fromEnd === 'number') return fromEnd;
  const evals = metricEvals(run, metric);
  return evals.length > 0 ? (evals[evals.length - 1][metric] as number) : null;
}

/** Best accuracy of a run over its evaluations (or its end event's, for accuracy, when it has no evaluations). */
export function bestAccuracy(run: RunRecord, metric: Metric = 'valAccuracy'): number | null {
  const values = metricEvals(run, metric).map((e) => e[metric] as number);
  if (values.length > 0) return Math.max(...values);
  return metric === 'valAccuracy' ? (run.end?.bestValAccuracy ?? null) : null;
}

export function trainSeconds(curve: CurveData): Spread | null {
  return spread(curve.runs.flatMap((r) => (r.end ? [r.end.trainSeconds] : [])));
}

export function hasBalancedAccuracy(curve: CurveData): boolean {
  return curve.runs.some((r) => finalAccuracy(r, 'valBalancedAccuracy') !== null);
}

const present = (values: (number | null)[]): number[] =>
  values.filter((v): v is number => v !== null && Number.isFinite(v));

/** Mean ± sd and 95 % interval of the values present, or null when there are none (logs from before the protocol). */
function summaryOf(values: (number | null)[]): Summary | null {
  const xs = present(values);
  return xs.length ? summarize(xs) : null;
}

export function summarizeCurve(curve: CurveData): CurveSummary {
  const over = (f: (r: RunRecord) => number | null) => stat(present(curve.runs.map(f)));
  const summary: CurveSummary = {
    curve: curve.curve,
    rule: curve.rule,
    ...(curve.panel === undefined ? {} : { panel: curve.panel }),
    ...(curve.param === undefined ? {} : { param: curve.param }),
    seeds: curve.runs.map(seedOf),
    finalAccuracy: over((r) => finalAccuracy(r)),
    bestAccuracy: over((r) => bestAccuracy(r)),
    trainSeconds: trainSeconds(curve),
    selectedTest: summaryOf(curve.runs.map((r) => r.end?.selected?.testAccuracy ?? null)),
  };
  const incomplete = curve.runs.filter((r) => !r.end).map(seedOf);
  if (incomplete.length > 0) summary.incompleteSeeds = incomplete;
  if (hasBalancedAccuracy(curve)) {
    summary.finalBalancedAccuracy = over((r) => finalAccuracy(r, 'valBalancedAccuracy'));
    summary.bestBalancedAccuracy = over((r) => bestAccuracy(r, 'valBalancedAccuracy'));
    summary.selectedBalancedTest = summaryOf(curve.runs.map((r) => r.end?.selected?.testBalancedAccuracy ?? null));
  }
  return summary;
}

export function summarizeExperiment(experiment: ExperimentData): CurveSummary[] {
  return experiment.curves.map(summarizeCurve);
}

/**
 * Where the numbers come from, taken from the start events (never the clock), so a report renders identically twice.
 */
export interface ReportProvenance {
  runs: number;
  files: number;
  versions: string[];
  backends: string[];
  machines: string[];
  firstRun: string;
  lastRun: string;
}

export function provenance(experiments: ExperimentData[]): ReportProvenance {
  const starts = experiments.flatMap((e) => e.curves.flatMap((c) => c.runs.map((r) => r.start)));
  const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))].sort();
  const times = distinct(starts.map((s) => s.time));
  return {
    runs: starts.length,
    files: distinct(experiments.flatMap((e) => e.curves.flatMap((c) => c.runs.map((r) => r.source)))).length,
    versions: distinct(starts.map((s) => s.version)),
    backends: distinct(starts.map((s) => s.backend)),
    machines: distinct(
      starts.map((s) => s.machine && `${s.machine.cpu} (${s.machine.cores} cores, Node ${s.machine.node})`),
    ),
    firstRun: times[0] ?? 'unknown',
    lastRun: times[times.length - 1] ?? 'unknown',
  };
}
