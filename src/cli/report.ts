/** `edlearn report`: renders the experiment logs into figures and one HTML page; the rendering lives in src/report. */
import { join } from 'node:path';
import { ARTICLE_REPORT } from '../experiments/conclusions.js';
import { readLogs, renderReport } from '../report/index.js';
import { readRlLogs, rlMarkdown } from '../report/rl.js';
import { sweepSessions } from '../report/read.js';
import { markdownTables, sessionLine } from '../report/markdown.js';
import { frontierMarkdown } from '../report/frontier.js';

export interface ReportCommandOptions {
  /** NDJSON log files or directories of them. */
  logs: string[];
  /** Report directory. */
  out: string;
  /** Render runs that did not finish, marked incomplete (--allow-partial). */
  allowPartial?: boolean;
  /** Print the README's tables (verdicts, and every curve's test accuracy with its interval) instead of rendering. */
  markdown?: boolean;
}

export async function reportCommand(options: ReportCommandOptions, out: (text: string) => void = console.log): Promise<void> {
  if (options.markdown) {
    const experiments = readLogs(options.logs, { allowPartial: options.allowPartial })
      .sort((a, b) => rank(a.id) - rank(b.id));
    out(markdownTables(experiments, ARTICLE_REPORT.conclude));
    const rl = readRlLogs(options.logs, { allowPartial: options.allowPartial });
    if (rl.length > 0) out(`\n${rlMarkdown(rl)}`);
    const sessions = sessionLine(sweepSessions(options.logs), experiments.map((e) => e.id));
    if (sessions) out(`\n${sessions}`);
    return;
  }
  const r = await renderReport({ logs: options.logs, out: options.out, allowPartial: options.allowPartial, ...ARTICLE_REPORT });
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  out(`report written to ${join(options.out, 'index.html')}: ${plural(r.experiments.length, 'experiment')}, ${plural(r.figures.length, 'figure')} (SVG and PNG in ${join(options.out, 'figures')})`
    + (r.incompleteRuns > 0 ? `; ${plural(r.incompleteRuns, 'incomplete run')} marked as such` : ''));
}

/** Experiments in the report's order. */
function rank(id: string): number {
  const i = ARTICLE_REPORT.order.indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
