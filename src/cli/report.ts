/** `edlearn report`: renders the experiment logs into figures and one HTML page; the rendering lives in src/report. */
import { UserError } from '../errors.js';
import { checkDirFlag } from '../outputs.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lockPathOf } from '../log/lock.js';
import { ARTICLE_REPORT } from '../experiments/conclusions.js';
import { readLogs, renderReport } from '../report/index.js';
import { RL_LOG_FORMAT } from '../log/events.js';
import { logFormat } from '../log/read.js';
import { readRlLogs, rlMarkdown } from '../report/rl.js';
import { rlTuneMarkdown, tuneSettingOf } from '../report/rl-tune.js';
import { rlTimeLine } from '../report/rl-time.js';
import { sweepSessions } from '../report/read.js';
import { markdownTables, sessionLine } from '../report/markdown.js';
import { frontierMarkdown } from '../report/frontier.js';
import { widthMarkdown } from '../report/width.js';
import { fashionMarkdown } from '../report/fashion.js';
import { screenMarkdown } from '../report/screen.js';

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

export async function reportCommand(
  options: ReportCommandOptions,
  out: (text: string) => void = console.log,
): Promise<void> {
  checkDirFlag('out', options.out);
  for (const log of options.logs)
    if (log.trim() === '')
      throw new UserError('report: a log path is empty; give NDJSON log files or directories of them');
  for (const log of lockedLogs(options.logs)) {
    process.stderr.write(
      `edlearn: warning: ${log} is being written by a running sweep (${lockPathOf(log)} is there): the report ` +
        `is of the runs finished so far; runs still training are missing\n`,
    );
  }
  if (options.markdown) {
    const rl = readRlLogs(options.logs, { allowPartial: options.allowPartial });
    // RL logs alone (a directory of them, such as the RL tuning runs) print only their tables.
    const experiments =
      rl.length > 0 && !hasClassifierLogs(options.logs)
        ? []
        : readLogs(options.logs, { allowPartial: options.allowPartial }).sort((a, b) => rank(a.id) - rank(b.id));
    if (experiments.length > 0) out(markdownTables(experiments, ARTICLE_REPORT.conclude));
    const frontier = frontierMarkdown(experiments);
    if (frontier) out(`\n${frontier}`);
    const width = widthMarkdown(experiments);
    if (width) out(`\n${width}`);
    const fashion = fashionMarkdown(experiments);
    if (fashion) out(`\n${fashion}`);
    const screen = screenMarkdown(experiments);
    if (screen) out(`\n${screen}`);
    // Tuning runs (experiment rl-tune) print their choice table only.
    const tuning = rl.filter((r) => tuneSettingOf(r) !== null);
    const reported = rl.filter((r) => tuneSettingOf(r) === null);
    if (reported.length > 0)
      out(`${experiments.length > 0 ? '\n' : ''}${rlMarkdown(reported)}\n\n${rlTimeLine(reported)}`);
    if (tuning.length > 0) out(`${experiments.length + reported.length > 0 ? '\n' : ''}${rlTuneMarkdown(tuning)}`);
    const sessions = sessionLine(
      sweepSessions(options.logs),
      experiments.map((e) => e.id),
    );
    if (sessions) out(`\n${sessions}`);
    return;
  }
  const r = await renderReport({
    logs: options.logs,
    out: options.out,
    allowPartial: options.allowPartial,
    ...ARTICLE_REPORT,
  });
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  out(
    `report written to ${join(options.out, 'index.html')}: ` +
      `${plural(r.experiments.length, 'experiment')}, ${plural(r.figures.length, 'figure')} ` +
      `(SVG and PNG in ${join(options.out, 'figures')})` +
      (r.incompleteRuns > 0 ? `; ${plural(r.incompleteRuns, 'incomplete run')} marked as such` : ''),
  );
}

/** Whether any log among `paths` (files, or directories of them) is not an RL log. */
function hasClassifierLogs(paths: string[]): boolean {
  return paths.some((p) => {
    if (!existsSync(p)) return false;
    const files = statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.ndjson'))
          .map((f) => join(p, f))
      : [p];
    return files.some((f) => logFormat(readFileSync(f, 'utf8')) !== RL_LOG_FORMAT);
  });
}

/** Experiments in the report's order. */
function rank(id: string): number {
  const i = ARTICLE_REPORT.order.indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** The logs among `paths` (files, or .ndjson files in directories) that a sweep holds the lock of right now. */
function lockedLogs(paths: string[]): string[] {
  const files = paths.flatMap((p) => {
    try {
      return statSync(p).isDirectory()
        ? readdirSync(p)
            .filter((f) => f.endsWith('.ndjson'))
            .map((f) => join(p, f))
        : [p];
    } catch {
      return [];
    }
  });
  return files.filter((f) => existsSync(lockPathOf(f)));
}
