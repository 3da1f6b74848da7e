/**
 * The README's tables, printed from the logs (`edlearn report --markdown`), so that no figure in the README is
 * typed by hand: the article's conclusions with our verdicts, and each curve's test accuracy with its interval.
 */
import { summarizeExperiment } from './aggregate.js';
import { interval } from './html.js';
import type { Conclusion, ExperimentData } from './types.js';

export function markdownTables(experiments: ExperimentData[], conclude: (e: ExperimentData) => Conclusion | null): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const verdicts = ['| experiment | the article\'s conclusion | ours | the numbers that decide it |', '|---|---|---|---|'];
  for (const e of experiments) {
    const c = conclude(e);
    if (c) verdicts.push(`| ${e.id} | ${cell(c.claim)} | ${c.verdict} | ${cell(c.evidence)} |`);
  }
  const curves = ['| experiment | curve | seeds | test accuracy at the validation-selected point, mean ± sd [95 % CI] | training s |', '|---|---|---|---|---|'];
  for (const e of experiments) {
    for (const r of summarizeExperiment(e)) {
      curves.push(`| ${e.id} | ${cell(r.curve)} | ${r.seeds.length} | ${interval(r.selectedTest)} | ${r.trainSeconds ? r.trainSeconds.mean.toFixed(2) : '—'} |`);
    }
  }
  return [...verdicts, '', ...curves].join('\n');
}
