// The parity suite between the plain rule (src/rules/ed.ts) and the engine's fast path (src/engine/): the engine's
// layouts and threads change where and in which order floats are added, never what is learned. The per-network
// engine against the plain rule (bit for bit), the stacked first layer against the per-network one (float32
// rounding apart), whole runs of updates against one batch at a time (bit for bit), 1 against 2 threads (bit for
// bit), WebAssembly against the reference.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { loadMnist } from '../src/data/dataset.js';
import { buildTask, type Task } from '../src/data/tasks.js';
import { spreadNetworks } from '../src/engine/threads.js';
import { getBackend } from '../src/kernels/index.js';
import { EdClassifier } from '../src/rules/ed.js';
import type { EdLayout } from '../src/train/build.js';
import type { Rule } from '../src/rules/rule.js';
import { buildRule, maxBatchFor } from '../src/train/build.js';
import { resolveConfig, type TrainInput } from '../src/train/config.js';
import { train, type TrainResult } from '../src/train/trainer.js';
import { predictRows } from '../src/train/predict.js';
import { toSparseRows } from '../src/data/sparse.js';
import { Random } from '../src/random.js';
import { assertAllClose } from './helpers.js';

const mnist = loadMnist();
/** The first 1,200 training images of every class (an epoch of 1,200 online updates), validated on the next 300. */
const full = buildTask(mnist, 'all', []);
const slice = (from: number, to: number) => ({
  x: full.train.x.subarray(from * 784, to * 784),
  labels: full.train.labels.subarray(from, to),
  count: to - from,
});
const tenClasses: Task = { ...full, train: slice(0, 1200), validation: slice(1200, 1500), test: slice(1500, 1600) };

interface Run {
  rule: Rule;
  result: TrainResult;
}

/** Two epochs of kaneko-mnist (odd H: K·H = 130 is not a multiple of 4), α × 0.5 per epoch, evaluated every 500. */
function run(
  o: {
    layout?: EdLayout | 'plain rule';
    threads?: number;
    backend?: string;
    sequence?: boolean;
    input?: TrainInput;
    task?: Task;
    /** Without the backend's whole-sequence stacked step: the stacked layout's JavaScript path. */
    noStep?: boolean;
  } = {},
): Run {
  const task = o.task ?? tenClasses;
  const config = resolveConfig({ preset: 'kaneko-mnist', task: 'all', units: 13, lrDecay: 0.5, ...o.input });
  const kernels = getBackend(o.backend ?? 'wasm-simd');
  const backend = o.noStep ? Object.create(kernels, { edLearnStacked: { value: undefined } }) : kernels;
  const maxBatch = maxBatchFor(config.train.batch);
  // The plain rule alone, with the initial weights the builder draws (its stream: a fork of the seed).
  const rule =
    o.layout === 'plain rule'
      ? new EdClassifier(config.ed!, task.inputs, task.classes, backend, new Random(config.seed).fork(1), maxBatch)
      : buildRule({ config, inputs: task.inputs, classes: task.classes, maxBatch, layout: o.layout }, backend);
  if (o.sequence === false) (rule as { learnSequence?: unknown }).learnSequence = undefined;
  const pool = spreadNetworks(rule, o.threads ?? 1, config.train.batch);
  if ((o.threads ?? 1) > 1) assert.equal(pool?.threads, o.threads);
  try {
    return {
      rule,
      result: train(rule, task, { batch: config.train.batch, epochs: 2, seed: 5, order: 'shuffle', evalEvery: 500 }),
    };
  } finally {
    void pool?.close();
  }
}

const hash = (rule: Rule) => {
  const h = createHash('sha256');
  for (const p of rule.parameters()) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex');
};
const trace = (r: TrainResult) => ({
  epochErrors: r.epochErrors,
  history: r.history.map((e) => [e.update, e.trainAccuracy, e.trainError, e.valAccuracy]),
});

test('stacked layout: 1 and 2 threads give the same weights and statistics, bit for bit', () => {
  const one = run({ threads: 1 });
  const two = run({ threads: 2 });
  assert.equal(hash(two.rule), hash(one.rule));
  assert.deepEqual(trace(two.result), trace(one.result));
});

test('stacked layout: the WebAssembly whole-sequence step learns what the JavaScript path does, bit for bit', () => {
  const pair = buildTask(mnist, 'pair', [4, 9]);
  const cut = (from: number, to: number) => ({
    x: pair.train.x.subarray(from * 784, to * 784),
    labels: pair.train.labels.subarray(from, to),
    count: to - from,
  });
  const two: Task = { ...pair, train: cut(0, 1000), validation: cut(1000, 1300), test: cut(1300, 1400) };
  // 10 networks of 13 units (a wide row of 130: leftover columns; a sigmoid per network), of 16, one network of 8.
  for (const [input, task] of [
    [{}, tenClasses],
    [{ units: 16 }, tenClasses],
    [{ preset: 'kaneko', task: 'pair', units: 8 }, two],
  ] as const) {
    const step = run({ layout: 'stacked', input, task });
    const js = run({ layout: 'stacked', input, task, noStep: true });
    assert.equal(hash(step.rule), hash(js.rule), JSON.stringify(input));
    assert.deepEqual(trace(step.result), trace(js.result), JSON.stringify(input));
  }
});

test('the stacked layout predicts on its wide rows what the per-network layout predicts, bit for bit', () => {
  // 64 units (a multiple of 4: the wide-row path) and 13 (the copies network by network), on 1 and 2 threads.
  for (const units of [64, 13]) {
    const config = resolveConfig({ preset: 'kaneko-mnist', task: 'all', units, initMax: 0.3 });
    const be = getBackend('wasm-simd');
    const rows = toSparseRows(tenClasses.validation, 784, tenClasses.scale, be);
    const scores = (layout: EdLayout, threads: number) => {
      const rule = buildRule({ config, inputs: 784, classes: 10, maxBatch: 256, layout }, be);
      const pool = spreadNetworks(rule, threads, 256);
      try {
        return predictRows(rule, rows).scores;
      } finally {
        void pool?.close();
      }
    };
    const want = scores('per-network', 1);
    assert.deepEqual(scores('stacked', 1), want, `${units} units`);
    assert.deepEqual(scores('stacked', 2), want, `${units} units, 2 threads`);
  }
});

test('whole runs of updates (learnSequence) equal one batch at a time, bit for bit, in both layouts', () => {
  for (const layout of ['stacked', 'per-network'] as const) {
    const runs = run({ layout });
    const batches = run({ layout, sequence: false });
    assert.equal(hash(runs.rule), hash(batches.rule), layout);
    assert.deepEqual(trace(runs.result), trace(batches.result), layout);
  }
  // A batched run too (the per-network layout, several updates per run).
  const input = { preset: 'seed', units: 8, layers: 2, batch: 32 } as const;
  assert.equal(hash(run({ input }).rule), hash(run({ input, sequence: false }).rule));
});

test('the engine (per-network layout, whole runs of updates) learns what the plain rule does, bit for bit', () => {
  const plain = run({ layout: 'plain rule' });
  assert.equal(plain.rule.learnSequence, undefined, 'the plain rule learns batch by batch');
  const engine = run({ layout: 'per-network' });
  assert.equal(hash(engine.rule), hash(plain.rule));
  assert.deepEqual(trace(engine.result), trace(plain.result));
  const batched = { preset: 'seed', units: 8, layers: 2, batch: 32 } as const;
  assert.equal(
    hash(run({ layout: 'per-network', input: batched }).rule),
    hash(run({ layout: 'plain rule', input: batched }).rule),
  );
});

test('one network deciding two classes (the seed baseline): the fused step learns and counts as the plain rule', () => {
  // 4 vs 9: one network, whose batch statistics the fused step counts itself (edLearn's stats).
  const pair = buildTask(mnist, 'pair', [4, 9]);
  const cut = (from: number, to: number) => ({
    x: pair.train.x.subarray(from * 784, to * 784),
    labels: pair.train.labels.subarray(from, to),
    count: to - from,
  });
  const two: Task = { ...pair, train: cut(0, 1000), validation: cut(1000, 1300), test: cut(1300, 1400) };
  for (const input of [
    { preset: 'seed', batch: 64 },
    { preset: 'kaneko', units: 8 },
    { preset: 'seed', batch: 8 },
  ] as const) {
    const engine = run({ layout: 'per-network', input, task: two });
    const plain = run({ layout: 'plain rule', input, task: two });
    assert.equal(hash(engine.rule), hash(plain.rule), input.preset);
    assert.deepEqual(trace(engine.result), trace(plain.result), input.preset);
  }
});

test(
  'the stacked layout learns what the per-network one does, within float32 rounding, and so does the ' +
    'reference backend',
  () => {
    const stacked = run({ layout: 'stacked' });
    const perNetwork = run({ layout: 'per-network' });
    const reference = run({ layout: 'stacked', backend: 'reference' });
    const plain = run({ layout: 'plain rule', backend: 'reference' });
    const [a, b, c, d] = [stacked, perNetwork, reference, plain].map((r) => r.rule.parameters());
    for (let i = 0; i < a.length; i++) {
      assertAllClose(a[i], b[i], { rtol: 1e-3, atol: 1e-5 });
      assertAllClose(a[i], c[i], { rtol: 1e-3, atol: 1e-5 });
      assertAllClose(a[i], d[i], { rtol: 1e-3, atol: 1e-5 });
    }
    assert.ok(Math.abs(stacked.result.finalValAccuracy - perNetwork.result.finalValAccuracy) <= 0.01);
  },
);

test(
  'a group of more than 16 networks (26 classes of 40 inputs: one band) learns as the per-network layout ' +
    'does, on 1 and 2 threads',
  () => {
    const rng = new Random(3);
    const split = (count: number) => {
      const labels = Uint8Array.from({ length: count }, () => Math.floor(rng.next() * 26));
      // Each class lights its own few inputs, plus noise: learnable, sparse like images.
      const x = new Uint8Array(count * 40);
      labels.forEach((l, i) => {
        for (let j = 0; j < 40; j++)
          if (j % 26 === l || rng.next() < 0.1) x[i * 40 + j] = 1 + Math.floor(rng.next() * 255);
      });
      return { x, labels, count };
    };
    const letters: Task = {
      name: 'letters',
      inputs: 40,
      classes: 26,
      classNames: Array.from({ length: 26 }, (_, k) => String.fromCharCode(97 + k)),
      scale: 1 / 255,
      train: split(600),
      validation: split(100),
      test: split(100),
      source: { dataset: 'generated', fingerprint: 'letters' },
    };
    const runOn = (layout: EdLayout, threads: number) => {
      const config = resolveConfig({ preset: 'kaneko-mnist', task: 'all', units: 8 });
      const rule = buildRule(
        { config, inputs: 40, classes: 26, maxBatch: maxBatchFor(1), layout },
        getBackend('wasm-simd'),
      );
      const pool = spreadNetworks(rule, threads, 1);
      try {
        train(rule, letters, { batch: 1, epochs: 2, seed: 2, order: 'shuffle', evalEvery: 400 });
      } finally {
        void pool?.close();
      }
      return rule;
    };
    const stacked = runOn('stacked', 1);
    assert.equal(hash(runOn('stacked', 2)), hash(stacked));
    const perNetwork = runOn('per-network', 1).parameters();
    stacked.parameters().forEach((p, i) => assertAllClose(p, perNetwork[i], { rtol: 1e-3, atol: 1e-5 }));
  },
);

test('with gainSpread, the stacked layout learns what the per-network one and the plain rule do', () => {
  const input = { gainSpread: 4 } as const;
  const stacked = run({ layout: 'stacked', input });
  const perNetwork = run({ layout: 'per-network', input });
  const plain = run({ layout: 'plain rule', input });
  assert.equal(hash(perNetwork.rule), hash(plain.rule));
  const [a, b] = [stacked, perNetwork].map((r) => r.rule.parameters());
  for (let i = 0; i < a.length; i++) assertAllClose(a[i], b[i], { rtol: 1e-3, atol: 1e-5 });
  assert.notEqual(hash(stacked.rule), hash(run({ layout: 'stacked' }).rule), 'the gains change what is learned');
});

test('connectivity < 1 runs on the stacked layout and learns what the per-network one and the plain rule do', () => {
  // With RMS normalisation the stacked layout learns network by network (weightsUpdated), without it as wide rows.
  for (const input of [{ connectivity: 0.5 }, { connectivity: 0.5, rmsNorm: true }] as const) {
    const stacked = run({ layout: 'stacked', input });
    const perNetwork = run({ layout: 'per-network', input });
    assert.equal(hash(perNetwork.rule), hash(run({ layout: 'plain rule', input }).rule));
    const [a, b] = [stacked, perNetwork].map((r) => r.rule.parameters());
    let cut = 0;
    for (let i = 0; i < a.length; i++) {
      assertAllClose(a[i], b[i], { rtol: 1e-3, atol: 1e-5 });
      // A connection the mask cut stays exactly 0 (an existing weight never lands on 0 exactly).
      b[i].forEach((w, j) => {
        if (w === 0) cut++;
        if (w === 0) assert.ok(a[i][j] === 0, `${JSON.stringify(input)}: array ${i}, weight ${j} is ${a[i][j]}`);
      });
    }
    const total = a.reduce((n, p) => n + p.length, 0);
    assert.ok(cut > total * 0.4 && cut < total * 0.6, `${cut} of ${total} weights cut`);
    assert.notEqual(hash(stacked.rule), hash(run({ layout: 'stacked', input: { rmsNorm: input.rmsNorm } }).rule));
  }
  // Online, the builder now picks the stacked layout for it, and two threads learn what one does, bit for bit.
  const config = resolveConfig({ preset: 'kaneko-mnist', task: 'all', connectivity: 0.5 });
  const rule = buildRule({ config, inputs: 784, classes: 10, maxBatch: 1 }, getBackend('wasm-simd')) as {
    layout?: EdLayout;
  };
  assert.equal(rule.layout, 'stacked');
  const input = { connectivity: 0.5 };
  assert.equal(hash(run({ layout: 'stacked', threads: 2, input }).rule), hash(run({ layout: 'stacked', input }).rule));
});
