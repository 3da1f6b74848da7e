// RL beyond CartPole: Acrobot-v1 and MountainCar-v0 against steps solved by hand, the value head's range
// (a never-failing policy's target stays below saturation), truncation vs termination in the TD target, the
// failure memory of the replay, and the greedy evaluation's own seed stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../src/random.js';
import { ACROBOT, Acrobot, acrobotDerivs, acrobotStep, acrobotUp } from '../src/rl/acrobot.js';
import { valueScale } from '../src/rl/agent.js';
import { envSeed, GREEDY_SALT } from '../src/rl/loop.js';
import { MOUNTAINCAR, MountainCar, mountainCarStep } from '../src/rl/mountaincar.js';
import { Replay } from '../src/rl/replay.js';
import { runRl } from '../src/rl/run.js';
import { ValueHead } from '../src/rl/value-head.js';
import { assertAllClose } from './helpers.js';

test('Acrobot: accelerations at rest under a torque solved by hand; rest stays rest; wrap, bounds and the goal', () => {
  // θ = 0, θ̇ = 0: d1 = 0.25 + (1 + 0.25 + 1) + 2 = 4.5, d2 = 0.25 + 0.5 + 1 = 1.75, φ1 = φ2 = 0, so
  // θ̈₂ = a / (0.25 + 1 − 1.75²/4.5) = a·4.5/2.5625 and θ̈₁ = −1.75·θ̈₂/4.5.
  const dd2 = 4.5 / 2.5625;
  assertAllClose(acrobotDerivs([0, 0, 0, 0], 1), [0, 0, (-1.75 * dd2) / 4.5, dd2], { rtol: 1e-12, atol: 1e-12 });
  // Hanging at rest with no torque: nothing moves (to rounding of cos(−π/2)).
  assertAllClose(acrobotStep([0, 0, 0, 0], 1 /* torque 0 */), [0, 0, 0, 0], { atol: 1e-12 });
  // One RK4 step of a constant acceleration is exact to second order: θ̇ ≈ θ̈·dt at the first step from rest.
  const s = acrobotStep([0, 0, 0, 0], 2);
  assert.ok(Math.abs(s[3] - dd2 * ACROBOT.dt) < 0.05 * dd2 * ACROBOT.dt, `θ̇₂ ${s[3]}`);
  assert.ok(s[2] < 0 && s[3] > 0);
  // Angles wrap into [−π, π]; speeds are bounded by 4π and 9π.
  const fast = acrobotStep([Math.PI - 0.01, 0, 4 * Math.PI, 9 * Math.PI], 1);
  assert.ok(
    Math.abs(fast[0]) <= Math.PI &&
      Math.abs(fast[1]) <= Math.PI &&
      Math.abs(fast[2]) <= 4 * Math.PI &&
      Math.abs(fast[3]) <= 9 * Math.PI,
  );
  // The goal: the tip above the bar. Straight up (θ₁ = π) is above; hanging is not; horizontal links are at 0 + 0.
  assert.ok(acrobotUp([Math.PI, 0, 0, 0]) && !acrobotUp([0, 0, 0, 0]) && !acrobotUp([Math.PI / 2, 0, 0, 0]));
});

test('Acrobot: seeded start in ±0.1, 6 observations, reward −1 per step and 0 at the goal, truncation at 500', () => {
  const env = new Acrobot();
  const o = env.reset(3);
  assert.equal(o.length, 6);
  assert.deepEqual(Array.from(new Acrobot().reset(3)), Array.from(o));
  assert.ok(Math.abs(Math.acos(o[0])) <= 0.1 + 1e-12 && Math.abs(o[4]) <= 0.1 && Math.abs(o[5]) <= 0.1);
  let n = 0;
  let step: ReturnType<typeof env.step>;
  do {
    step = env.step(1);
    n++;
    assert.equal(step.reward, step.terminated ? 0 : -1);
  } while (!step.terminated && !step.truncated);
  assert.ok(step.truncated && !step.terminated && n === 500, 'no torque never reaches the goal');
  assert.throws(() => env.step(0), /call reset/);
  assert.throws(() => new Acrobot().step(3), /call reset/);
});

test('MountainCar: one step solved by hand, the left wall, the goal, reward −1, truncation at 200', () => {
  // From (−0.5, 0) pushing right: v = 0.001 − 0.0025·cos(−1.5), x = −0.5 + v.
  const v = 0.001 - 0.0025 * Math.cos(-1.5);
  assertAllClose(mountainCarStep([-0.5, 0], 2), [-0.5 + v, v], { rtol: 1e-12, atol: 1e-15 });
  // Speed clipped to 0.07 before it moves the car; at the left wall the speed is set to 0.
  assertAllClose(mountainCarStep([-1.19, -0.07], 0), [-1.2, 0], { atol: 1e-15 });
  assert.equal(mountainCarStep([-0.5, 0.07], 2)[1], MOUNTAINCAR.maxSpeed);
  const env = new MountainCar();
  const s = env.reset(5);
  assert.ok(s[0] >= -0.6 && s[0] <= -0.4 && s[1] === 0);
  let n = 0;
  let step: ReturnType<typeof env.step>;
  do {
    step = env.step(1);
    n++;
    assert.equal(step.reward, -1);
  } while (!step.terminated && !step.truncated);
  assert.ok(step.truncated && n === 200, 'doing nothing never climbs the hill');
  // A bang-bang controller (push with the speed) reaches the flag and terminates.
  let state = env.reset(5);
  for (;;) {
    step = env.step(state[1] >= 0 ? 2 : 0);
    state = step.state;
    if (step.terminated || step.truncated) break;
  }
  assert.ok(step.terminated && state[0] >= MOUNTAINCAR.goal);
});

test("value head: a never-failing policy's target stays inside the sigmoid, however the outputs drift", () => {
  const gamma = 0.99;
  const head = ValueHead.of(1, 1, gamma, 500);
  assertAllClose([head.min, head.max, valueScale(1, 500, gamma)], [0, 100, 100], { rtol: 1e-12, atol: 1e-12 });
  // Iterating the bootstrap of a policy that never fails (reward 1, never terminal) from any start.
  for (const start of [0, 0.5, 0.9, 0.999999, 1]) {
    let y = start;
    for (let i = 0; i < 5000; i++) {
      y = head.target(1, gamma, y, false);
      assert.ok(y <= head.hi + 1e-9 && y >= head.lo - 1e-9, `target ${y}`);
    }
    assert.ok(Math.abs(y - head.hi) < 1e-3, `fixed point ${y}`);
  }
  // Sigmoid slope at the fixed point: at least hi·(1 − hi) = 0.09, where the old clip at 1 gave 0.
  assert.ok(head.hi * (1 - head.hi) >= 0.09 - 1e-12);
  // Negative rewards (Acrobot, MountainCar): the range is [−100, 0] and the mapping inverts.
  const neg = ValueHead.of(-1, 0, gamma, 500);
  assertAllClose([neg.min, neg.max], [-100, 0], { rtol: 1e-12, atol: 1e-12 });
  assertAllClose([neg.toQ(neg.toY(-37))], [-37], { rtol: 1e-12 });
  // One-step tasks never bootstrap: the range is the reward's.
  assertAllClose([ValueHead.of(0, 1, gamma, 1).min, ValueHead.of(0, 1, gamma, 1).max], [0, 1], { atol: 1e-12 });
});

test('TD target: termination does not bootstrap, truncation does', () => {
  const head = ValueHead.of(1, 1, 0.99, 500);
  const next = head.toY(80);
  assertAllClose([head.toQ(head.target(1, 0.99, next, true))], [1], { rtol: 1e-9 });
  assertAllClose([head.toQ(head.target(1, 0.99, next, false))], [1 + 0.99 * 80], { rtol: 1e-6 });
  // In the loop: a truncated step is stored as non-terminal, a terminated one as terminal.
  const r = new Replay(4, 1);
  r.push(Float32Array.of(1), 0, 1, Float32Array.of(2), false);
  r.push(Float32Array.of(2), 1, 1, Float32Array.of(3), true);
  assert.deepEqual(Array.from(r.terminal.subarray(0, 2)), [0, 1]);
});

test(
  'replay: the failure memory keeps terminal transitions after the main ring forgets them, and batches ' +
    'draw from it',
  () => {
    const r = new Replay(8, 1, 4);
    r.push(Float32Array.of(7), 1, 1, Float32Array.of(7), true);
    for (let i = 0; i < 20; i++) r.push(Float32Array.of(i), 0, 1, Float32Array.of(i), false);
    assert.equal(
      Array.from(r.terminal.subarray(0, 8)).filter((t) => t === 1).length,
      0,
      'the main ring has forgotten the failure',
    );
    const picks = r.sample(new Random(1), 1000, 0.25, new Int32Array(1000));
    const failures = Array.from(picks).filter((i) => r.terminal[i] === 1).length;
    assert.ok(failures > 180 && failures < 320, `${failures} of 1000 from the failure memory`);
    assert.equal(Array.from(r.sample(new Random(1), 100, 0, new Int32Array(100))).filter((i) => i >= 8).length, 0);
  },
);

test(
  'greedy evaluation plays on its own seed stream, and every ' + 'run reports solvedAtEpisode, finalMean100 and greedy',
  () => {
    assert.notEqual(envSeed(5, GREEDY_SALT), envSeed(5));
    for (const env of ['cartpole', 'acrobot', 'mountaincar'] as const) {
      const o = runRl({ env, agent: 'ed-dqn', seed: 5, episodes: 3, learnStart: 50 });
      const r = o.result;
      assert.ok('solvedAtEpisode' in r && Number.isFinite(r.finalMean100) && r.greedy.episodes === 100, env);
      assert.ok(r.greedy.min <= r.greedy.mean && r.weights.start > 0, env);
      // The greedy episodes do not replay training's first start: the same agent on training's stream differs.
      assert.equal(o.header.env.solvedAt, { cartpole: 475, acrobot: -100, mountaincar: -110 }[env]);
    }
  },
);
