// npm run bench:readme: replaces the generated parts of the README (between the bench markers) with what the
// results files give: the "## Speed" tables from bench/results.json (what `edlearn bench --markdown` prints) and
// the Browser lab's speed line from bench/browser-results.json (npm run bench:browser).
import { readFileSync } from 'node:fs';
import { readBenchReport } from '../src/cli/bench.js';
import { formatBrowserLine, readBrowserReport } from '../src/bench/browser-report.js';
import { formatSpeedMarkdown } from '../src/index.js';
import { writeFileAtomic } from '../src/io.js';

export const SPEED_MARKERS = [
  '<!-- bench:start (npm run bench:readme writes this part from bench/results.json) -->',
  '<!-- bench:end -->',
] as const;
export const BROWSER_MARKERS = [
  '<!-- bench-browser:start (npm run bench:readme writes this line from bench/browser-results.json) -->',
  '<!-- bench-browser:end -->',
] as const;

function replaceBetween(text: string, [start, end]: readonly [string, string], body: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md: the markers ${start} … ${end} are missing`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

let readme = readFileSync('README.md', 'utf8');
readme = replaceBetween(readme, SPEED_MARKERS, formatSpeedMarkdown(readBenchReport('bench/results.json')));
readme = replaceBetween(readme, BROWSER_MARKERS, formatBrowserLine(readBrowserReport('bench/browser-results.json')));
writeFileAtomic('README.md', readme);
console.log(
  'README.md: speed section and browser line rewritten from bench/results.json and bench/browser-results.json',
);
