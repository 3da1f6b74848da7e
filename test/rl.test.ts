// Reinforcement learning: CartPole's dynamics against values derived by hand, the encoding's invariants, each
// agent learning something in a short seeded run, and saved agents playing exactly as before.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { getBackend, referenceBackend } from '../src/kernels/index.js';
import { Random } from '../src/random.js';
import { agentFromBytes, agentToBytes } from '../src/rl/agent-file.js';
import { createAgent, valueScale } from '../src/rl/agent.js';
import { DuelingColumns } from '../src/rl/dueling.js';
import { CARTPOLE, CartPole, cartpoleStep } from '../src/rl/cartpole.js';
import { resolveRlConfig, type RlInput } from '../src/rl/config.js';
import { pixelEncoding, rbfEncoding } from '../src/rl/encoding.js';
import { envSeed, playGreedy, trainAgent } from '../src/rl/loop.js';
import { RewardOnlyMnist } from '../src/rl/mnist-task.js';
import { runRl } from '../src/rl/run.js';
import { buildColumns } from '../src/train/build.js';
import type { EdClassifier } from '../src/rules/ed.js';
import { rlCommand } from '../src/cli/rl.js';
import { readRlLogs, rlFigures, rlMarkdown } from '../src/report/rl.js';
import { UserError } from '../src/errors.js';
import { assertAllClose, runCli, tempDir } from './helpers.js';

test('CartPole: two Euler steps from rest match the equations solved by hand', () => {
  // From (0, 0, 0, 0) pushing right: sin θ = 0, so temp = F/(M+m) = 100/11, θ̈ = −temp / (l(4/3 − m/(M+m)))
  // = −(100/11)/(41/66) = −600/41, ẍ = temp − m·l·θ̈/(M+m) = 100/11 + 300/451 = 4400/451.
  const s1 = cartpoleStep([0, 0, 0, 0], 1);
  assertAllClose(s1, [0, (0.02 * 4400) / 451, 0, (-0.02 * 600) / 41], { rtol: 1e-12, atol: 1e-15 });
  // θ is still 0 at the start of step 2, so the accelerations repeat and the positions take the first velocities.
  const s2 = cartpoleStep(s1, 1);
  assertAllClose(s2, [(0.02 * 0.02 * 4400) / 451, (0.04 * 4400) / 451, (-0.02 * 0.02 * 600) / 41, (-0.04 * 600) / 41], {
    rtol: 1e-12,
    atol: 1e-15,
  });
  // Pushing left mirrors it.
  assertAllClose(
    cartpoleStep([0, 0, 0, 0], 0),
    Array.from(s1, (v) => -v),
    { rtol: 1e-12, atol: 1e-15 },
  );
  // A pole leaning right at rest, no net push asymmetry: gravity alone, θ̈ = g·sin θ·… with temp = ±F/(M+m) + 0.
  const theta = 0.1;
  const temp = -10 / 1.1;
  const thetaAcc =
    (9.8 * Math.sin(theta) - Math.cos(theta) * temp) / (0.5 * (4 / 3 - (0.1 * Math.cos(theta) ** 2) / 1.1));
  assertAllClose(
    cartpoleStep([0, 0, theta, 0], 0),
    [0, 0.02 * (temp - (0.05 * thetaAcc * Math.cos(theta)) / 1.1), theta, 0.02 * thetaAcc],
    { rtol: 1e-12, atol: 1e-15 },
  );
});

test(
  'CartPole: seeded start in ±0.05, termination past 12° ' + 'or 2.4 m, truncation at 500 steps, reward 1 per step',
  () => {
    const env = new CartPole();
    const a = env.reset(7);
    assert.deepEqual(Array.from(new CartPole().reset(7)), Array.from(a));
    assert.ok(a.every((v) => Math.abs(v) <= 0.05));
    // Always pushing right: the pole falls to the left before the cart leaves the track.
    let step: ReturnType<CartPole['step']>;
    let n = 0;
    do {
      step = env.step(1);
      n++;
      assert.equal(step.reward, 1);
    } while (!step.terminated && !step.truncated);
    assert.ok(
      step.terminated && !step.truncated && step.state[2] < -CARTPOLE.thetaLimit && n < 30,
      `fell after ${n} steps`,
    );
    assert.throws(() => env.step(0), /call reset/);
    // A hand-made balancing controller is cut at 500 steps, not terminated.
    let s = env.reset(1);
    for (n = 0; ; ) {
      step = env.step(s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0 ? 1 : 0);
      n++;
      s = step.state;
      if (step.terminated || step.truncated) break;
    }
    assert.equal(n, 500);
    assert.ok(step.truncated && !step.terminated);
  },
);

test('the encodings are non-negative, bounded, deterministic, sparse and tell states apart', () => {
  const enc = rbfEncoding();
  assert.equal(enc.features, 40);
  const rng = new Random(3);
  const out = new Float32Array(enc.features);
  const again = new Float32Array(enc.features);
  for (let i = 0; i < 500; i++) {
    // Extremes beyond the scales too: they clip.
    const s = [0, 0, 0, 0].map(() => (rng.next() * 2 - 1) * (i % 5 === 0 ? 100 : 3));
    enc.encode(s, out);
    enc.encode(s, again);
    assert.deepEqual(out, again);
    assert.ok(out.every((v) => v >= 0 && v <= 1 && Number.isFinite(v)));
    // A bump is cut below 10⁻³, beyond 3.7 spacings from its centre: at most 8 of 10 per variable are non-zero.
    assert.ok(out.filter((v) => v === 0).length >= 8, `${out.filter((v) => v === 0).length} zeros`);
  }
  enc.encode([0, 0, 0.01, 0], out);
  enc.encode([0, 0, -0.01, 0], again);
  assert.notDeepEqual(out, again);
  const pixels = pixelEncoding(3);
  const p = new Float32Array(3);
  pixels.encode([0, 0.5, 1], p);
  assert.deepEqual(Array.from(p), [0, 0.5, 1]);
});

test(
  'EdClassifier.learnTargets moves each output towards its target by the weighted amine, and a 0 weight ' +
    'changes nothing',
  () => {
    const [col] = buildColumns(
      { config: { rule: 'ed', ed: resolveRlConfig({}).ed, seed: 4 }, inputs: 3, columns: 1, maxBatch: 4 },
      referenceBackend,
    );
    const ed = col as EdClassifier;
    const batch = {
      size: 1,
      start: Int32Array.of(0),
      end: Int32Array.of(2),
      index: Int32Array.of(0, 2),
      value: Float32Array.of(0.5, 1),
      labels: [0],
    };
    const scores = new Float32Array(2);
    ed.predict(batch, scores);
    const before = scores[1];
    const weights = ed.parameters().map((p) => Float32Array.from(p));
    const y = ed.learnTargets(batch, [1], [0]);
    assert.equal(y[0], before);
    ed.parameters().forEach((p, i) => assert.deepEqual(p, weights[i]));
    ed.learnTargets(batch, [1]);
    ed.predict(batch, scores);
    assert.ok(scores[1] > before, `${scores[1]} > ${before}`);
    const up = scores[1];
    ed.learnTargets(batch, [0], [0.5]);
    ed.predict(batch, scores);
    assert.ok(scores[1] < up);
  },
);

/** Mean of returns[from … to). */
const mean = (r: Float32Array, from: number, to: number) =>
  r.subarray(from, to).reduce((a, b) => a + b, 0) / (to - from);

const backend = getBackend('auto');

function shortCartpole(input: RlInput, episodes: number) {
  const config = resolveRlConfig({ env: 'cartpole', seed: 1, episodes, ...input });
  const env = new CartPole();
  const encoding = rbfEncoding();
  const agent = createAgent(
    config,
    { features: encoding.features, actions: 2, valueScale: valueScale(1, 500, config.gamma) },
    backend,
  );
  return { config, agent, env, encoding, ...trainAgent(agent, env, encoding, { seed: envSeed(1), episodes }) };
}

for (const [agent, input, episodes] of [
  ['ed-dqn', { epsDecay: 4000, learnStart: 500 }, 240],
  ['bp-dqn', { epsDecay: 4000, learnStart: 500 }, 240],
] as const) {
  test(`${agent} learns CartPole in a short seeded run: the last 20 episodes return ≥ 3× the first 20`, () => {
    const { returns } = shortCartpole({ agent, ...input }, episodes);
    const first = mean(returns, 0, 20);
    const last = mean(returns, episodes - 20, episodes);
    assert.ok(last >= 3 * first, `${agent}: first 20 ${first}, last 20 ${last}`);
  });
}

test(
  'ed-columns learns the reward-only MNIST task from reward ' + 'alone: greedy validation accuracy well above chance',
  () => {
    const o = runRl({ env: 'mnist', agent: 'ed-columns', episodes: 4000, evalEvery: 4000, validation: 1000 });
    assert.ok(o.result.validationAccuracy! > 0.6, `validation accuracy ${o.result.validationAccuracy}`);
    assert.equal(o.result.steps, 4000);
    assert.ok(o.result.accuracy! > 0.5);
  },
);

for (const agent of ['ed-dqn', 'bp-dqn'] as const) {
  test(`${agent} settle: learning stops once every recent episode held, and goes on without settle`, () => {
    const moved = (settle: number) => {
      const config = resolveRlConfig({ env: 'cartpole', agent, seed: 3, settle, learnStart: 0, replay: 8, batch: 4 });
      const shape = { features: 3, actions: 2, valueScale: 10, solvedAt: 0 };
      const a = createAgent(config, shape, referenceBackend);
      const features = Float32Array.of(0.2, 0.5, 1);
      // One-step episodes of return 1 ≥ solvedAt 0: after SETTLE_WINDOW (20) of them, every recent episode held.
      const step = (action: number) =>
        a.observe({ features, action, reward: 1, next: features, terminated: true, truncated: false, failed: false });
      for (let e = 0; e < 20; e++) step(e % 2);
      const before = a.columns.parameters().map((p) => Float32Array.from(p));
      for (let e = 0; e < 10; e++) step(e % 2);
      return a.columns.parameters().some((p, i) => p.some((w, j) => w !== before[i][j]));
    };
    assert.equal(moved(1), false);
    assert.equal(moved(0), true);
  });
}

for (const agent of ['ed-dqn', 'bp-dqn'] as const) {
  test(`${agent} settle by return: half the way to the threshold halves the first step; held leaves it whole`, () => {
    const change = (settleBy: 'held' | 'return') => {
      const config = resolveRlConfig({
        env: 'cartpole',
        agent,
        seed: 3,
        settleBy,
        learnStart: 20,
        replay: 32,
        batch: 4,
      });
      // Returns of 1 against a threshold of 2 from a worst return of 0: the graded share is 0.5, the held one 0.
      const shape = { features: 3, actions: 2, valueScale: 10, solvedAt: 2, worstReturn: 0 };
      const a = createAgent(config, shape, referenceBackend);
      const features = Float32Array.of(0.2, 0.5, 1);
      const step = (action: number) =>
        a.observe({ features, action, reward: 1, next: features, terminated: true, truncated: false, failed: false });
      for (let e = 0; e < 19; e++) step(e % 2);
      const before = a.columns.parameters().map((p) => Float32Array.from(p));
      step(1); // the 20th episode ends, the schedule is set, then the first update
      return a.columns
        .parameters()
        .reduce((sum, p, i) => sum + p.reduce((s, w, j) => s + Math.abs(w - before[i][j]), 0), 0);
    };
    const held = change('held');
    assert.ok(held > 0);
    assert.ok(Math.abs(change('return') / held - 0.5) < 0.02, `${change('return') / held}`);
  });
}

test('a saved agent reloads and plays identically for a fixed seed', () => {
  for (const [agent, dueling] of [
    ['ed-dqn', false],
    ['ed-dqn', true],
    ['bp-dqn', false],
    ['bp-dqn', true],
    ['ed-columns', false],
  ] as const) {
    const { config, agent: trained, env, encoding, result } = shortCartpole({ agent, dueling, learnStart: 100 }, 30);
    const played = playGreedy(trained, env, encoding, 5, 11);
    const bytes = agentToBytes(
      trained,
      config,
      'reference',
      {
        name: env.name,
        actions: 2,
        observationSize: 4,
        features: encoding.features,
        encoding: encoding.name,
        valueScale: 100,
      },
      result,
    );
    const { header, agent: loaded } = agentFromBytes(bytes, 'agent.edlearn', backend);
    assert.equal(header.config.agent, agent);
    assert.deepEqual(playGreedy(loaded, new CartPole(), encoding, 5, 11), played, `${agent} dueling ${dueling}`);
  }
});

for (const agent of ['ed-dqn', 'bp-dqn'] as const) {
  test(`${agent} dueling: Q = V + A − mean A from the networks' outputs; fit moves Q(s, a) towards its target`, () => {
    const config = resolveRlConfig({ env: 'acrobot', agent, seed: 4, dueling: true });
    const a = createAgent(config, { features: 3, actions: 3, valueScale: 0, valueMin: -100 }, referenceBackend);
    const cols = a.columns;
    assert.ok(cols instanceof DuelingColumns);
    assert.equal(cols.actions, 3);
    assert.equal(cols.rules.length, 4);
    const rows = Float32Array.of(0.2, 0.5, 1, 0.9, 0, 0.3);
    const batch = () => cols.load(rows, [0, 1], 2);
    const q = cols.values(batch(), new Float32Array(6));
    const raw = cols.rules.map((rule) => {
      const out = new Float32Array(4);
      rule.predict(batch(), out);
      return [out[1], out[3]];
    });
    for (let b = 0; b < 2; b++) {
      const mean = (raw[1][b] + raw[2][b] + raw[3][b]) / 3;
      for (let k = 0; k < 3; k++) assert.ok(Math.abs(q[b * 3 + k] - (raw[0][b] + raw[1 + k][b] - mean)) < 1e-6);
    }
    // Action 2's value moves up towards a higher target on both samples; V and A_2 move, A_0 and A_1 do not.
    const before = cols.rules.map((r) => r.parameters().map((p) => Float32Array.from(p)));
    const targets = Float32Array.from([q[2] + 0.2, q[5] + 0.2]);
    for (let i = 0; i < 5; i++) cols.fit(2, batch(), targets);
    const after = cols.values(batch(), new Float32Array(6));
    assert.ok(after[2] > q[2] && after[5] > q[5], `${q[2]} → ${after[2]}, ${q[5]} → ${after[5]}`);
    const moved = cols.rules.map((r, k) => r.parameters().some((p, i) => p.some((w, j) => w !== before[k][i][j])));
    assert.deepEqual(moved, [true, false, false, true]);
  });
}

test('reward-only MNIST: reward 1 for the digit only, one-step episodes, the label never in the state', () => {
  const split = { x: Uint8Array.of(0, 255, 255, 0), labels: Uint8Array.of(1, 0), count: 2 };
  const env = new RewardOnlyMnist(split, 2, 1 / 255, 0, false);
  assert.deepEqual(Array.from(env.reset()), [0, 1]);
  const wrong = env.step(0);
  assert.deepEqual([wrong.reward, wrong.terminated, env.failed(wrong)], [0, true, true]);
  assert.deepEqual(Array.from(env.reset()), [1, 0]);
  const right = env.step(0);
  assert.deepEqual([right.reward, env.failed(right)], [1, false]);
  assert.throws(() => env.step(0), /call reset/);
});

test('edlearn rl: --json summary fields, NDJSON log, --save then --load --greedy, and one-line errors', () => {
  const dir = tempDir();
  const log = join(dir, 'rl.ndjson');
  const file = join(dir, 'agent.edlearn');
  const r = runCli([
    'rl',
    'cartpole',
    '--agent',
    'ed-dqn',
    '--episodes',
    '20',
    '--learn-start',
    '100',
    '--json',
    '--log',
    log,
    '--save',
    file,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  for (const k of ['solvedAtEpisode', 'finalMean100', 'greedy', 'bestMean100', 'episodes', 'steps', 'stepsPerSecond'])
    assert.ok(k in summary.result, k);
  assert.deepEqual(Object.keys(summary.result.greedy), ['episodes', 'mean', 'min']);
  assert.equal(summary.result.episodes, 20);
  assert.equal(summary.config.seed, 1);
  // ed-dqn's CartPole default has the dueling heads; --no-dueling turns them off.
  assert.equal(summary.config.dueling, true);
  const plain = runCli(['rl', 'cartpole', '--no-dueling', '--episodes', '2', '--json', '--quiet']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(JSON.parse(plain.stdout).config.dueling, false);
  const events = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    [events[0].event, events[0].format, events.at(-1).event, events.length],
    ['start', 'edlearn-rl-log', 'end', 22],
  );
  assert.ok(events[0].backend && events[0].version && events[0].config.ed);
  // The report's tables and figures read the log alone.
  const runs = readRlLogs([log]);
  assert.match(rlMarkdown(runs), /\| ed-dqn \| 0 \/ 1 \(0\) \| — \| \d+\.\d \| \d+\.\d \| 1: — \/ \d+ \/ \d+ \|/);
  assert.equal(rlFigures(runs).length, 1);
  const play = (args: string[]) =>
    runCli(['rl', 'cartpole', '--load', file, '--greedy', '--episodes', '3', '--json', ...args]);
  assert.deepEqual(JSON.parse(play([]).stdout).result.returns, JSON.parse(play([]).stdout).result.returns);
  for (const [args, pattern] of [
    [['rl', 'cartpole', '--gamma', '1.5'], /--gamma.*expected a number > 0 and ≤ 1/],
    [['eval', '--model', file], /is an RL agent/],
  ] as const) {
    const e = runCli([...args]);
    assert.equal(e.code, 2, `${args.join(' ')}: ${e.stderr}`);
    assert.match(e.stderr, pattern);
    assert.doesNotMatch(e.stderr, /\n\s+at /);
  }
  for (const [env, options, pattern] of [
    ['pong', {}, /unknown environment 'pong'/],
    ['cartpole', { load: file }, /add --greedy/],
    ['mnist', { load: file, greedy: true }, /is an agent for cartpole/],
    ['cartpole', { epsStart: 0.1, epsEnd: 0.5 }, /eps-end 0.5 is above eps-start 0.1/],
  ] as const)
    assert.throws(
      () => rlCommand(env, options, () => {}),
      (err: Error) => err instanceof UserError && pattern.test(err.message),
    );
});

test('the environments, agents and loop are in the public API, Node and browser', async () => {
  const node = await import('../src/index.js');
  const browser = await import('../src/browser.js');
  for (const api of [node, browser]) {
    for (const name of [
      'CartPole',
      'Acrobot',
      'MountainCar',
      'ValueHead',
      'RewardOnlyMnist',
      'rbfEncoding',
      'pixelEncoding',
      'resolveRlConfig',
      'createAgent',
      'trainAgent',
      'RlSession',
      'playGreedy',
      'agentToBytes',
      'agentFromBytes',
      'buildColumns',
    ]) {
      assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
    }
  }
  assert.equal(typeof node.runRl, 'function');
});
