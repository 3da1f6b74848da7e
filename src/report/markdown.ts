/**
 * The README's tables, printed from the logs (`edlearn report --markdown`), so that no figure in the README is
 * typed by hand: the article's conclusions with our verdicts, and each curve's test accuracy with its interval.
 */
import { summarizeExperiment } from './aggregate.js';
import { interval } from './html.js';
import type { SessionEvent } from '../log/events.js';
import type { Conclusion, ExperimentData } from './types.js';

/**
 * "Run as sweeps: baseline 15 runs in 20.8 s, … — 397 runs in 331.2 s on 2 worker
 * processes" from the logs' session events.
 */
export function sessionLine(sessions: Map<string, SessionEvent>, ids: string[]): string {
  const shown = ids.map((id) => sessions.get(id)).filter((s): s is SessionEvent => !!s);
  if (shown.length === 0) return '';
  const total = shown.reduce((t, s) => t + s.seconds, 0);
  const runs = shown.reduce((n, s) => n + s.points, 0);
  const workers = [...new Set(shown.map((s) => s.workers))].sort((a, b) => a - b).join(' or ');
  return (
    `Run as sweeps (each log's last ` +
    `session): ${shown.map((s) => `${s.sweep} ${s.points} runs in ${s.seconds.toFixed(1)} s`).join(', ')} ` +
    `— ${runs} runs in ${total.toFixed(1)} s on ${workers} worker processes.`
  );
}

export function markdownTables(
  experiments: ExperimentData[],
  conclude: (e: ExperimentData) => Conclusion | null,
): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const verdicts = [
    "| experiment | the article's conclusion | ours | the numbers that decide it |",
    '|---|---|---|---|',
  ];
  for (const e of experiments) {
    const c = conclude(e);
    if (c) verdicts.push(`| ${e.id} | ${cell(c.claim)} | ${c.verdict} | ${cell(c.evidence)} |`);
  }
  const curves = [
    '| experiment | curve | seeds | test accuracy at the validation-selected point, mean ± sd [95 % CI] | training s |',
    '|---|---|---|---|---|',
  ];
  for (const e of experiments) {
    for (const r of summarizeExperiment(e)) {
      curves.push(
        `| ${e.id} | ${cell(r.curve)} | ${r.seeds.length} | ${interval(r.selectedTest)} ` +
          `| ${r.trainSeconds ? r.trainSeconds.mean.toFixed(2) : '—'} |`,
      );
    }
  }
  return [...verdicts, '', ...curves].join('\n');
}
