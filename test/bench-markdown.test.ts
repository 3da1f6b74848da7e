// The README's speed tables come from bench/results.json through `edlearn bench --markdown`, never by hand.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBenchReport } from '../src/cli/bench.js';
import { formatSpeedMarkdown } from '../src/bench/index.js';
import { formatBrowserLine, readBrowserReport } from '../src/bench/browser-report.js';
import { ROOT, runCli, tempDir } from './helpers.js';

test("the README's speed section is what edlearn bench --markdown prints from bench/results.json", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const part = /<!-- bench:start[^>]*-->\n([\s\S]*?)\n<!-- bench:end -->/.exec(readme);
  assert.ok(part, 'README.md: bench markers missing');
  const printed = formatSpeedMarkdown(readBenchReport(join(ROOT, 'bench/results.json')));
  assert.equal(part[1], printed, 'README.md is out of date with bench/results.json: run npm run bench:readme');
  assert.match(printed, /kaneko-mnist 64 per class, online/);
  assert.match(printed, /ceiling/);
});

test("the README's browser-lab speed line is what bench/browser-results.json gives (npm run bench:readme)", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const part = /<!-- bench-browser:start[^>]*-->\n([\s\S]*?)\n<!-- bench-browser:end -->/.exec(readme);
  assert.ok(part, 'README.md: bench-browser markers missing');
  const report = readBrowserReport(join(ROOT, 'bench/browser-results.json'));
  assert.equal(part[1], formatBrowserLine(report), 'README.md is out of date with bench/browser-results.json: run npm run bench:readme');
  assert.equal(report.page.length, report.node.length);
  assert.equal(report.input.data, 'web/public/data', 'page and Node train on the same files');
});

test('edlearn bench --markdown: a missing, non-JSON or foreign file exits 2 with one line', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'x.json'), '{not json');
  writeFileSync(join(dir, 'y.json'), '{"format": "something-else"}');
  for (const [file, pattern] of [['nope.json', /cannot read the file .*run npm run bench first/], ['x.json', /not JSON/], ['y.json', /not a results file of this edlearn's bench/]] as const) {
    const r = runCli(['bench', '--markdown', join(dir, file)]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
  }
});
