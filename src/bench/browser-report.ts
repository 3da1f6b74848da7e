/**
 * The browser lab's speed against Node's, as `npm run bench:browser` records it (bench/browser-results.json), and
 * the README's line about it, printed from that file.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { median } from './stats.js';

export const BROWSER_FORMAT = 'edlearn-browser-bench/1';

/** The target: the page trains at least as fast as Node on the same data, settings and backend. */
export const BROWSER_TARGET = 1;

export interface BrowserReport {
  format: typeof BROWSER_FORMAT;
  version: string;
  time: string;
  machine: { cpu: string; cores: number; node: string; chromium: string };
  /** What both trained: the page's settings turned into the library's input (data: the lab's bundled subset). */
  input: Record<string, unknown>;
  backend: string;
  /** Training samples/s of each run (evaluation excluded), page and Node alternating. */
  page: number[];
  node: number[];
  /** median(page) / median(node). */
  ratio: number;
}

export function browserRatio(page: number[], node: number[]): number {
  return median(page) / median(node);
}

export function readBrowserReport(path: string): BrowserReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`${path}: cannot read the file; run npm run bench:browser first`);
  }
  let r: BrowserReport;
  try {
    r = JSON.parse(text);
  } catch {
    throw new UserError(`${path}: not JSON; rerun npm run bench:browser`);
  }
  if (r?.format !== BROWSER_FORMAT)
    throw new UserError(`${path}: not a results file of npm run bench:browser (format ${BROWSER_FORMAT})`);
  return r;
}

/** The README's sentence (the Browser lab section, between its markers). */
export function formatBrowserLine(r: BrowserReport): string {
  const rate = (xs: number[]) => Math.round(median(xs)).toLocaleString('en');
  const pct = (100 * r.ratio).toFixed(0);
  return (
    `\`npm run bench:browser\` trains the seed baseline in the page and in Node on the same data (the ` +
    `lab's bundled subset), settings and backend (${r.backend}), alternating, ${r.page.length} runs each; ` +
    `on ${r.time.slice(0, 10)}: ${rate(r.page)} samples/s in headless chromium ${r.machine.chromium} ` +
    `against ${rate(r.node)} in Node ${r.machine.node} (medians), ${pct} % (target ≥ ${100 * BROWSER_TARGET} ` +
    `%: ${r.ratio >= BROWSER_TARGET ? 'met' : 'not met'}).`
  );
}
