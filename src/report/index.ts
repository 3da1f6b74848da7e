/**
 * `renderReport`: logs → figures (SVG, PNG), index.html and summary.json in one directory. Everything is
 * rendered into a temporary sibling first and moved in only when complete, so a failure never leaves a partial
 * report and never touches the previous one.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { makeTempDir, releaseTemp, removeTemp } from '../io.js';
import { VERSION } from '../version.js';
import { type CurveSummary, provenance, seedOf, summarizeExperiment } from './aggregate.js';
import { figuresFor, renderPng, renderSvg } from './figures.js';
import { buildHtml, type ExperimentSection } from './html.js';
import { readLogs } from './read.js';
import { renderRlSection } from './rl.js';
import { bestCell, type BestCell } from './sweep.js';
import type { Conclusion, ExperimentData } from './types.js';

export { parseLog, readLogs } from './read.js';
export type * from './types.js';

export interface ReportOptions {
  /** NDJSON log files, or directories of them. */
  logs: string[];
  /** Report directory; its index.html, summary.json and figures/ are replaced, anything else in it is kept. */
  out: string;
  /** The article's claim and our verdict for an experiment, or null when there is none. */
  conclude?: (e: ExperimentData) => Conclusion | null;
  /** Prose per experiment id, shown under its heading. */
  notes?: Record<string, string>;
  /** Heading per experiment id (default: the id). */
  titles?: Record<string, string>;
  /** Experiment ids in the order the report shows them; others follow in log order. */
  order?: string[];
  /** Render runs that did not finish (see ReadLogOptions), marked incomplete, instead of refusing their logs. */
  allowPartial?: boolean;
}

export interface ReportResult {
  html: string;
  /** Every figure's SVG path (its PNG sits beside it). */
  figures: string[];
  /** Experiment ids, in report order. */
  experiments: string[];
  /** Runs without an end event (only with allowPartial). */
  incompleteRuns: number;
}

/** What the report owns inside `out`. Only these are replaced: the default logs directory lives inside `out`. */
const ENTRIES = ['index.html', 'summary.json', 'figures'];
const SUMMARY_FORMAT = 'edlearn-report';
const SUMMARY_FORMAT_VERSION = 1;

export async function renderReport(options: ReportOptions): Promise<ReportResult> {
  const rank = (id: string) => {
    const i = options.order?.indexOf(id) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const experiments = readLogs(options.logs, { allowPartial: options.allowPartial })
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e.id) - rank(b.e.id) || a.i - b.i)
    .map(({ e }) => e);
  const out = resolve(options.out);
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new UserError(`report: --out ${options.out} is a file; give a directory for index.html and figures/`);
  }
  let tmp: string | null = null;
  try {
    // Registered, so that an interrupt during the (asynchronous) rendering removes it.
    tmp = makeTempDir(out);
    mkdirSync(join(tmp, 'figures'));
    const sections: ExperimentSection[] = [];
    const figures: string[] = [];
    for (const e of experiments) {
      // Rendering resolves in microtasks only; a real turn of the event loop lets Ctrl-C reach the handler
      // that removes the temp directory, instead of waiting for the whole report.
      await new Promise((next) => setImmediate(next));
      const section = await renderExperiment(e, tmp, options);
      figures.push(...section.figures.map((f) => join(options.out, f.png.replace(/\.png$/, '.svg'))));
      sections.push(section);
    }
    await new Promise((next) => setImmediate(next));
    const rl = await renderRlSection(options.logs, tmp, { allowPartial: options.allowPartial });
    figures.push(...rl.figures.map((f) => join(options.out, f)));
    const html = buildHtml(sections, provenance(experiments), VERSION, rl.html);
    writeFileSync(join(tmp, 'index.html'), html);
    writeFileSync(join(tmp, 'summary.json'), JSON.stringify(summaryJson(experiments, sections), null, 2) + '\n');
    publish(tmp, out);
    releaseTemp(tmp);
    const incompleteRuns = experiments.reduce(
      (n, e) => n + e.curves.reduce((m, c) => m + c.runs.filter((r) => !r.end).length, 0),
      0,
    );
    return { html, figures, experiments: experiments.map((e) => e.id), incompleteRuns };
  } catch (err) {
    if (tmp) removeTemp(tmp);
    throw asUserError(err, options.out);
  }
}

/** Renders an experiment's figures into `dir`/figures and gathers its section of the page. */
async function renderExperiment(e: ExperimentData, dir: string, options: ReportOptions): Promise<ExperimentSection> {
  const stem = e.id.replace(/[^A-Za-z0-9_-]/g, '_');
  const figures = [];
  for (const [i, figure] of figuresFor(e).entries()) {
    const name = `figures/${stem}-${i + 1}`;
    const svg = await renderSvg(figure.spec);
    writeFileSync(join(dir, `${name}.svg`), svg);
    writeFileSync(join(dir, `${name}.png`), renderPng(svg));
    figures.push({ caption: figure.caption, svg, png: `${name}.png` });
  }
  // Ids come from the logs: "__proto__" or "constructor" must not find Object.prototype's members.
  const note = own(options.notes, e.id);
  const title = own(options.titles, e.id);
  return {
    id: e.id,
    ...(title ? { title } : {}),
    ...(note ? { note } : {}),
    figures,
    summaries: summarizeExperiment(e),
    configs: e.curves.map((c) => ({ curve: c.curve, seed: seedOf(c.runs[0]), config: c.runs[0].start.config })),
    conclusion: options.conclude?.(e) ?? null,
    best: bestCell(e),
  };
}

function own(record: Record<string, string> | undefined, key: string): string | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

interface SummaryJson {
  format: string;
  formatVersion: number;
  version: string;
  provenance: ReturnType<typeof provenance>;
  experiments: {
    id: string;
    figures: string[];
    curves: CurveSummary[];
    conclusion: Conclusion | null;
    best?: BestCell;
  }[];
}

function summaryJson(experiments: ExperimentData[], sections: ExperimentSection[]): SummaryJson {
  return {
    format: SUMMARY_FORMAT,
    formatVersion: SUMMARY_FORMAT_VERSION,
    version: VERSION,
    provenance: provenance(experiments),
    experiments: sections.map((s) => ({
      id: s.id,
      figures: s.figures.map((f) => f.png.replace(/\.png$/, '')),
      curves: s.summaries,
      conclusion: s.conclusion,
      ...(s.best ? { best: s.best } : {}),
    })),
  };
}

/**
 * Moves the finished report from `tmp` into `out`. The old entries are set aside, not deleted, until every new
 * one is in place; if a move fails they are put back.
 */
function publish(tmp: string, out: string): void {
  if (!existsSync(out)) {
    renameSync(tmp, out);
    return;
  }
  const old = `${out}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  mkdirSync(old);
  const setAside: string[] = [];
  const placed: string[] = [];
  try {
    for (const entry of ENTRIES.filter((e) => existsSync(join(out, e)))) {
      renameSync(join(out, entry), join(old, entry));
      setAside.push(entry);
    }
    for (const entry of ENTRIES) {
      renameSync(join(tmp, entry), join(out, entry));
      placed.push(entry);
    }
  } catch (err) {
    for (const entry of placed) rmSync(join(out, entry), { recursive: true, force: true });
    for (const entry of setAside) renameSync(join(old, entry), join(out, entry));
    rmSync(old, { recursive: true, force: true });
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * File-system failures (no permission, disk full) are the user's to fix; anything else is a bug and keeps its stack.
 */
function asUserError(err: unknown, out: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (err instanceof UserError || typeof e?.syscall !== 'string') return err;
  return new UserError(
    `report: cannot write ${out} (${e.code ?? e.message}); check that its parent directory is writable`,
  );
}
