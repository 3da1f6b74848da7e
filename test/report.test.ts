// The report module: logs → numbers → figures → one HTML page, never a partial report, one-line errors for bad logs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { reportCommand } from '../src/cli/report.js';
import { UserError } from '../src/errors.js';
import { meanCurve, stat, summarizeCurve } from '../src/report/aggregate.js';
import { accuracyVsUpdates, renderSvg } from '../src/report/figures.js';
import { fashionMarkdown } from '../src/report/fashion.js';
import { screenMarkdown } from '../src/report/screen.js';
import { readLogs, renderReport } from '../src/report/index.js';
import type { CurveData, RunRecord } from '../src/report/types.js';
import { ROOT, tempDir } from './helpers.js';

const FIXTURE = join(ROOT, 'test/fixtures/report-small.ndjson');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const start = (run: string, extra: object = {}) =>
  JSON.stringify({
    event: 'start',
    format: 'edlearn-log',
    formatVersion: 1,
    version: '0.1.0',
    time: '2025-01-10T09:00:00.000Z',
    run,
    config: { seed: 1 },
    backend: 'reference',
    threads: 1,
    parameters: 10,
    task: { name: 'xor', inputs: 2, classes: 2, train: 4, test: 4, dataset: 'xor', fingerprint: 'x' },
    ...extra,
  });
const evalLine = (run: string, update: number, valAccuracy: number) =>
  JSON.stringify({ event: 'eval', run, update, valAccuracy });

/** Writes `lines` to <tmp>/<name> and returns its path. */
function logFile(name: string, lines: string[]): string {
  const path = join(tempDir(), name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function assertUserError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    assert.match(err.message, pattern);
    assert.doesNotMatch(err.message, /\n/, 'message is not one line');
    return true;
  });
}

test(
  'the fixture renders to index.html with headings, ' + 'inline SVG, the table numbers, PNGs and summary.json',
  async () => {
    const out = join(tempDir(), 'report');
    const r = await renderReport({ logs: [FIXTURE], out, notes: { baseline: 'Batch 64 <summed>' } });
    assert.deepEqual(r.experiments, ['baseline', 'speed-units']);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.equal(html, r.html);
    assert.match(html, /<h2>baseline <small>\(baseline\)<\/small><\/h2>/);
    assert.match(html, /<h2>speed-units <small>\(speed-units\)<\/small><\/h2>/);
    assert.match(html, /<svg /);
    // ED (16) best accuracy: seed 1 peaks at 0.96, seed 2 at 0.97 → mean 96.50 %, sd √((0.005² + 0.005²)/1) = 0.71 %.
    // Test at the selected points 0.955, 0.965: mean 96.00 %, sd 0.71 %, 95 % CI
    // ± 12.706 · 0.00707 / √2 = ± 6.35 points.
    assert.match(
      html,
      /<td>ED \(16\)<\/td><td>2<\/td><td>96\.00 ± 0\.71 % \[89\.65, 102\.35\]<\/td><td>96\.00 ± 0\.00 %<\/td><td>96\.50 ± 0\.71 %<\/td><td>1\.30<\/td>/,
    );
    assert.match(html, /<td>BP<\/td><td>\d<\/td><td>—<\/td>/, 'runs without a selected point (older logs) show none');
    assert.match(html, /Batch 64 &#60;summed&#62;/, 'notes are shown, escaped');
    assert.match(html, /<details><summary>Config of BP \(seed 1\)<\/summary>/);
    assert.doesNotMatch(html, /<script|<link|src="http|href="http|url\(http/, 'the page loads nothing from outside');
    // speed-units: training time vs units; its runs have one evaluation each, which is no accuracy curve.
    assert.deepEqual(
      r.figures.map((f) => f.slice(out.length + 1)),
      ['figures/baseline-1.svg', 'figures/speed-units-1.svg'],
    );
    for (const svg of r.figures) {
      assert.match(readFileSync(svg, 'utf8'), /^<svg /);
      assert.deepEqual([...readFileSync(svg.replace(/\.svg$/, '.png')).subarray(0, 8)], PNG_SIGNATURE);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const bp = summary.experiments[0].curves[1];
    assert.equal(bp.curve, 'BP');
    assert.ok(Math.abs(bp.finalAccuracy.mean - 0.9775) < 1e-12);
    assert.ok(Math.abs(bp.finalBalancedAccuracy.mean - 0.975) < 1e-12);
    assert.deepEqual(readdirSync(dirname(out)), ['report'], 'temporary directories left behind');
  },
);

test('conclusions show the claim, a coloured verdict and the evidence', async () => {
  const out = join(tempDir(), 'report');
  const { html } = await renderReport({
    logs: [FIXTURE],
    out,
    conclude: (e) =>
      e.id === 'baseline'
        ? {
            claim: 'ED learns 4 vs 9 about as well as BP',
            verdict: 'does not hold',
            evidence: 'ED 96.5 % < BP 97.8 % − 1.5',
          }
        : null,
  });
  assert.match(
    html,
    /<div class="conclusion does-not-hold">.*ED learns 4 vs 9 about as well as BP.*<span class="verdict">does not hold<\/span>.*ED 96\.5 % &#60; BP/,
  );
  assert.equal(html.match(/class="conclusion /g)?.length, 1);
});

test(
  'a second render replaces the report but keeps ' + 'everything else in the directory (the logs live there)',
  async () => {
    const out = join(tempDir(), 'results');
    mkdirSync(join(out, 'logs'), { recursive: true });
    writeFileSync(join(out, 'logs', 'keep.ndjson'), readFileSync(FIXTURE));
    mkdirSync(join(out, 'figures'));
    writeFileSync(join(out, 'figures', 'stale-9.svg'), '<svg/>');
    await renderReport({ logs: [join(out, 'logs')], out });
    assert.deepEqual(readdirSync(out).sort(), ['figures', 'index.html', 'logs', 'summary.json']);
    assert.ok(!existsSync(join(out, 'figures', 'stale-9.svg')), 'figures of an older report remain');
    assert.ok(existsSync(join(out, 'logs', 'keep.ndjson')));
    assert.deepEqual(readdirSync(dirname(out)), ['results']);
  },
);

test('when rendering fails, the existing report is untouched and no temporary directory remains', async () => {
  const parent = tempDir();
  const out = join(parent, 'report');
  mkdirSync(out);
  writeFileSync(join(out, 'index.html'), 'old report');
  const boom = new Error('conclusion failed');
  // Fails on the second experiment, after the first one's figures were written to the temporary directory.
  await assert.rejects(
    renderReport({
      logs: [FIXTURE],
      out,
      conclude: (e) => {
        if (e.id === 'speed-units') throw boom;
        return null;
      },
    }),
    boom,
  );
  assert.deepEqual(readdirSync(parent), ['report']);
  assert.deepEqual(readdirSync(out), ['index.html']);
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'old report');
  const corrupt = logFile('bad.ndjson', [start('r1'), '{"event": "eval",']);
  await assert.rejects(renderReport({ logs: [corrupt], out }), UserError);
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'old report');
});

test('corrupt or missing logs are one-line UserErrors naming the file and line', () => {
  const notJson = logFile('x.ndjson', [start('r1'), evalLine('r1', 1, 0.5), '{"event": "eval", "run": "r1", upd']);
  assertUserError(
    () => readLogs([notJson]),
    /x\.ndjson:3: not JSON \(.+\); the log is corrupt — re-run the experiment$/,
  );
  const early = logFile('early.ndjson', [start('r0'), evalLine('r0', 1, 0.5), evalLine('r1', 1, 0.5)]);
  assertUserError(() => readLogs([early]), /early\.ndjson:3: eval event for run 'r1' before its start header/);
  const empty = logFile('empty.ndjson', []);
  assertUserError(() => readLogs([empty]), /empty\.ndjson: empty file/);
  assertUserError(() => readLogs([join(tempDir(), 'nope.ndjson')]), /nope\.ndjson: no such file or directory/);
  const newer = logFile('newer.ndjson', [start('r1', { formatVersion: 2 })]);
  assertUserError(
    () => readLogs([newer]),
    /newer\.ndjson:1: log format version 2 is newer than this edlearn reads \(1\); update edlearn/,
  );
  const foreign = logFile('foreign.ndjson', [start('r1', { format: 'other-log' })]);
  assertUserError(() => readLogs([foreign]), /foreign\.ndjson:1: format "other-log" is not edlearn-log/);
  assertUserError(() => readLogs([tempDir()]), /holds no \.ndjson logs/);
  const twice = logFile('twice.ndjson', [start('a'), start('b')]);
  assertUserError(
    () => readLogs([twice], { allowPartial: true }),
    /twice\.ndjson: seed 1 of curve .* is also in .*twice\.ndjson; statistics need one run per seed/,
  );
});

test('runs are grouped by experiment and curve in first-seen order; untagged runs form experiment "train"', () => {
  const tag = (curve: string, seed: number) => ({ experiment: { id: 'x', curve, rule: 'ed', seed } });
  const dir = tempDir();
  writeFileSync(join(dir, 'b.ndjson'), [start('r3', tag('B', 2)), start('r4', tag('A', 1))].join('\n'));
  writeFileSync(join(dir, 'a.ndjson'), [start('r1', tag('B', 1)), evalLine('r1', 5, 0.7), start('r2')].join('\n'));
  writeFileSync(join(dir, 'notes.txt'), 'not a log');
  const experiments = readLogs([dir], { allowPartial: true });
  assert.deepEqual(
    experiments.map((e) => e.id),
    ['x', 'train'],
  );
  assert.deepEqual(
    experiments[0].curves.map((c) => [c.curve, c.runs.map((r) => r.start.run)]),
    [
      ['B', ['r1', 'r3']],
      ['A', ['r4']],
    ],
  );
  assert.equal(experiments[0].curves[0].runs[0].evals.length, 1);
  assert.equal(experiments[1].curves[0].runs[0].source, join(dir, 'a.ndjson'));
});

/** A curve of hand-made runs: evals[i] are the (update, accuracy) pairs of seed i + 1. */
function curveOf(evals: [number, number][][], seconds: number[] = []): CurveData {
  const runs: RunRecord[] = evals.map((points, i) => ({
    start: JSON.parse(start(`r${i}`, { experiment: { id: 'x', curve: 'c', rule: 'ed', seed: i + 1 } })),
    evals: points.map(([update, valAccuracy]) => JSON.parse(evalLine(`r${i}`, update, valAccuracy))),
    end:
      seconds[i] === undefined
        ? null
        : ({
            trainSeconds: seconds[i],
            finalValAccuracy: points[points.length - 1][1],
            bestValAccuracy: 0,
          } as RunRecord['end']),
    source: 'mem',
  }));
  return { curve: 'c', rule: 'ed', runs };
}

test('aggregation: mean/min/max at updates every seed evaluated, mean ± sample sd, mean seconds', () => {
  const curve = curveOf(
    [
      [
        [10, 0.5],
        [20, 0.7],
        [30, 0.8],
      ],
      [
        [10, 0.6],
        [30, 0.9],
      ],
      [
        [10, 0.7],
        [20, 0.9],
        [30, 0.7],
      ],
    ],
    [2, 4],
  );
  const points = meanCurve(curve);
  assert.deepEqual(
    points.map((p) => p.update),
    [10, 30],
  );
  assert.ok(Math.abs(points[0].mean - 0.6) < 1e-12);
  assert.deepEqual([points[1].min, points[1].max], [0.7, 0.9]);
  const s = summarizeCurve(curve);
  assert.deepEqual(s.seeds, [1, 2, 3]);
  assert.ok(Math.abs(s.finalAccuracy!.mean - 0.8) < 1e-12);
  assert.ok(Math.abs(s.bestAccuracy!.mean - (0.8 + 0.9 + 0.9) / 3) < 1e-12);
  assert.deepEqual(s.trainSeconds, { mean: 3, min: 2, max: 4, n: 2 });
  assert.equal(stat([0.5])!.sd, null);
  assert.ok(Math.abs(stat([1, 2, 3, 4])!.sd! - Math.sqrt(5 / 3)) < 1e-12);
});

test('figures are deterministic and escape labels from the logs', async () => {
  const experiment = {
    id: 'x',
    curves: [
      {
        ...curveOf([
          [
            [1, 0.5],
            [2, 0.6],
          ],
        ]),
        curve: '<script>alert(1)</script> & co',
      },
    ],
  };
  const spec = accuracyVsUpdates(experiment).spec;
  const [a, b] = [await renderSvg(spec), await renderSvg(spec)];
  assert.equal(a, b);
  assert.doesNotMatch(a, /\d{4}-\d\d-\d\dT\d\d:/, 'a timestamp inside the SVG');
  assert.doesNotMatch(a, /<script/);
  assert.match(a, /&lt;script&gt;/);
});

test('reportCommand prints where the report is and how many experiments and figures it has', async () => {
  const out = join(tempDir(), 'report');
  const lines: string[] = [];
  await reportCommand({ logs: [FIXTURE], out }, (line) => lines.push(line));
  assert.deepEqual(lines, [
    `report written to ${join(out, 'index.html')}: 2 experiments, 2 figures (SVG and PNG in ${join(out, 'figures')})`,
  ]);
});

test('the Fashion table: ED − each backprop network as Welch differences, judged against the nearest count', () => {
  const run = (rule: string, parameters: number, test: number) =>
    ({ start: { parameters, config: { rule } }, evals: [], end: { selected: { testAccuracy: test } } }) as never;
  const curve = (name: string, rule: 'ed' | 'backprop', parameters: number, tests: number[]) => ({
    curve: name,
    rule,
    runs: tests.map((t) => run(rule, parameters, t)),
  });
  const table = fashionMarkdown([
    {
      id: 'fashion',
      curves: [
        curve('ED', 'ed', 1_000_000, [0.88, 0.881, 0.879]),
        curve('BP 640', 'backprop', 1_000_000, [0.898, 0.897, 0.899]),
        curve('BP 64', 'backprop', 50_000, [0.885, 0.886, 0.884]),
      ],
    },
  ])!;
  assert.match(table, /\| ED − BP 640 \| 3, 3 \| -1\.80 \[-\d\.\d\d, -\d\.\d\d\] \|/);
  assert.match(table, /\| ED − BP 64 \| 3, 3 \| -0\.50 \[/);
  assert.match(table, /Within 0\.50 points of BP 640: no, 1\.80 points below on average\./);
  assert.equal(fashionMarkdown([{ id: 'width', curves: [] }]), null);
  // A lever (shifted images) tried on ED and backprop alike: each ED curve is compared with the backprop curves
  // trained the same way only.
  const shifted = (c: ReturnType<typeof curve>) => ({
    ...c,
    curve: `${c.curve} shift`,
    runs: c.runs.map((r: { start: { config: object } }) => ({
      ...r,
      start: { ...r.start, config: { ...r.start.config, train: { augment: 'shift:1', epochs: 20 } } },
    })) as never[],
  });
  const levers = fashionMarkdown([
    {
      id: 'fashion',
      curves: [
        curve('ED', 'ed', 1_000_000, [0.88, 0.881, 0.879]),
        shifted(curve('ED', 'ed', 1_000_000, [0.89, 0.891, 0.889])),
        curve('BP 640', 'backprop', 1_000_000, [0.898, 0.897, 0.899]),
        shifted(curve('BP 640', 'backprop', 1_000_000, [0.893, 0.892, 0.894])),
      ],
    },
  ])!;
  assert.match(levers, /\| ED − BP 640 \| 3, 3 \| -1\.80 /);
  assert.match(levers, /\| ED shift − BP 640 shift \| 3, 3 \| -0\.30 /);
  assert.doesNotMatch(levers, /ED shift − BP 640 \||ED − BP 640 shift/);
  assert.match(levers, /ED shift: within 0\.50 points of BP 640 shift: yes\./);
});

test('a screen of single runs: each log with what it changed and its validation accuracy at the selected epoch', () => {
  const run = (source: string, config: object, validationAccuracy: number, epoch: number) =>
    ({
      source,
      start: { config },
      evals: [],
      end: { selected: { validationAccuracy, epoch, testAccuracy: 0.5 } },
    }) as never;
  const train = { epochs: 20, augment: 'shift:1', schedule: { kind: 'cosine' } };
  const table = screenMarkdown([
    {
      id: 'train',
      curves: [
        {
          curve: 'x',
          rule: 'ed',
          runs: [
            run(
              '/a/ed-s101.ndjson',
              { rule: 'ed', preset: 'kaneko-mnist', seed: 101, ed: { units: 64, gainSpread: 4 }, train },
              0.8823,
              17,
            ),
            run('bp.ndjson', { rule: 'backprop', seed: 7, backprop: { layers: 1, units: 640 }, train: {} }, 0.9, 20),
          ],
        },
      ],
    },
  ])!;
  assert.match(
    table,
    /\| ed-s101\.ndjson \| ED kaneko-mnist 64 per class, gain spread 4 \| 20 epochs, α cosine, augment shift:1 \| 101 \| 88\.23 % \(17\) \|/,
  );
  assert.match(
    table,
    /\| bp\.ndjson \| backprop 1 × 640 \| \? epochs, α constant, augment none \| 7 \| 90\.00 % \(20\) \|/,
  );
  assert.equal(screenMarkdown([{ id: 'fashion', curves: [] }]), null);
});
