/**
 * The README's 10-class frontier table (`edlearn report --markdown` with the mnist-frontier log, and the
 * kaneko-mnist log for the plain preset): one model and its ensembles (an interval over disjoint ensembles)
 * against the issue's targets, with augmentation's and the ensembles' contributions as differences, and the
 * training time per model.
 */
import { summarize, welch } from './stats.js';
import { interval } from './html.js';
import type { CurveData, ExperimentData } from './types.js';
import type { EnsembleSummary } from '../train/ensemble-score.js';

const ONE_MODEL_TARGET = 0.986;
const ENSEMBLE_TARGET = 0.989;
const p = (v: number) => (v * 100).toFixed(2);
const tests = (c: CurveData) => c.runs.map((r) => r.end?.selected?.testAccuracy ?? NaN).filter(Number.isFinite);
const ensemblesOf = (c: CurveData) =>
  c.runs
    .map((r) => (r.end as { ensemble?: EnsembleSummary } | null)?.ensemble)
    .filter((x): x is EnsembleSummary => x !== undefined);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const memberTests = (e: EnsembleSummary) => e.members.map((m) => m.retrainedTest ?? m.selected.testAccuracy);

/** The table, or null when the logs hold no mnist-frontier run. */
export function frontierMarkdown(experiments: ExperimentData[]): string | null {
  const frontier = experiments.find((e) => e.id === 'mnist-frontier');
  if (!frontier) return null;
  const plain = experiments.find((e) => e.id === 'kaneko-mnist')?.curves[0];
  const rows = [
    "| row | models | test accuracy at each model's validation-selected epoch, mean ± sd [95 % CI] | target | " +
      'training s per model |',
    '|---|---|---|---|---|',
  ];
  const seconds = (c: CurveData) => perModel(c.runs.map((r) => r.end?.trainSeconds ?? NaN).filter(Number.isFinite));
  if (plain)
    rows.push(
      `| plain kaneko-mnist, 20 epochs (kaneko-mnist log) | ${tests(plain).length} seeds ` +
        `| ${interval(summarize(tests(plain)))} | — | ${seconds(plain)} |`,
    );
  const lines: string[] = [];
  for (const c of frontier.curves) {
    const ensembles = ensemblesOf(c);
    if (ensembles.length > 0) {
      rows.push(ensembleRow(c.curve, ensembles));
      // Each ensemble against the mean of its own members: paired, so the interval is over ensembles.
      const gains = summarize(ensembles.map((e) => e.testAccuracy - mean(memberTests(e))));
      lines.push(
        `The ensembles' contribution: ${
          ensembles.length > 1
            ? `${p(gains.mean)} points [${p(gains.ci[0])}, ` +
              `${p(gains.ci[1])}] (paired over ${ensembles.length} ensembles)`
            : `${p(gains.mean)} points`
        } over the ` +
          `mean of each ensemble's members (${ensembles.map((e) => memberTests(e).map(p).join(', ')).join('; ')} %).`,
      );
      continue;
    }
    const s = summarize(tests(c));
    const met =
      s.ci[0] >= ONE_MODEL_TARGET
        ? 'met (95 % interval at or above)'
        : s.mean >= ONE_MODEL_TARGET
          ? 'mean above, interval not'
          : `not met: mean ${p(ONE_MODEL_TARGET - s.mean)} points short`;
    rows.push(`| ${c.curve} | ${s.n} seeds | ${interval(s)} | ≥ 98.6 %: ${met} | ${seconds(c)} |`);
    if (plain) {
      const d = welch(tests(c), tests(plain));
      lines.push(
        `Augmentation's and the schedule's contribution (${c.curve} − plain): ${p(d.diff)} points ` +
          `[${p(d.ci[0])}, ${p(d.ci[1])}], Welch p = ${d.p.toPrecision(2)}.`,
      );
    }
  }
  return [...rows, '', ...lines].join('\n');
}

/** One row for a curve's ensembles: one value, or mean ± sd [95 % CI] over disjoint ensembles. */
function ensembleRow(curve: string, ensembles: EnsembleSummary[]): string {
  const s = summarize(ensembles.map((e) => e.testAccuracy));
  const validation = mean(ensembles.map((e) => e.validationAccuracy));
  const seeds = ensembles.map((e) => e.members.map((m) => m.seed).join(', ')).join('; ');
  const met =
    s.n > 1
      ? s.ci[0] >= ENSEMBLE_TARGET
        ? 'met (95 % interval at or above)'
        : s.mean >= ENSEMBLE_TARGET
          ? 'mean above, interval not'
          : `not met: mean ${p(ENSEMBLE_TARGET - s.mean)} points short`
      : s.mean >= ENSEMBLE_TARGET
        ? 'met (one ensemble, no interval)'
        : `not met by ${p(ENSEMBLE_TARGET - s.mean)} points`;
  const seconds = perModel(ensembles.flatMap((e) => e.members.map((m) => m.trainSeconds)));
  const count = `${s.n} ensemble${s.n === 1 ? '' : 's'}`;
  const each = s.n > 1 ? `each ${ensembles.map((e) => p(e.testAccuracy)).join(', ')} %; validation mean` : 'validation';
  const value = `${interval(s)} (${each} ${p(validation)} %)`;
  return `| ${curve} | ${count} (seeds ${seeds}) | ${value} | ≥ 98.9 %: ${met} | ${seconds} |`;
}

/** Mean training seconds per model, and the range when the models differ (a shared machine's load). */
function perModel(seconds: number[]): string {
  const lo = Math.min(...seconds);
  const hi = Math.max(...seconds);
  return `${mean(seconds).toFixed(1)}${hi - lo >= 1 ? ` (${lo.toFixed(0)}–${hi.toFixed(0)})` : ''}`;
}
