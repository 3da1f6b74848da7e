// The RL tuning (experiment rl-tune): the same budget for both DQN agents, the fixed rule that picks a setting,
// the logs it writes, and the defaults held to the choice of the committed tuning logs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveRlConfig, type RlConfig } from '../src/rl/config.js';
import { runRlTune } from '../src/rl/tune.js';
import {
  chooseSetting,
  TUNE_AGENTS,
  TUNE_SEEDS,
  TUNE_ENVS,
  TUNE_GRID,
  TUNE_SETTINGS,
  tuneLogName,
} from '../src/rl/tune-grid.js';
import { readRlLogs } from '../src/report/rl.js';
import { rlTuneMarkdown, tuneSettingOf } from '../src/report/rl-tune.js';
import { rlTimeLine } from '../src/report/rl-time.js';
import { tempDir } from './helpers.js';

test('rl-tune: ed-dqn and bp-dqn get the same number of settings on every tuned environment', () => {
  for (const env of TUNE_ENVS)
    for (const agent of TUNE_AGENTS) assert.equal(TUNE_GRID[env][agent].length, TUNE_SETTINGS[env], `${env} ${agent}`);
});

test('rl-tune: the rule picks most seeds held, then the higher greedy + final, then the earlier setting', () => {
  const run = (setting: number, finalMean100: number, greedy: number) => ({ setting, finalMean100, greedy });
  // Setting 1 holds on two seeds with lower means; setting 0 on one seed with a higher mean: holding wins.
  const a = chooseSetting([run(0, 500, 500), run(0, 400, 450), run(1, 480, 476), run(1, 476, 480)], 475);
  assert.equal(a.chosen, 1);
  assert.deepEqual(
    a.scores.map((s) => s.held),
    [1, 2],
  );
  // No seed holds (Acrobot-like negative returns): the higher means win.
  assert.equal(chooseSetting([run(0, -300, -320), run(1, -200, -210), run(2, -250, -100)], -100).chosen, 2);
  // A tie goes to the earlier setting.
  assert.equal(chooseSetting([run(0, 100, 100), run(1, 100, 100)], 475).chosen, 0);
});

test('rl-tune: writes one log per setting whose runs the report reads back as that setting', () => {
  const dir = tempDir();
  const paths = runRlTune(dir, {}, ['cartpole'], ['ed-dqn'], { settings: [1], seeds: [1, 2], episodes: 3 });
  assert.deepEqual(paths, [join(dir, tuneLogName('cartpole', 'ed-dqn', 1))]);
  const runs = readRlLogs([dir]);
  assert.equal(runs.length, 2);
  assert.deepEqual(
    runs.map((r) => [tuneSettingOf(r), r.start.config.seed, r.start.config.episodes]),
    [
      [1, 1, 3],
      [1, 2, 3],
    ],
  );
  assert.equal(runs[0].start.config.ed?.lr, TUNE_GRID.cartpole['ed-dqn'][1].lr);
  const md = rlTuneMarkdown(runs);
  assert.match(md, /grid not complete/);
  assert.match(md, /\| ed-dqn \| 2: /);
  // The time line sums the runs' training seconds.
  const minutes = ((runs[0].end.trainSeconds + runs[1].end.trainSeconds) / 60).toFixed(1);
  assert.ok(rlTimeLine(runs).includes(`cartpole ed-dqn ${minutes} min; in all ${minutes} min`), rlTimeLine(runs));
});

/** The values a config has for the options a setting tunes. */
function tuned(config: RlConfig, keys: string[]): Record<string, unknown> {
  const c = config as unknown as Record<string, unknown>;
  const nets = (config.ed ?? config.backprop) as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, k in c ? c[k] : nets[k]]));
}

test('rl-tune: every default of a tuned agent is the setting the committed tuning logs chose', (t) => {
  const dir = join(import.meta.dirname, '..', 'docs', 'results', 'logs', 'rl-tune');
  let checked = 0;
  for (const env of TUNE_ENVS)
    for (const agent of TUNE_AGENTS) {
      const files = TUNE_GRID[env][agent].map((_, k) => join(dir, tuneLogName(env, agent, k)));
      if (!files.every((f) => existsSync(f))) continue;
      const runs = readRlLogs(files);
      // A grid still running (a setting short of its seeds) decides nothing yet.
      if (runs.length < files.length * TUNE_SEEDS.length) continue;
      const solvedAt = env === 'cartpole' ? 475 : -100;
      const { chosen } = chooseSetting(
        runs.map((r) => ({ setting: tuneSettingOf(r)!, finalMean100: r.end.finalMean100, greedy: r.end.greedy!.mean })),
        solvedAt,
      );
      const setting = TUNE_GRID[env][agent][chosen];
      const keys = Object.keys(setting);
      assert.deepEqual(tuned(resolveRlConfig({ env, agent }), keys), setting, `${env} ${agent}`);
      checked++;
    }
  if (checked === 0) t.skip('no complete tuning logs committed yet');
});
