// npm run bench:readme: replaces the generated part of the README's "## Speed" section (between the bench
// markers) with what `edlearn bench --markdown bench/results.json` prints.
import { readFileSync } from 'node:fs';
import { readBenchReport } from '../src/cli/bench.js';
import { formatSpeedMarkdown } from '../src/index.js';
import { writeFileAtomic } from '../src/io.js';

const START = '<!-- bench:start (npm run bench:readme writes this part from bench/results.json) -->';
const END = '<!-- bench:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md: the markers ${START} … ${END} are missing`);
const table = formatSpeedMarkdown(readBenchReport('bench/results.json'));
writeFileAtomic('README.md', `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`);
console.log('README.md: speed section rewritten from bench/results.json');
