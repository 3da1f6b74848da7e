// ed-columns with the adaptive critic (src/rl/critic.ts, column-agent.ts, boxes.ts): the box code, the TD target's
// termination vs truncation, the sign of the TD error and of the update it drives, the critic's and the actor's
// eligibility traces, and the amine each acting column receives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceBackend } from '../src/kernels/index.js';
import { Random } from '../src/random.js';
import type { Rule } from '../src/rules/rule.js';
import { buildAgentColumns } from '../src/rl/agent.js';
import { binOf, boxEncoding, CARTPOLE_BOXES } from '../src/rl/boxes.js';
import { ColumnAgent } from '../src/rl/column-agent.js';
import type { Columns } from '../src/rl/columns.js';
import { resolveRlConfig } from '../src/rl/config.js';
import { Critic, pushAmine } from '../src/rl/critic.js';
import { Settle } from '../src/rl/settle.js';
import { ValueHead } from '../src/rl/value-head.js';

const DEG = Math.PI / 180;
const BOXES = boxEncoding();

function columns(actions: number, lr = 0.1): Columns {
  const config = resolveRlConfig({ agent: 'ed-columns', critic: true, encoding: 'boxes', lr, seed: 3 });
  return buildAgentColumns(config, { features: BOXES.features, actions, valueScale: 100 }, referenceBackend);
}

/** The features of a cart-pole state in the box code. */
function boxed(x: number, xDot: number, theta: number, thetaDot: number): Float32Array {
  const out = new Float32Array(BOXES.features);
  BOXES.encode([x, xDot, theta, thetaDot], out);
  return out;
}

/** Records every learnTargets call of a rule: the amine e_i = weight_i·(target_i − y_i) each sample received. */
function spy(rule: Rule): number[][] {
  const calls: number[][] = [];
  const learn = rule.learnTargets?.bind(rule);
  assert.ok(learn);
  rule.learnTargets = (batch, targets, weights) => {
    const y = learn(batch, targets, weights);
    calls.push(Array.from({ length: batch.size }, (_, i) => (weights ? weights[i] : 1) * (targets[i] - y[i])));
    return y;
  };
  return calls;
}

test('boxes: 162 one-hot boxes at the cut points of Barto, Sutton & Anderson; tilings shift the grid', () => {
  assert.equal(BOXES.features, 162);
  assert.equal(binOf(-1, [-0.8, 0.8]), 0);
  assert.equal(binOf(0.8, [-0.8, 0.8]), 2);
  const a = boxed(0, 0, 0.5 * DEG, 0);
  assert.equal(
    a.reduce((s, v) => s + v, 0),
    1,
  );
  // x, ẋ in their middle bins (1, 1), θ in [0, 1°) (bin 3), θ̇ middle (1): box ((1·3 + 1)·6 + 3)·3 + 1 = 82.
  assert.equal(a[82], 1);
  // Across a cut point (θ from 0.5° to 1.5°) the box changes; inside one box it does not.
  assert.deepEqual(boxed(0.1, 0.1, 0.9 * DEG, 0.1), a);
  assert.notDeepEqual(boxed(0, 0, 1.5 * DEG, 0), a);
  const tiles = boxEncoding(CARTPOLE_BOXES, 4);
  const t = new Float32Array(tiles.features);
  tiles.encode([0, 0, 0.5 * DEG, 0], t);
  assert.equal(tiles.features, 4 * 162);
  assert.equal(
    t.reduce((s, v) => s + v, 0),
    4,
  );
  for (let k = 0; k < 4; k++) assert.equal(t.subarray(k * 162, (k + 1) * 162).filter((v) => v === 1).length, 1);
});

test('pushAmine: each row receives exactly its amine under the batch mean (e_i = n·amine_i), of either sign', () => {
  const cols = columns(2);
  const calls = spy(cols.rules[1]);
  const rows = new Float32Array(3 * BOXES.features);
  rows.set(boxed(0, 0, 0, 0), 0);
  rows.set(boxed(1, 0, 0, 0), BOXES.features);
  rows.set(boxed(-1, 1, 3 * DEG, 0), 2 * BOXES.features);
  pushAmine(cols, 1, rows, [2, 0, 1], [0.03, -0.2, 0.001]);
  assert.equal(calls.length, 1);
  const e = calls[0];
  [0.03, -0.2, 0.001].forEach((amine, i) => assert.ok(Math.abs(e[i] - 3 * amine) < 1e-5, `row ${i}: ${e[i]}`));
  // Only the column named learned.
  pushAmine(cols, 0, rows, [], []);
  assert.equal(calls.length, 1);
});

test('critic: termination does not bootstrap, truncation does; δ is the target minus V(s) before the update', () => {
  const head = new ValueHead(0, 100);
  const critic = new Critic(columns(1), head, 0.99, 0, 4);
  const s = boxed(0, 0, 0, 0);
  const next = boxed(0, 0, 3 * DEG, 1);
  const vNext = critic.value(next);
  const step = { features: s, reward: 1, next, terminated: false, truncated: false };
  // Terminated: r alone (V(s′) = 0), whatever the column says of s′.
  assert.ok(Math.abs(critic.target({ ...step, terminated: true }) - head.toY(1)) < 1e-7);
  // Truncated (Gym's time limit): r + γ·V(s′), as a step inside the episode.
  const bootstrapped = head.toY(1 + 0.99 * head.toQ(vNext));
  assert.ok(Math.abs(critic.target({ ...step, truncated: true }) - bootstrapped) < 1e-7);
  assert.ok(Math.abs(critic.target(step) - bootstrapped) < 1e-7);
  assert.ok(bootstrapped > head.toY(1));
  const before = critic.value(s);
  const delta = critic.step({ ...step, truncated: true });
  assert.ok(Math.abs(delta - (bootstrapped - before)) < 1e-6);
});

test('critic: a positive TD error raises V(s), a negative one lowers it', () => {
  const head = new ValueHead(0, 100);
  for (const [reward, terminated] of [
    [100, false],
    [0, true],
  ] as const) {
    const critic = new Critic(columns(1, 0.5), head, 0.99, 0, 4);
    const s = boxed(0, 0, 0, 0);
    const before = critic.value(s);
    const delta = critic.step({ features: s, reward, next: boxed(0, 0, 0, 1), terminated, truncated: false });
    const after = critic.value(s);
    assert.ok(Math.abs(delta) > 0.05, `δ ${delta}`);
    assert.equal(Math.sign(after - before), Math.sign(delta), `δ ${delta}: V ${before} → ${after}`);
  }
});

test("critic: TD(λ)'s trace gives the state k steps back δ·λ^k, and ends with the episode", () => {
  const critic = new Critic(columns(1), new ValueHead(0, 100), 0.99, 0.5, 10);
  const calls = spy(critic.column.rules[0]);
  const states = [boxed(0, 0, 0, 0), boxed(0, 0, 2 * DEG, 0), boxed(0, 0, 4 * DEG, 1), boxed(1, 0, 4 * DEG, 1)];
  const deltas: number[] = [];
  for (let i = 0; i < 3; i++)
    deltas.push(
      critic.step({ features: states[i], reward: 1, next: states[i + 1], terminated: i === 2, truncated: false }),
    );
  // Step i traces i + 1 states, newest first: δ_i·λ^k (× n under the batch mean).
  deltas.forEach((d, i) => {
    const e = calls[i];
    assert.equal(e.length, i + 1);
    e.forEach((v, k) => assert.ok(Math.abs(v / (i + 1) - d * 0.5 ** k) < 1e-5, `step ${i}, k ${k}: ${v}`));
  });
  // The episode ended at step 2: the next step's trace holds its own state only.
  critic.step({ features: states[0], reward: 1, next: states[1], terminated: false, truncated: false });
  assert.equal(calls[3].length, 1);
  // λ = 0 is TD(0): one state per step.
  const td0 = new Critic(columns(1), new ValueHead(0, 100), 0.99, 0, 10);
  const calls0 = spy(td0.column.rules[0]);
  for (let i = 0; i < 3; i++)
    td0.step({ features: states[i], reward: 1, next: states[i + 1], terminated: false, truncated: false });
  assert.deepEqual(
    calls0.map((c) => c.length),
    [1, 1, 1],
  );
});

test('actor: the columns that acted take success·δ·decay^k, raised on positive δ and lowered on negative', () => {
  for (const delta of [0.02, -0.05]) {
    const config = resolveRlConfig({
      agent: 'ed-columns',
      critic: true,
      encoding: 'boxes',
      amine: 'linear',
      success: 4,
      trace: 5,
      traceDecay: 0.5,
    });
    const cols = columns(2);
    const calls = cols.rules.map(spy);
    const stub = { step: () => delta } as unknown as Critic;
    const agent = new ColumnAgent(config, cols, new Random(1), stub);
    const s = [boxed(0, 0, 0, 0), boxed(0, 0, 2 * DEG, 0), boxed(0, 0, 4 * DEG, 1)];
    // Actions 1, 0, 1: after the third step, column 1 has rows k = 0 and 2, column 0 the row k = 1.
    [1, 0, 1].forEach((action, i) => {
      agent.observe({
        features: s[i],
        action,
        reward: 1,
        next: s[i],
        terminated: false,
        truncated: false,
        failed: false,
      });
    });
    const last1 = calls[1][calls[1].length - 1];
    const last0 = calls[0][calls[0].length - 1];
    assert.equal(last1.length, 2);
    assert.ok(Math.abs(last1[0] / 2 - 4 * delta) < 1e-5);
    assert.ok(Math.abs(last1[1] / 2 - 4 * delta * 0.25) < 1e-5);
    assert.equal(last0.length, 1);
    assert.ok(Math.abs(last0[0] - 4 * delta * 0.5) < 1e-5);
    for (const e of [...last0, ...last1]) assert.equal(Math.sign(e), Math.sign(delta));
  }
});

test('actor: opponent gives the columns that did not act the opposite amine', () => {
  const config = resolveRlConfig({
    agent: 'ed-columns',
    critic: true,
    encoding: 'boxes',
    amine: 'opponent',
    success: 1,
    trace: 5,
    traceDecay: 0.5,
  });
  const cols = columns(2);
  const calls = cols.rules.map(spy);
  const agent = new ColumnAgent(config, cols, new Random(1), { step: () => 0.1 } as unknown as Critic);
  const s = [boxed(0, 0, 0, 0), boxed(0, 0, 2 * DEG, 0)];
  [0, 1].forEach((action, i) => {
    agent.observe({
      features: s[i],
      action,
      reward: 1,
      next: s[i],
      terminated: false,
      truncated: false,
      failed: false,
    });
  });
  // Newest first: column 1 acted at k = 0 (+0.1) and not at k = 1 (−0.05); column 0 the reverse.
  const e1 = calls[1][calls[1].length - 1].map((v) => v / 2);
  const e0 = calls[0][calls[0].length - 1].map((v) => v / 2);
  assert.ok(Math.abs(e1[0] - 0.1) < 1e-5 && Math.abs(e1[1] + 0.05) < 1e-5, `column 1: ${e1}`);
  assert.ok(Math.abs(e0[0] + 0.1) < 1e-5 && Math.abs(e0[1] - 0.05) < 1e-5, `column 0: ${e0}`);
});

test('settle: the step scale is 1 − settle·(share of the last 20 episodes that reached the threshold)', () => {
  const scales: number[] = [];
  const rule = { setLearningRateScale: (s: number) => scales.push(s) };
  const settle = new Settle(1, 475, [{ rules: [rule] } as unknown as Columns]);
  const episode = (steps: number) => {
    for (let i = 1; i <= steps; i++) settle.step(1, i === steps);
  };
  for (let i = 0; i < 20; i++) episode(500);
  assert.equal(settle.scale, 0);
  episode(30);
  assert.ok(Math.abs(settle.scale - 1 / 20) < 1e-12);
  assert.equal(scales.length, 21);
  assert.equal(scales[0], 1 - 1 / 20);
  // No threshold (the MNIST task) or settle 0: the step is never scaled.
  const off = new Settle(0, 475, [{ rules: [rule] } as unknown as Columns]);
  off.step(500, true);
  assert.equal(scales.length, 21);
});
