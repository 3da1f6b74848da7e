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

/** What a curve was trained with beyond its network: augmentation, epochs and schedule (its first run's config). */
function training(c: CurveData): string {
  const train = (c.runs[0]?.start as { config?: { train?: Record<string, unknown> } } | undefined)?.config?.train;
  const schedule = (train?.schedule as { kind?: string } | undefined)?.kind ?? 'constant';
  return `${train?.augment ?? 'none'} ${train?.epochs ?? '?'} ${schedule}`;
}

/**
 * The lines, or null when the logs hold no fashion run of ED and backprop. Each ED curve is compared with the
 * backprop curves trained the same way (augmentation, epochs, schedule): a lever tried on ED is given to backprop
 * too, so that both have the same budget.
 */
export function fashionMarkdown(experiments: ExperimentData[]): string | null {
  const fashion = experiments.find((e) => e.id === 'fashion');
  const eds = fashion?.curves.filter((c) => c.rule === 'ed') ?? [];
  const allBps = fashion?.curves.filter((c) => c.rule === 'backprop') ?? [];
  if (eds.length === 0 || allBps.length === 0) return null;
  const lines = ['| comparison | seeds | ED − backprop, points [95 % CI] |', '|---|---|---|'];
  const verdicts: string[] = [];
  for (const ed of eds) {
    const bps = allBps.filter((bp) => training(bp) === training(ed));
    for (const bp of bps) {
      const [a, b] = [tests(ed), tests(bp)];
      if (a.length < 2 || b.length < 2) continue;
      const d = welch(a, b);
      lines.push(
        `| ${ed.curve} − ${bp.curve} | ${a.length}, ${b.length} | ${p(d.diff)} [${p(d.ci[0])}, ${p(d.ci[1])}] |`,
      );
    }
    if (bps.length === 0) continue;
    // Backprop of about ED's parameter count: the network whose count is nearest ED's.
    const params = (c: CurveData) => (c.runs[0]?.start as { parameters?: number } | undefined)?.parameters ?? 0;
    const last = [...bps].sort((x, y) => Math.abs(params(x) - params(ed)) - Math.abs(params(y) - params(ed)))[0];
    const gap = summarize(tests(last)).mean - summarize(tests(ed)).mean;
    const verdict = gap <= WITHIN ? 'yes' : `no, ${p(gap)} points below on average`;
    verdicts.push(`${eds.length > 1 ? `${ed.curve}: w` : 'W'}ithin ${p(WITHIN)} points of ${last.curve}: ${verdict}.`);
  }
  lines.push('', ...verdicts);
  return lines.join('\n');
}
