// The README's speed tables come from bench/results.json through `edlearn bench --markdown`, never by hand.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBenchReport } from '../src/cli/bench.js';
import { formatSpeedMarkdown } from '../src/bench/index.js';
import { benchTargets } from '../src/bench/targets.js';
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
  assert.equal(
    part[1],
    formatBrowserLine(report),
    'README.md is out of date with bench/browser-results.json: run npm run bench:readme',
  );
  assert.equal(report.page.length, report.node.length);
  assert.equal(report.input.data, 'web/public/data', 'page and Node train on the same files');
});

test('edlearn bench --markdown: a missing, non-JSON or foreign file exits 2 with one line', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'x.json'), '{not json');
  writeFileSync(join(dir, 'y.json'), '{"format": "something-else"}');
  for (const [file, pattern] of [
    ['nope.json', /cannot read the file .*run npm run bench first/],
    ['x.json', /not JSON/],
    ['y.json', /not a results file of this edlearn's bench/],
  ] as const) {
    const r = runCli(['bench', '--markdown', join(dir, file)]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
  }
});

test('the start-up rows, the seed limit and the measured cut-over are printed with their targets', () => {
  const base = readBenchReport(join(ROOT, 'bench/results.json'));
  const training = (ms: number) => ({
    epochs: 10,
    samplesPerEpoch: 9826,
    usPerSample: ms,
    firstEpochUsPerSample: 2 * ms,
    steadyUsPerSample: ms / 2,
  });
  const startup = {
    rounds: 9,
    rows: [
      { command: 'node -e 0', wallMs: 40, allMs: [40] },
      { command: 'edlearn --help', wallMs: 120, allMs: [120] },
      { command: 'edlearn train --epochs 1', wallMs: 320, allMs: [320], training: training(1.5) },
      { command: 'npm start (edlearn train: 4 vs 9, 10 epochs)', wallMs: 480, allMs: [480], training: training(0.8) },
    ],
  };
  const cutover = {
    backend: 'wasm-simd',
    rows: [],
    crossings: [
      { shape: '64×784×16', density: 0.8, topDensity: 0.9 },
      { shape: '1×784×640', density: null, topDensity: 0.9 },
    ],
  };
  const report = { ...base, startup, cutover, training: base.training.map((t) => ({ ...t, limitFlops: 1e8 })) };
  const text = formatSpeedMarkdown({ ...report, targets: benchTargets(report) });
  assert.match(
    text,
    /\| edlearn --help: ≤ 150 ms wall, fresh process \(median of 9\) \| 120 ms \(node -e 0: 40 ms; \+80 ms\) \| yes \|/,
  );
  assert.match(text, /\| edlearn train --epochs 1: ≤ 300 ms wall[^|]*\| 320 ms[^|]*\| NO \|/);
  assert.match(
    text,
    /from the CLI \(10 epochs, fresh process\): ≤ 0\.9 µs of training per sample \| 0\.80 µs \(first epoch 1\.60 µs, last epochs 0\.40 µs\) \| yes \|/,
  );
  assert.match(
    text,
    /64×784×16: dense as fast from 80 % non-zero; 1×784×640: sparse faster at every density up to 90 %/,
  );
  assert.match(text, /% of the limit/);
});
