/**
 * The Fashion-MNIST comparison (`edlearn report --markdown` with the fashion log): ED's test accuracy against each
 * backprop network's, as Welch differences over the seeds, and whether ED is within the issue's 0.5 points of
 * backprop of about its parameter count.
 */
import { summarize, welch } from './stats.js';
import type { CurveData, ExperimentData } from './types.js';

const WITHIN = 0.005;
const p = (v: number) => (v * 100).toFixed(2);
const tests = (c: CurveData) => c.runs.map((r) => r.end?.selected?.testAccuracy ?? Number.NaN).filter(Number.isFinite);

/** The lines, or null when the logs hold no fashion run of ED and backprop. */
export function fashionMarkdown(experiments: ExperimentData[]): string | null {
  const fashion = experiments.find((e) => e.id === 'fashion');
  const ed = fashion?.curves.find((c) => c.rule === 'ed');
  const bps = fashion?.curves.filter((c) => c.rule === 'backprop') ?? [];
  if (!ed || bps.length === 0) return null;
  const lines = ['| comparison | seeds | ED − backprop, points [95 % CI] |', '|---|---|---|'];
  for (const bp of bps) {
    const [a, b] = [tests(ed), tests(bp)];
    if (a.length < 2 || b.length < 2) continue;
    const d = welch(a, b);
    lines.push(
      `| ${ed.curve} − ${bp.curve} | ${a.length}, ${b.length} | ${p(d.diff)} [${p(d.ci[0])}, ${p(d.ci[1])}] |`,
    );
  }
  // Backprop of about ED's parameter count: the network whose count is nearest ED's.
  const params = (c: CurveData) => (c.runs[0]?.start as { parameters?: number } | undefined)?.parameters ?? 0;
  const last = [...bps].sort((x, y) => Math.abs(params(x) - params(ed)) - Math.abs(params(y) - params(ed)))[0];
  const gap = summarize(tests(last)).mean - summarize(tests(ed)).mean;
  lines.push(
    '',
    `Within ${p(WITHIN)} points of ${last.curve}: ${gap <= WITHIN ? 'yes' : `no, ${p(gap)} points below on average`}.`,
  );
  return lines.join('\n');
}
