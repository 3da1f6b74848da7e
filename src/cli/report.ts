/** `edlearn report`: renders the experiment logs into figures and one HTML page; the rendering lives in src/report. */
import { join } from 'node:path';
import { ARTICLE_REPORT } from '../experiments/conclusions.js';
import { renderReport } from '../report/index.js';

export interface ReportCommandOptions {
  /** NDJSON log files or directories of them. */
  logs: string[];
  /** Report directory. */
  out: string;
  /** Render runs that did not finish, marked incomplete (--allow-partial). */
  allowPartial?: boolean;
}

export async function reportCommand(options: ReportCommandOptions, out: (text: string) => void = console.log): Promise<void> {
  const r = await renderReport({ logs: options.logs, out: options.out, allowPartial: options.allowPartial, ...ARTICLE_REPORT });
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  out(`report written to ${join(options.out, 'index.html')}: ${plural(r.experiments.length, 'experiment')}, ${plural(r.figures.length, 'figure')} (SVG and PNG in ${join(options.out, 'figures')})`
    + (r.incompleteRuns > 0 ? `; ${plural(r.incompleteRuns, 'incomplete run')} marked as such` : ''));
}
