// Member experiments (mnist-frontier, fashion): runs trained as model files in a work directory, resumed on a
// rerun, gathered under the experiment's tags into one log; a cell's members combined into one ensemble run that
// the report reads, and `report --markdown` prints the frontier table from it.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runMemberExperiment, trainArgs } from '../src/experiments/members.js';
import { readLogs } from '../src/report/index.js';
import { frontierMarkdown } from '../src/report/frontier.js';
import { widthMarkdown } from '../src/report/width.js';
import { tempDir } from './helpers.js';

test('trainArgs turns options into the CLI flags', () => {
  assert.deepEqual(trainArgs({ task: 'all', lrDecay: 0.9, keepBest: true, retrainFull: false, augment: 'shift:1' }), [
    '--task',
    'all',
    '--lr-decay',
    '0.9',
    '--keep-best',
    '--augment',
    'shift:1',
  ]);
});

test('a member experiment trains, resumes, gathers its log and combines an ensemble', async () => {
  const dir = tempDir();
  try {
    const e = {
      id: 'mnist-frontier',
      title: 't',
      seeds: [1, 2, 3, 4],
      cells: [
        {
          key: 'tiny',
          label: 'tiny shift',
          ensemble: 2,
          input: {
            task: 'all' as const,
            preset: 'kaneko-mnist' as const,
            augment: 'shift:1',
            updates: 1500,
            evalEvery: 500,
            validation: 1000,
          },
        },
      ],
    };
    const o = { logs: join(dir, 'logs'), work: join(dir, 'work'), workers: 2 };
    const said: string[] = [];
    const path = await runMemberExperiment(e, o, (t) => said.push(t));
    const model = join(o.work, 'tiny-1.edlearn');
    const before = statSync(model).mtimeMs;
    await runMemberExperiment(e, o, (t) => said.push(t));
    assert.equal(statSync(model).mtimeMs, before, 'the rerun trained again');
    assert.match(said.join('\n'), /0 of 4 runs to train/);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const starts = lines.filter((l) => l.event === 'start');
    assert.deepEqual(
      starts.map((s) => s.experiment.curve),
      [
        'tiny shift',
        'tiny shift',
        'tiny shift',
        'tiny shift',
        'tiny shift, ensemble of 2',
        'tiny shift, ensemble of 2',
      ],
    );
    assert.equal(starts[0].config.train.augment, 'shift:1');
    // Disjoint groups of seeds, one ensemble run each.
    const ends = lines.filter((l) => l.event === 'end' && l.ensemble);
    assert.deepEqual(
      ends.map((end) => end.ensemble.members.map((m: { seed: number }) => m.seed)),
      [
        [1, 2],
        [3, 4],
      ],
    );
    assert.ok(ends.every((end) => end.ensemble.testAccuracy > 0.5));
    const table = frontierMarkdown(readLogs([path]));
    assert.match(table!, /tiny shift \| 4 seeds/);
    // Two ensembles: an interval over them, and each one's gain over its own members.
    assert.match(table!, /2 ensembles \(seeds 1, 2; 3, 4\) \| \d+\.\d\d ± \d+\.\d\d % \[/);
    assert.match(table!, /contribution: -?\d+\.\d\d points \[.*\] \(paired over 2 ensembles\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('width experiment: gainSpread reaches every config; the report tables width × gain', async () => {
  const dir = tempDir();
  try {
    const input = (units: number, gainSpread: number) => ({
      task: 'all' as const,
      preset: 'kaneko-mnist' as const,
      units,
      gainSpread,
      updates: 600,
      evalEvery: 300,
      validation: 1000,
    });
    const cells = [4, 8].flatMap((units) =>
      [1, 4].map((g) => ({ key: `u${units}-g${g}`, label: `${units} g${g}`, input: input(units, g) })),
    );
    const e = { id: 'width', title: 't', seeds: [1, 2], cells };
    const path = await runMemberExperiment(
      e,
      { logs: join(dir, 'logs'), work: join(dir, 'work'), workers: 2 },
      () => {},
    );
    const starts = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.event === 'start');
    assert.deepEqual(
      starts.map((s) => [s.config.ed.units, s.config.ed.gainSpread]),
      [
        [4, 1],
        [4, 1],
        [4, 4],
        [4, 4],
        [8, 1],
        [8, 1],
        [8, 4],
        [8, 4],
      ],
    );
    const table = widthMarkdown(readLogs([path]))!;
    assert.match(
      table,
      /\| 4 \| [\d.]+ ± [\d.]+ % \[[\d.]+, [\d.]+\] \| [\d.]+ ± [\d.]+ % .* \| -?[\d.]+ \[-?[\d.]+, -?[\d.]+\] \|/,
    );
    assert.match(table, /8 − 4 units, gain spread 4: -?[\d.]+ \[/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
