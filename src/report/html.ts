/**
 * The report as one self-contained HTML page: inline CSS and SVG, no scripts, no external URLs, so it can be
 * mailed, archived or opened offline. Every string that came from a log is escaped.
 */
import type { CurveSummary, ReportProvenance, Stat } from './aggregate.js';
import type { Summary } from './stats.js';
import type { BestCell } from './sweep.js';
import type { Conclusion } from './types.js';

export interface ReportFigure {
  caption: string;
  svg: string;
  /** The PNG beside the report, relative to index.html. */
  png: string;
}

export interface ExperimentSection {
  id: string;
  title?: string;
  /** Prose about settings chosen where the article was silent. */
  note?: string;
  figures: ReportFigure[];
  summaries: CurveSummary[];
  /** The resolved config of the first run of each curve. */
  configs: { curve: string; seed: number; config: Record<string, unknown> }[];
  conclusion: Conclusion | null;
  /** For a sweep: its best cell, chosen on validation. */
  best?: BestCell | null;
}

const CSS = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d1d1f; max-width: 880px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2.2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #555; font-size: 0.9em; }
nav ul { padding-left: 1.2em; }
figure { margin: 1.2em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.88em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
th, td { padding: 0.3em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #bbb; }
td { font-variant-numeric: tabular-nums; }
details { margin: 0.4em 0; }
summary { cursor: pointer; color: #333; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.82em; }
.note { background: #f7f7fb; border-left: 3px solid #99a; padding: 0.5em 0.9em; }
.conclusion { border: 1px solid #ccc; border-left-width: 6px; padding: 0.6em 1em; margin: 1.2em 0; }
.conclusion p { margin: 0.3em 0; }
.verdict { font-weight: bold; padding: 0 0.4em; border-radius: 3px; color: white; }
.holds { border-left-color: #2e7d32; } .holds .verdict { background: #2e7d32; }
.does-not-hold { border-left-color: #c62828; } .does-not-hold .verdict { background: #c62828; }
.partly { border-left-color: #ef8f00; } .partly .verdict { background: #ef8f00; }
.indistinct { border-left-color: #616161; } .indistinct .verdict { background: #616161; }
.incomplete-runs { border-left-color: #ef8f00; } .incomplete { color: #b35c00; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `extra`: HTML of sections rendered elsewhere (the RL section, report/rl.ts), placed after the experiments. */
export function buildHtml(
  sections: ExperimentSection[],
  provenance: ReportProvenance,
  reportVersion: string,
  extra = '',
): string {
  const title = 'edlearn experiment report';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${title}</h1>`,
    provenanceNote(provenance, reportVersion),
    `<nav><ul>${sections.map((s) => `<li><a href="#${anchor(s.id)}">${escapeHtml(s.id)}</a></li>`).join('')}` +
      '</ul></nav>',
    ...sections.map(section),
    extra,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function provenanceNote(p: ReportProvenance, reportVersion: string): string {
  const list = (items: string[], none: string) => escapeHtml(items.length > 0 ? items.join('; ') : none);
  return (
    `<p class="meta">Rendered by edlearn ${escapeHtml(reportVersion)} from ${p.runs} ` +
    `run${p.runs === 1 ? '' : 's'} in ${p.files} log file${p.files === 1 ? '' : 's'}. ` +
    `Runs made with edlearn ${list(p.versions, 'unknown')}, ${escapeHtml(when(p.firstRun))} ` +
    `to ${escapeHtml(when(p.lastRun))}; ` +
    `machine: ${list(p.machines, 'not recorded')}; backend: ${list(p.backends, 'not recorded')}.</p>`
  );
}

/** "2025-01-10T09:00:00.000Z" → "2025-01-10 09:00 UTC"; anything else as written. */
const when = (iso: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d.*Z$/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;

const anchor = (id: string) => `exp-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function section(s: ExperimentSection, index: number): string {
  return [
    `<section id="${anchor(s.id)}">`,
    `<h2>${escapeHtml(s.title ?? s.id)} <small>(${escapeHtml(s.id)})</small></h2>`,
    s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : '',
    ...s.figures.map((f, i) => figure(f, `f${index + 1}-${i + 1}`)),
    incompleteNote(s.summaries),
    s.best ? bestCell(s.best) : '',
    table(s.summaries),
    ...s.configs.map(
      (c) =>
        `<details><summary>Config of ${escapeHtml(c.curve)} ` +
        `(seed ${c.seed})</summary><pre>${escapeHtml(JSON.stringify(c.config, null, 2))}</pre></details>`,
    ),
    s.conclusion ? conclusion(s.conclusion) : '',
    '</section>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function figure(f: ReportFigure, scope: string): string {
  return (
    `<figure>${scopeIds(stripProlog(f.svg), scope)}<figcaption>${escapeHtml(f.caption)} <a ` +
    `href="${escapeHtml(f.png)}">PNG</a></figcaption></figure>`
  );
}

const stripProlog = (svg: string) => svg.replace(/^<\?xml[^>]*>\s*/, '');

/** Several SVGs share one document, so their ids (clip paths, gradients) get a per-figure prefix to stay unique. */
function scopeIds(svg: string, scope: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${scope}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${scope}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${scope}-$1"`);
}

function table(rows: CurveSummary[]): string {
  const balanced = rows.some((r) => r.finalBalancedAccuracy !== undefined);
  const head = [
    'curve',
    'seeds',
    'test accuracy at the validation-selected point [95 % CI]',
    'final validation accuracy',
    'best validation accuracy',
    'training s (mean)',
    ...(balanced ? ['balanced test accuracy (selected)', 'final balanced validation acc.'] : []),
  ];
  const body = rows.map((r) => [
    escapeHtml(r.curve) + (r.incompleteSeeds ? ' <span class="incomplete">(incomplete)</span>' : ''),
    String(r.seeds.length) + (r.incompleteSeeds ? ` (${r.incompleteSeeds.length} incomplete)` : ''),
    interval(r.selectedTest),
    percent(r.finalAccuracy),
    percent(r.bestAccuracy),
    r.trainSeconds ? r.trainSeconds.mean.toFixed(2) : '—',
    ...(balanced ? [interval(r.selectedBalancedTest ?? null), percent(r.finalBalancedAccuracy ?? null)] : []),
  ]);
  return (
    `<table>\n<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>\n<tbody>\n` +
    body.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n') +
    '\n</tbody>\n</table>'
  );
}

/** "96.89 ± 0.12 % [96.74, 97.04]": mean ± sd with the Student-t 95 % interval of the mean. */
export function interval(s: Summary | null): string {
  if (!s) return '—';
  const p = (v: number) => (v * 100).toFixed(2);
  return s.n < 2 ? `${p(s.mean)} %` : `${p(s.mean)} ± ${p(s.sd)} % [${p(s.ci[0])}, ${p(s.ci[1])}]`;
}

/** A warning above the table when some runs did not finish: their numbers, and the verdict, may still change. */
function incompleteNote(rows: CurveSummary[]): string {
  const partial = rows.filter((r) => r.incompleteSeeds);
  if (partial.length === 0) return '';
  const list = partial
    .map((r) => `${r.curve} (seed${r.incompleteSeeds!.length === 1 ? '' : 's'} ${r.incompleteSeeds!.join(', ')})`)
    .join('; ');
  return (
    `<p class="note incomplete-runs"><strong>Incomplete runs:</strong> ${escapeHtml(list)} have no end event ` +
    `— the log stops before they finished. ` +
    'Their numbers are from the evaluations logged so far, and the verdict may change once they are re-run.</p>'
  );
}

/** "96.89 ± 0.12 %"; a single seed has no spread to show. */
export function percent(s: Stat | null): string {
  if (!s) return '—';
  const mean = (s.mean * 100).toFixed(2);
  return s.sd === null ? `${mean} %` : `${mean} ± ${(s.sd * 100).toFixed(2)} %`;
}

function bestCell(b: BestCell): string {
  return (
    `<p class="note"><strong>Best cell, chosen on validation:</strong> ${escapeHtml(b.curve)} — ` +
    `validation ${escapeHtml(interval(b.validation))}; ` +
    `its test accuracy at the validation-selected points: ${escapeHtml(interval(b.test))} (mean ± sd over ` +
    `seeds [95 % CI]).</p>`
  );
}

const VERDICT_CLASS: Record<Conclusion['verdict'], string> = {
  holds: 'holds',
  'does not hold': 'does-not-hold',
  partly: 'partly',
  'not distinguishable': 'indistinct',
};

function conclusion(c: Conclusion): string {
  return (
    `<div class="conclusion ${VERDICT_CLASS[c.verdict] ?? ''}">` +
    `<p><strong>Article:</strong> ${escapeHtml(c.claim)}</p>` +
    `<p><strong>Here:</strong> <span class="verdict">${escapeHtml(c.verdict)}</span></p>` +
    `<p><strong>Evidence:</strong> ${escapeHtml(c.evidence)}</p>` +
    '</div>'
  );
}
