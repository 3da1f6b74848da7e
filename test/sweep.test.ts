// Sweep files → runs with content-addressed ids; the local executor's log, its resume, and its mistakes.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type SweepCommandOptions, sweepCommand } from '../src/cli/sweep.js';
import { UserError } from '../src/errors.js';
import { type CurveData, readLogs } from '../src/report/index.js';
import { bestCell, sweepFigure } from '../src/report/sweep.js';
import { checkSweep, readSweepFile } from '../src/sweep/file.js';
import { localExecutorFor } from '../src/sweep/local.js';
import { planSweep } from '../src/sweep/plan.js';
import { runId } from '../src/sweep/run-id.js';
import { resolveRunConfig } from '../src/train/run.js';
import { assertUserError, ROOT, runCli, tempDir } from './helpers.js';
import { endsById, runsOf, spawnCli } from './sweep-helpers.js';

const QUICK = join(ROOT, 'sweeps/quick.yaml');
const plan = (raw: unknown) => planSweep(checkSweep(raw, 'x.yaml', 'x'));
const xor = { task: 'xor', epochs: 5 };

test('cells are explicit cells × the product of the axes × seeded draws, each with every seed', () => {
  const p = plan({
    base: xor,
    cells: [{ label: 'a' }, { label: 'b', set: { units: 4 } }],
    axes: { lr: [0.1, 0.2], layers: [1, 2, 3] },
    seeds: 2,
  });
  assert.equal(p.points.length, 2 * 2 * 3 * 2);
  assert.equal(p.points[0].run, 'x/a · lr 0.1 · layers 1/seed 1');
  assert.deepEqual(p.points[0].experiment.cell, { lr: 0.1, layers: 1 });
  assert.equal(p.points.at(-1)!.config.ed!.units, 4);
  assert.equal(
    localExecutorFor(plan({ base: xor, seeds: 1, workers: 1 }), 4).workers,
    1,
    'a timed sweep caps its processes',
  );
  const r1 = plan({
    base: xor,
    random: { count: 3, seed: 7, draw: { lr: { log: [0.001, 0.1] }, units: { int: [2, 8] } } },
    seeds: [1],
  });
  const r2 = plan({
    base: xor,
    random: { count: 4, seed: 7, draw: { lr: { log: [0.001, 0.1] }, units: { int: [2, 8] } } },
    seeds: [1],
  });
  assert.deepEqual(
    r2.points.slice(0, 3).map((x) => x.experiment.cell),
    r1.points.map((x) => x.experiment.cell),
    'a fourth draw keeps the first three',
  );
  for (const x of r2.points) {
    const { lr, units } = x.experiment.cell as { lr: number; units: number };
    assert.ok(lr >= 0.001 && lr < 0.1 && Number.isInteger(units) && units >= 2 && units <= 8);
  }
});

test(
  'run ids hash the resolved config: equal configs share one, any change of setting or seed makes another, ' +
    'threads do not count',
  () => {
    const p = plan({
      base: xor,
      cells: [{ label: 'a', set: { lr: 0.8 } }, { label: 'b' }, { label: 'c', set: { lr: 0.5 } }],
      seeds: [1, 2],
    });
    const [a1, a2, b1, , c1] = p.points;
    assert.notEqual(a1.runId, a2.runId);
    assert.notEqual(a1.runId, c1.runId);
    // xor's preset default lr is 0.8 (seed preset): cell b is cell a, trained once.
    assert.equal(resolveRunConfig(xor as never).ed!.lr === 0.8, a1.runId === b1.runId);
    assert.equal(p.jobs.length, new Set(p.points.map((x) => x.runId)).size);
    const cfg = resolveRunConfig({ task: 'xor', epochs: 5, threads: 1 });
    assert.equal(runId(cfg, 'generated'), runId({ ...cfg, threads: 8 }, 'generated'));
    assert.notEqual(runId(cfg, 'generated'), runId(cfg, 'other-data'));
    assert.match(runId(cfg, 'generated'), /^[0-9a-f]{20}$/);
  },
);

test(
  'mistakes in a sweep file are one UserError naming the file and the key; on the command line, exit 2 and ' +
    'one line',
  async () => {
    const dir = tempDir();
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const refused = (path: string, pattern: RegExp) =>
      assert.throws(
        () => planSweep(readSweepFile(path)),
        (e: Error) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n'),
      );
    refused(join(dir, 'none.yaml'), /none\.yaml: no such file; give a sweep file/);
    refused(write('a.txt', 'x'), /expected a \.yaml, \.yml or \.json sweep file/);
    refused(write('b.yaml', 'base: ['), /b\.yaml: not valid YAML/);
    refused(write('c.yaml', 'seeds: 2\nbase: {task: xor}\naxis: {lr: [1]}'), /c\.yaml: unknown key 'axis'/);
    refused(write('d.yaml', 'seeds: 0\nbase: {task: xor}'), /d\.yaml: seeds: /);
    refused(
      write('e.yaml', 'seeds: 1\nbase: {task: xor}\naxes: {lr: [0.1, -1]}'),
      /e\.yaml: cell 'lr -1', seed 1: options: option lr: expected a number > 0 and ≤ 1000, got -1/,
    );
    refused(
      write('f.yaml', 'seeds: 1\nbase: {task: xor, unitz: 3}'),
      /f\.yaml: cell 'f', seed 1: options: unknown option 'unitz'/,
    );
    refused(
      write('g.json', '{"seeds": 1, "random": {"count": 2, "seed": 1, "draw": {"lr": {"log": [0, 1]}}}}'),
      /g\.json: random\.draw\.lr/,
    );
    refused(
      write('h.yaml', 'seeds: 1\nbase: {task: xor}\naxes: {lr: [0.1]}\nreport: {heatmap: [lr, units]}'),
      /report\.heatmap names 'units', which is not an axis/,
    );
    const xorFile = write('xor.yaml', 'seeds: 1\nbase: {task: xor, epochs: 2}');
    const command = (options: SweepCommandOptions, pattern: RegExp) =>
      assert.rejects(
        sweepCommand(xorFile, { quiet: true, ...options }, () => {}),
        (e: Error) => e instanceof UserError && pattern.test(e.message),
      );
    await command(
      { queue: 'http://x' },
      /--queue http:\/\/x: expected redis:\/\/\[USER:PASSWORD@\]HOST:PORT\[\/DB\] or rediss:\/\//,
    );
    await command(
      { queue: 'redis://127.0.0.1:1', status: true },
      /--queue redis:\/\/127\.0\.0\.1:1: cannot connect \(ECONNREFUSED\); start redis-server there/,
    );
    await command(
      { log: write('old.ndjson', '{"event":"start","run":"x"}\n') },
      /old\.ndjson:1: a run without a runId that is not one of this sweep's; this is not its log/,
    );
    assertUserError(
      ['sweep', write('cli.yaml', 'seeds: 1\nbase: {task: xor}\naxes: {lr: [0.1, -1]}')],
      /cli\.yaml: cell 'lr -1', seed 1: options: option lr: expected/,
    );
    assertUserError(['sweep', xorFile, '--status'], /--status needs --queue/);
  },
);

test(
  'a local sweep stopped with Ctrl-C (exit 130) and cut mid-line resumes: the cut line is repaired, ' +
    'finished runs are skipped, the final log is the uninterrupted one',
  async () => {
    const dir = tempDir();
    const whole = join(dir, 'whole.ndjson');
    const cut = join(dir, 'cut.ndjson');
    const first = runCli(['sweep', QUICK, '--workers', '2', '--log', whole]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /quick: 8 runs \(8 trained, 0 already in the log, 0 copied/);
    const run = spawnCli(['sweep', QUICK, '--workers', '2', '--log', cut]);
    await run.waitFor(/\[2\/8\]/);
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 130);
    assert.match(
      run.stderr(),
      /sweep interrupted; finished runs are in .*cut\.ndjson — run the same command again to resume/,
    );
    const logged = endsById(cut).size;
    assert.ok(logged >= 2 && logged < 8, `${logged} runs logged before the interrupt`);
    // What a crash in the middle of a write leaves.
    appendFileSync(cut, '{"event":"start","run":"quick/cut');
    const again = runCli(['sweep', QUICK, '--workers', '2', '--log', cut]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /dropped 1 line of an interrupted run/);
    assert.match(again.stdout, new RegExp(`\\(${8 - logged} trained, ${logged} already in the log`));
    assert.deepEqual(runsOf(cut), runsOf(whole));
    assert.deepEqual([...endsById(cut).values()], Array(8).fill(1), 'every run id ended exactly once');

    // The end event holds the fields of train --json's result for the same run.
    const end = readFileSync(whole, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.event === 'end' && e.run === 'quick/lr 0.05 · units 16/seed 2');
    const train = runCli([
      'train',
      '--rule',
      'ed',
      '--preset',
      'seed',
      '--layers',
      '1',
      '--batch',
      '32',
      '--updates',
      '600',
      '--eval-every',
      '100',
      '--lr',
      '0.05',
      '--units',
      '16',
      '--seed',
      '2',
      '--threads',
      '1',
      '--validation',
      '0.1666666667',
      '--json',
    ]);
    const { result } = JSON.parse(train.stdout);
    const { event: _e, run: _r, runId: _id, ...fields } = end;
    const untimed = (x: object) =>
      JSON.parse(
        JSON.stringify(x, (k, v) => (['trainSeconds', 'wallSeconds', 'samplesPerSecond'].includes(k) ? undefined : v)),
      );
    assert.deepEqual(untimed(fields), untimed(result));
    // The report: the best cell is the one with the highest mean validation accuracy; two axes make a heatmap.
    const [quick] = readLogs([whole]);
    assert.deepEqual(
      quick.curves.map((c) => [c.curve, c.runs.length]),
      [
        ['lr 0.01 · units 16', 2],
        ['lr 0.01 · units 64', 2],
        ['lr 0.05 · units 16', 2],
        ['lr 0.05 · units 64', 2],
      ],
    );
    const meanVal = (c: CurveData) =>
      c.runs.reduce((t, r) => t + r.end!.selected.validationAccuracy, 0) / c.runs.length;
    const top = [...quick.curves].sort((a, b) => meanVal(b) - meanVal(a))[0];
    assert.equal(bestCell(quick)!.curve, top.curve);
    assert.deepEqual(bestCell(quick)!.cell, top.cell);
    const heatmap = sweepFigure(quick)!;
    assert.match(heatmap.caption, /Mean validation accuracy of each cell \(lr × units\)/);
    assert.equal((heatmap.spec as { data: { values: unknown[] } }).data.values.length, 4);
  },
);
