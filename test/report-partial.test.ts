// The report refuses logs of runs that did not finish unless told to (--allow-partial), and then says which runs
// are incomplete; experiment ids from a log never reach Object.prototype.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportCommand } from '../src/cli/report.js';
import { UserError } from '../src/errors.js';
import { ARTICLE_REPORT } from '../src/experiments/conclusions.js';
import { parseLog, readLogs, renderReport } from '../src/report/index.js';
import { ROOT, runCli, tempDir } from './helpers.js';

const FIXTURE = readFileSync(join(ROOT, 'test/fixtures/report-small.ndjson'), 'utf8');
const LINES = FIXTURE.trimEnd().split('\n');
const lastEnd = LINES.map((l) => l.includes('"event":"end"')).lastIndexOf(true);

function file(text: string): string {
  const path = join(tempDir(), 'run.ndjson');
  writeFileSync(path, text);
  return path;
}

const partial =
  /report: .*run\.ndjson:\d+: .*; re-run the experiment, or pass --allow-partial to report what was logged, marked incomplete$/;
const refused = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof UserError && pattern.test(e.message) && partial.test(e.message));

test('a log cut at a line boundary before an end event is refused, naming the run and its start line', () => {
  const cut = file(LINES.slice(0, lastEnd).join('\n') + '\n');
  refused(() => readLogs([cut]), /run\.ndjson:\d+: run '[^']+' has no end event: the log stops before it finished/);
});

test('a log cut mid-line is refused, also when the cut falls in an end event', () => {
  const midEval = FIXTURE.slice(0, FIXTURE.indexOf('"valAccuracy"', FIXTURE.length / 2));
  refused(() => readLogs([file(midEval)]), /the last line is cut off mid-way: the log is incomplete/);
  const midEnd = LINES.slice(0, lastEnd).join('\n') + '\n' + LINES[lastEnd].slice(0, 30);
  refused(() => readLogs([file(midEnd)]), /:\d+: the last line is cut off mid-way/);
});

test('a run that starts and never logs anything else is refused', () => {
  refused(
    () => readLogs([file(FIXTURE + LINES[0].replace(/"seed 1"/g, '"seed 9"').replace('"seed":1', '"seed":9') + '\n')]),
    /has no end event/,
  );
});

test('with allowPartial the complete lines are reported and the unfinished runs are marked incomplete', async () => {
  const cut = file(LINES.slice(0, lastEnd).join('\n') + '\n' + LINES[lastEnd].slice(0, 30));
  const experiments = readLogs([cut], { allowPartial: true });
  const runs = experiments.flatMap((e) => e.curves.flatMap((c) => c.runs));
  assert.equal(runs.filter((r) => !r.end).length, 1);
  const out = join(tempDir(), 'report');
  const r = await renderReport({ logs: [cut], out, allowPartial: true });
  assert.equal(r.incompleteRuns, 1);
  assert.match(r.html, /<strong>Incomplete runs:<\/strong> .*\(seed \d+\) have no end event/);
  assert.match(r.html, /<span class="incomplete">\(incomplete\)<\/span>/);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const marked = summary.experiments.flatMap((e: { curves: { incompleteSeeds?: number[] }[] }) =>
    e.curves.filter((c) => c.incompleteSeeds),
  );
  assert.equal(marked.length, 1);
  const lines: string[] = [];
  await reportCommand({ logs: [cut], out, allowPartial: true }, (t) => lines.push(t));
  assert.match(lines.join('\n'), /1 incomplete run marked as such/);
  // A complete log is not marked.
  const full = await renderReport({ logs: [file(FIXTURE)], out, allowPartial: true });
  assert.equal(full.incompleteRuns, 0);
  assert.doesNotMatch(full.html, /Incomplete runs/);
});

test('parseLog is the same reader without the file system', () => {
  assert.equal(parseLog(FIXTURE, 'fixture').length, 12);
  assert.throws(() => parseLog(FIXTURE.slice(0, -40), 'fixture'), /fixture:\d+: the last line is cut off mid-way/);
});

test('experiment ids "__proto__" and "constructor" render like any other', async () => {
  for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const text = FIXTURE.replaceAll('"id":"baseline"', `"id":${JSON.stringify(id)}`);
    const out = join(tempDir(), 'report');
    const r = await renderReport({ logs: [file(text)], out, ...ARTICLE_REPORT });
    assert.ok(r.experiments.includes(id), `${id} missing from ${r.experiments.join(', ')}`);
    assert.match(r.html, new RegExp(`<h2>${id} <small>`));
  }
});

test('edlearn report on a partial log exits 2 with one line naming --allow-partial', () => {
  const cut = file(LINES.slice(0, lastEnd).join('\n') + '\n');
  const r = runCli(['report', cut, '--out', join(tempDir(), 'out')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /has no end event.*--allow-partial/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

// Needs the report action in src/cli/main.ts to pass allowPartial on (one line, left to the options refactor).
test('edlearn report --allow-partial renders the partial log', () => {
  const cut = file(LINES.slice(0, lastEnd).join('\n') + '\n');
  const r = runCli(['report', cut, '--out', join(tempDir(), 'out'), '--allow-partial']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 incomplete run marked as such/);
});
