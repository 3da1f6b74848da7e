/**
 * The README's 10-class frontier table (`edlearn report --markdown` with the mnist-frontier log, and the
 * kaneko-mnist log for the plain preset): one model and an ensemble against the targets, with
 * augmentation's and the ensemble's contributions as differences, and the training time per model.
 */
import { summarize, welch } from './stats.js';
import { interval } from './html.js';
import type { CurveData, ExperimentData } from './types.js';
import type { EnsembleSummary } from '../train/ensemble.js';

const ONE_MODEL_TARGET = 0.986;
const ENSEMBLE_TARGET = 0.989;
const p = (v: number) => (v * 100).toFixed(2);
const tests = (c: CurveData) => c.runs.map((r) => r.end?.selected?.testAccuracy ?? NaN).filter(Number.isFinite);
const ensembleOf = (c: CurveData) =>
  c.runs.map((r) => (r.end as { ensemble?: EnsembleSummary } | null)?.ensemble).find((x) => x !== undefined);

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
  const seconds = (c: CurveData) =>
    summarize(c.runs.map((r) => r.end?.trainSeconds ?? NaN).filter(Number.isFinite)).mean.toFixed(1);
  if (plain)
    rows.push(
      `| plain kaneko-mnist, 20 epochs (kaneko-mnist log) | ${tests(plain).length} seeds ` +
        `| ${interval(summarize(tests(plain)))} | — | ${seconds(plain)} |`,
    );
  const lines: string[] = [];
  for (const c of frontier.curves) {
    const ens = ensembleOf(c);
    if (ens) {
      const members = ens.members.map((m) => m.retrainedTest ?? m.selected.testAccuracy);
      const gain = ens.testAccuracy - members.reduce((a, b) => a + b, 0) / members.length;
      const met =
        ens.testAccuracy >= ENSEMBLE_TARGET ? 'met' : `not met by ${p(ENSEMBLE_TARGET - ens.testAccuracy)} points`;
      const perModel = ens.members.reduce((a, m) => a + m.trainSeconds, 0) / ens.members.length;
      rows.push(
        `| ${c.curve} | 1 ensemble (seeds ${ens.members.map((m) => m.seed).join(', ')}) ` +
          `| ${p(ens.testAccuracy)} % (validation ${p(ens.validationAccuracy)} %) | ≥ 98.9 %: ${met} ` +
          `| ${perModel.toFixed(1)} |`,
      );
      lines.push(
        `The ensemble's contribution: ${p(gain)} points over the mean of its members (${members.map(p).join(', ')} %).`,
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
