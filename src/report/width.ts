/**
 * The width table (`edlearn report --markdown` with the width log): test accuracy of 64, 256 and 1024 hidden units
 * per class network, with every unit receiving the same amine (Kaneko) and with fixed per-unit gains (gainSpread),
 * and whether the option lets a wider network beat 64 units, as Welch intervals over the seeds.
 */
import { interval } from './html.js';
import { summarize, welch } from './stats.js';
import type { ExperimentData, RunRecord } from './types.js';

const p = (v: number) => (v * 100).toFixed(2);
const ed = (r: RunRecord) => (r.start.config as { ed?: { units: number; gainSpread?: number } }).ed;
const test = (r: RunRecord) => r.end?.selected?.testAccuracy ?? Number.NaN;

/** The table, or null when the logs hold no width run. */
export function widthMarkdown(experiments: ExperimentData[]): string | null {
  const width = experiments.find((e) => e.id === 'width');
  if (!width) return null;
  const runs = width.curves.flatMap((c) => c.runs).filter((r) => ed(r) && Number.isFinite(test(r)));
  const gains = [...new Set(runs.map((r) => ed(r)!.gainSpread ?? 1))].sort((a, b) => a - b);
  const units = [...new Set(runs.map((r) => ed(r)!.units))].sort((a, b) => a - b);
  const acc = (u: number, g: number) =>
    runs.filter((r) => ed(r)!.units === u && (ed(r)!.gainSpread ?? 1) === g).map(test);
  const diff = (a: number[], b: number[]) => {
    if (a.length < 2 || b.length < 2) return '—';
    const d = welch(a, b);
    return `${p(d.diff)} [${p(d.ci[0])}, ${p(d.ci[1])}]`;
  };
  const name = (g: number) => (g === 1 ? 'same amine (Kaneko)' : `gain spread ${g}`);
  const spread = gains.filter((g) => g !== 1);
  const rows = [
    `| hidden units | ${gains.map((g) => `${name(g)}, test %`).join(' | ')} | ` +
      `${spread.map((g) => `${name(g)} − Kaneko, points [95 % CI]`).join(' | ')} |`,
    `|---|${gains.map(() => '---|').join('')}${spread.map(() => '---|').join('')}`,
  ];
  for (const u of units)
    rows.push(
      `| ${u} | ${gains.map((g) => (acc(u, g).length ? interval(summarize(acc(u, g))) : '—')).join(' | ')} | ` +
        `${spread.map((g) => diff(acc(u, g), acc(u, 1))).join(' | ')} |`,
    );
  const lines = units
    .slice(1)
    .flatMap((u) =>
      gains.map((g) => `${u} − ${units[0]} units, ${name(g)}: ${diff(acc(u, g), acc(units[0], g))} points.`),
    );
  const seeds = Math.min(...units.flatMap((u) => gains.map((g) => acc(u, g).length)));
  return [...rows, '', `Width (${seeds} seeds per cell, each at its validation-selected epoch):`, ...lines].join('\n');
}
