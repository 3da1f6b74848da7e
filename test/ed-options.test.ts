// Sign and shape invariants of each option of the ED rule (the article's open questions).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getBackend } from '../src/kernels/index.js';
import { Random } from '../src/random.js';
import { EdClassifier, edLayerShapes } from '../src/rules/ed.js';
import type { EdOptions } from '../src/options/ed.js';
import { PRESETS } from '../src/options/presets.js';
import { assertAllClose, denseBatch } from './helpers.js';

const INPUTS = 12;
const base: EdOptions = { ...PRESETS.seed.rule, layers: 2, units: 8, lr: 0.3 };
const make = (o: Partial<EdOptions>, classes = 2, backend = 'reference') =>
  new EdClassifier({ ...base, ...o }, INPUTS, classes, getBackend(backend), new Random(1), 16);
const rng = new Random(3);
const batchOf = (clf: EdClassifier, n: number, classes = 2) =>
  denseBatch(
    clf.backend,
    Float32Array.from({ length: n * INPUTS }, () => (rng.next() < 0.3 ? 0 : rng.next())),
    n,
    INPUTS,
    Array.from({ length: n }, () => rng.int(classes)),
  );
const copy = (clf: EdClassifier) => clf.parameters().map((p) => Float32Array.from(p));

test(
  'softmax output: one network per class even for two classes, scores are probabilities, learning lowers ' +
    'the error',
  () => {
    const clf = make({ output: 'softmax' }, 3);
    assert.equal(make({ output: 'softmax' }, 2).networks, 2);
    const batch = batchOf(clf, 12, 3);
    const scores = new Float32Array(12 * 3);
    clf.predict(batch, scores);
    for (let b = 0; b < 12; b++)
      assert.ok(
        Math.abs(scores[b * 3] + scores[b * 3 + 1] + scores[b * 3 + 2] - 1) < 1e-5,
        `row ${b} sums to ${scores[b * 3] + scores[b * 3 + 1] + scores[b * 3 + 2]}`,
      );
    const first = clf.learn(batch).absError;
    let last = first;
    for (let i = 0; i < 30; i++) last = clf.learn(batch).absError;
    assert.ok(last < first, `Σ|e| ${first} → ${last}`);
  },
);

test('random unit types: counts drawn from typeSeed (reproducible), weights still carry s_m·s_k', () => {
  const shapes = (seed: number) =>
    edLayerShapes({ ...base, units: 40, unitTypes: 'random', typeSeed: seed }, INPUTS).map((L) => L.outExc);
  assert.deepEqual(shapes(5), shapes(5));
  assert.notDeepEqual(shapes(5), shapes(6));
  assert.ok(
    shapes(5)
      .slice(0, -1)
      .some((n) => n !== 20),
    'random counts should not all be the alternating 20',
  );
  const clf = make({ unitTypes: 'random', units: 9 });
  clf.shapes.forEach((L, l) => {
    const w = clf.nets[0].w[l];
    for (let i = 0; i < w.length; i++) {
      const typed = (Math.floor(i / L.out) < L.srcExc ? 1 : -1) * (i % L.out < L.outExc ? 1 : -1);
      assert.equal(Math.sign(w[i]), typed);
    }
  });
});

test('sparse connectivity: masked weights start and stay exactly 0; about the requested fraction exists', () => {
  const clf = make({ connectivity: 0.3 });
  for (let i = 0; i < 20; i++) clf.learn(batchOf(clf, 8));
  const w = clf.nets[0].w[0];
  const mask = clf.nets[0].mask[0];
  let kept = 0;
  for (let i = 0; i < w.length; i++) {
    if (mask[i] === 0) assert.ok(w[i] === 0, `masked weight ${i} is ${w[i]}`);
    else kept++;
  }
  assert.ok(Math.abs(kept / w.length - 0.3) < 0.1, `kept ${kept / w.length}`);
});

test('weaken-excitatory lowering: inhibitory-source weights never change, excitatory ones never cross zero', () => {
  const clf = make({ lowering: 'weaken-excitatory', lr: 3 });
  const before = copy(clf);
  for (let i = 0; i < 40; i++) clf.learn(batchOf(clf, 8));
  clf.shapes.forEach((L, l) => {
    const w = clf.nets[0].w[l];
    const old = before[2 * l];
    for (let i = 0; i < w.length; i++) {
      if (Math.floor(i / L.out) >= L.srcExc) assert.equal(w[i], old[i], `inhibitory weight ${i} of layer ${l} changed`);
      else assert.ok(w[i] * old[i] >= 0, `excitatory weight ${i} of layer ${l} crossed zero`);
    }
  });
  // and some excitatory weight did shrink (that is how the output is lowered)
  assert.ok(clf.nets[0].w[0].some((v, i) => Math.abs(v) < Math.abs(before[0][i])));
});

test(
  "init any: weights start with both signs in −r…r; each update still moves w towards its type's sign " + 's_m·s_k',
  () => {
    const clf = make({ initSign: 'any' });
    const w0 = clf.nets[0].w[0];
    assert.ok(w0.some((v, i) => Math.sign(v) !== (Math.floor(i / 8) < INPUTS ? 1 : -1) * (i % 8 < 4 ? 1 : -1)));
    const L = clf.shapes[0];
    for (const label of [1, 0]) {
      // Every input non-zero, so every weight of the learning family moves, and only those.
      const x = Float32Array.from({ length: INPUTS }, (_, i) => 0.1 + i / INPUTS);
      const before = copy(clf);
      clf.learn(denseBatch(clf.backend, x, 1, INPUTS, [label]));
      let moved = 0;
      clf.nets[0].w[0].forEach((v, i) => {
        const d = v - before[0][i];
        const fromExc = Math.floor(i / L.out) < L.srcExc;
        assert.equal(d !== 0, fromExc === (label === 1), `weight ${i} (label ${label}) moved by ${d}`);
        if (d === 0) return;
        moved++;
        const typed = (fromExc ? 1 : -1) * (i % L.out < L.outExc ? 1 : -1);
        // Δw = α·z·f'·s_k·e on the family s_m = sign(e): its sign is s_k·s_m, whatever the sign of w.
        assert.equal(Math.sign(d), typed, `weight ${i} (label ${label}) moved against its type`);
      });
      assert.equal(moved, INPUTS * L.out, `label ${label}: ${moved} weights moved`);
    }
  },
);

test('ternary: forward weights are in {−1, 0, +1}·s_m·s_k while the float weights keep learning', () => {
  const clf = make({ ternary: true });
  const before = copy(clf);
  for (let i = 0; i < 5; i++) clf.learn(batchOf(clf, 8));
  clf.shapes.forEach((L, l) => {
    const q = clf.nets[0].wq[l];
    for (let i = 0; i < q.length; i++) {
      const typed = (Math.floor(i / L.out) < L.srcExc ? 1 : -1) * (i % L.out < L.outExc ? 1 : -1);
      assert.ok(q[i] === 0 || q[i] === typed, `layer ${l} ternary weight ${q[i]}`);
    }
  });
  assert.ok(clf.nets[0].weff.every((v) => [-2, -1, 0, 1, 2].includes(v)));
  assert.ok(clf.nets[0].w[0].some((v, i) => v !== before[0][i]));
});

test('ternary bias: with ternaryBias the bias weights the forward pass reads are ternary too; without, float', () => {
  const withBias = make({ ternary: true, ternaryBias: true });
  for (let i = 0; i < 5; i++) withBias.learn(batchOf(withBias, 8));
  withBias.shapes.forEach((L, l) => {
    const q = withBias.nets[0].biasQ[l];
    assert.equal(q.length, 2 * L.out);
    for (let i = 0; i < q.length; i++) {
      const typed = (i < L.out ? 1 : -1) * (i % L.out < L.outExc ? 1 : -1);
      assert.ok(q[i] === 0 || q[i] === typed, `layer ${l} ternary bias ${q[i]}`);
    }
    assert.ok(
      q.some((v) => v !== 0),
      `layer ${l}: every bias quantised to 0`,
    );
  });
  // Ternary values are invariant to a common scale of a layer's float weights and biases: the output is unchanged
  // when both are scaled with ternaryBias, and changes when the float biases reach the forward pass.
  for (const [ternaryBias, invariant] of [
    [true, true],
    [false, false],
  ] as const) {
    const clf = make({ ternary: true, ternaryBias });
    const batch = batchOf(clf, 4);
    const a = new Float32Array(8);
    clf.predict(batch, a);
    for (const p of clf.parameters()) for (let i = 0; i < p.length; i++) p[i] *= 3;
    clf.parametersChanged();
    const b = new Float32Array(8);
    clf.predict(batch, b);
    assert.equal(
      a.every((v, i) => v === b[i]),
      invariant,
      `ternaryBias ${ternaryBias}: ${a} vs ${b}`,
    );
  }
  assert.equal(make({ ternary: true }).nets[0].biasQ[0].length, 0, 'no quantised biases by default');
});

test('batch mean: the update of a batch is its sum ÷ the batch size', () => {
  const x = Float32Array.from({ length: 3 * INPUTS }, (_, i) => ((i * 7) % 5) / 5);
  const deltas = (batchReduce: 'sum' | 'mean') => {
    const clf = make({ batchReduce });
    const before = copy(clf);
    clf.learn(denseBatch(clf.backend, x, 3, INPUTS, [1, 0, 1]));
    return clf.parameters().map((p, i) => Float64Array.from(p, (v, k) => v - before[i][k]));
  };
  const sum = deltas('sum');
  const mean = deltas('mean');
  sum.forEach((d, i) =>
    assertAllClose(
      mean[i],
      d.map((v) => v / 3),
      { rtol: 1e-5, atol: 1e-8 },
    ),
  );
  assert.ok(sum[0].some((v) => v !== 0));
});

test('initial range ÷ √width: each layer |w| < initMax / √(its units), and reaches most of it', () => {
  const clf = make({ initScale: 'sqrt-width', initPerUnit: false, initMax: 1, units: 64, layers: 2 });
  clf.shapes.forEach((L, l) => {
    const limit = 1 / Math.sqrt(L.out);
    const all = [...clf.nets[0].w[l], ...clf.nets[0].bias[l]].map(Math.abs);
    const max = Math.max(...all);
    assert.ok(max < limit && max > 0.8 * limit, `layer ${l} (width ${L.out}): max |w| ${max}, limit ${limit}`);
  });
});

test(
  'softmax output with the true derivative: the linear ' + 'output steps as with derivative 1, hidden layers × 2/u0',
  () => {
    const x = Float32Array.from({ length: INPUTS }, (_, i) => 0.1 + i / INPUTS);
    const deltas = (derivative: 'kaneko' | 'true') => {
      const clf = make({ output: 'softmax', derivative, layers: 1 }, 3);
      const before = copy(clf);
      clf.learn(denseBatch(clf.backend, x, 1, INPUTS, [2]));
      return clf.parameters().map((p, i) => Float64Array.from(p, (v, k) => v - before[i][k]));
    };
    const kaneko = deltas('kaneko');
    const truth = deltas('true');
    const gain = 2 / base.u0;
    // parameters(): per network [w0, bias0, w1, bias1]; index 2 and 3 are the output layer.
    truth.forEach((d, i) => {
      const output = i % 4 >= 2;
      // Deltas are differences of float32 weights (|w| < 1/8 here): an absolute tolerance of an ulp or so.
      assertAllClose(
        d,
        kaneko[i].map((v) => (output ? v : v * gain)),
        { rtol: 1e-6, atol: 2e-8 },
      );
    });
    assert.ok(kaneko[2].some((v) => v !== 0));
  },
);

test("RMS normalisation: scaling a hidden layer's weights and biases does not change the output", () => {
  for (const backend of ['reference', 'wasm-relaxed-simd']) {
    const clf = make({ rmsNorm: true }, 2, backend);
    const batch = batchOf(clf, 4);
    const a = new Float32Array(8);
    clf.predict(batch, a);
    for (const p of [clf.nets[0].w[1], clf.nets[0].bias[1]]) for (let i = 0; i < p.length; i++) p[i] *= 10;
    clf.parametersChanged();
    const b = new Float32Array(8);
    clf.predict(batch, b);
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-4, `${backend}: ${a[i]} vs ${b[i]}`);
  }
});

test('options give the same results on the reference and WebAssembly backends', () => {
  const cases: Partial<EdOptions>[] = [
    { output: 'softmax' },
    { connectivity: 0.5 },
    { lowering: 'weaken-excitatory' },
    { ternary: true },
    { rmsNorm: true },
    { ternary: true, ternaryBias: true },
    { batchReduce: 'mean', lr: 3 },
    { updateScale: 'width', initScale: 'sqrt-width', initPerUnit: false },
  ];
  for (const o of cases) {
    const run = (backend: string) => {
      const clf = make(o, 3, backend);
      const r = new Random(9);
      const x = Float32Array.from({ length: 16 * INPUTS }, () => (r.next() < 0.3 ? 0 : r.next()));
      const labels = Array.from({ length: 16 }, () => r.int(3));
      for (let i = 0; i < 5; i++) clf.learn(denseBatch(clf.backend, x, 16, INPUTS, labels));
      return clf.parameters().map((p) => Array.from(p));
    };
    const a = run('reference').flat();
    const b = run('wasm-relaxed-simd').flat();
    const worst = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / (1 + Math.abs(v))), 0);
    assert.ok(worst < 1e-3, `${JSON.stringify(o)}: worst relative difference ${worst}`);
  }
});

test('lrDecay scales every update by lrDecay^epochs: after one epoch an update is exactly that much smaller', () => {
  const steady = make({});
  const decayed = make({ lrDecay: 0.5 });
  const batch = batchOf(steady, 6);
  decayed.epochEnded();
  const before = [copy(steady), copy(decayed)];
  steady.learn(batch);
  decayed.learn(batch);
  const change = (clf: EdClassifier, was: Float32Array[]) =>
    clf.parameters().map((p, k) => p.map((v, i) => v - was[k][i]));
  const [a, b] = [change(steady, before[0]), change(decayed, before[1])];
  let moved = 0;
  a.forEach((d, k) =>
    d.forEach((v, i) => {
      if (v !== 0) moved++;
      // Both changes are read back from float32 weights: each carries up to half an ulp of |w| (≈ 1e-8 here).
      assert.ok(Math.abs(b[k][i] - v / 2) <= 1e-5 * Math.abs(v) + 1e-7, `array ${k}[${i}]: ${b[k][i]} vs ${v} / 2`);
    }),
  );
  assert.ok(moved > 0, 'the update moved no weight');
});

test(
  "gainSpread (the width question): a first update moves each hidden unit's weights by its fixed gain times " +
    "Kaneko's update, within [1/G, G]; output units and G = 1 keep Kaneko's",
  () => {
    const kaneko = make({});
    const spread = make({ gainSpread: 8 });
    type Shared = { shared: { outSign: Float32Array[]; unitFactor: Float32Array[] } };
    const shared = (clf: EdClassifier) => (clf as unknown as Shared).shared;
    for (let l = 0; l < kaneko.shapes.length; l++)
      assert.deepEqual(shared(kaneko).unitFactor[l], shared(kaneko).outSign[l], `G = 1, layer ${l}`);
    const batch = batchOf(kaneko, 1);
    const [before, beforeSpread] = [copy(kaneko), copy(spread)];
    assert.deepEqual(before, beforeSpread, 'the gains do not change the initial weights');
    kaneko.learn(batch);
    spread.learn(batch);
    const [after, afterSpread] = [copy(kaneko), copy(spread)];
    const gains = new Set<number>();
    kaneko.shapes.forEach((L, l) => {
      const hidden = l < kaneko.shapes.length - 1;
      const w = 2 * l; // parameters(): w then bias, per layer
      for (let i = 0; i < after[w].length; i++) {
        const dk = after[w][i] - before[w][i];
        const ds = afterSpread[w][i] - before[w][i];
        const unit = i % L.out;
        const gain = shared(spread).unitFactor[l][unit] * shared(spread).outSign[l][unit];
        if (!hidden) assert.equal(gain, 1);
        else {
          assert.ok(gain >= 1 / 8 && gain <= 8, `gain ${gain}`);
          gains.add(gain);
        }
        // Both made the same forward pass (the gains act on learning only), so g differs by the gain alone.
        assert.ok(
          Math.abs(ds - gain * dk) <= 1e-4 * Math.abs(ds) + 1e-7,
          `layer ${l} unit ${unit} gain ${gain}: ${ds} vs ${dk}`,
        );
      }
    });
    assert.ok(gains.size > 4, 'hidden units get different gains');
  },
);

for (const backend of ['reference', 'wasm-simd'])
  test(
    `${backend}: connectivity < 1 learning online masks only the input rows an update touched and re-adds only ` +
      'those rows of W⁺ + W⁻ (no pass over the whole matrix); masked weights stay 0 and W⁺ + W⁻ stays exact',
    () => {
      const N = 300;
      const be = getBackend(backend);
      // Count the elements of whole-matrix passes: W⁺ + W⁻ rebuilt by backend.add after every update.
      let added = 0;
      const spy = Object.create(be) as typeof be;
      spy.add = (out, a, b, n) => {
        added += n;
        be.add(out, a, b, n);
      };
      const o: EdOptions = { ...PRESETS['kaneko-mnist'].rule, units: 8, connectivity: 0.4, lr: 0.5 };
      const clf = new EdClassifier(o, N, 3, spy, new Random(2), 16);
      added = 0;
      const draw = new Random(9);
      for (let step = 0; step < 60; step++) {
        const x = Float32Array.from({ length: N }, () => (draw.next() < 0.08 ? draw.next() : 0));
        clf.learn(denseBatch(spy, x, 1, N, [draw.int(3)]));
      }
      assert.equal(added, 0, 'whole-matrix refreshes of W⁺ + W⁻ during online learning');
      for (const net of clf.nets) {
        const [w, mask, H] = [net.w[0], net.mask[0], clf.shapes[0].out];
        w.forEach((v, i) => assert.ok(mask[i] === 1 || v === 0, `masked weight ${i} is ${v}`));
        for (let i = 0; i < N * H; i++) assert.equal(net.weff[i], Math.fround(w[i] + w[N * H + i]), `W⁺ + W⁻ at ${i}`);
      }
    },
  );
