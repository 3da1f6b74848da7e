// The sign and monotonicity invariants of the ED rule (docs/ed-method.md, Invariants), on every backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getBackend } from '../src/kernels/index.js';
import { Random } from '../src/random.js';
import { EdClassifier } from '../src/rules/ed.js';
import type { EdOptions } from '../src/options/ed.js';
import { PRESETS } from '../src/options/presets.js';
import { denseBatch } from './helpers.js';

const options: EdOptions = { ...PRESETS.seed.rule, layers: 3, units: 7, lr: 0.5 };
const INPUTS = 13;
const BACKENDS = ['reference', 'wasm-simd', 'wasm-relaxed-simd'];

function makeClassifier(backendName: string, o: EdOptions = options, seed = 1) {
  return new EdClassifier(o, INPUTS, 2, getBackend(backendName), new Random(seed), 16);
}
const weights = (clf: EdClassifier) =>
  clf.nets[0].w.map((w, l) => ({ w: Float32Array.from(w), bias: Float32Array.from(clf.nets[0].bias[l]) }));
const randomInputs = (rng: Random, batch: number, zeros = 0.3) =>
  Float32Array.from({ length: batch * INPUTS }, () => (rng.next() < zeros ? 0 : rng.next()));
const outSign = (clf: EdClassifier, l: number, k: number) => (k < clf.shapes[l].outExc ? 1 : -1);

for (const backendName of BACKENDS) {
  test(`${backendName}: every initial weight has the sign s_m·s_k (and is non-zero)`, () => {
    const clf = makeClassifier(backendName);
    clf.shapes.forEach((L, l) => {
      const { w, bias } = { w: clf.nets[0].w[l], bias: clf.nets[0].bias[l] };
      for (let r = 0; r < L.srcExc + L.srcInh; r++) {
        const srcSign = r < L.srcExc ? 1 : -1;
        for (let k = 0; k < L.out; k++) assert.equal(Math.sign(w[r * L.out + k]), srcSign * outSign(clf, l, k));
      }
      for (let k = 0; k < L.out; k++) {
        assert.equal(Math.sign(bias[k]), outSign(clf, l, k));
        assert.equal(Math.sign(bias[L.out + k]), -outSign(clf, l, k));
      }
    });
  });

  test(`${backendName}: weights never change sign and |w| never decreases over many mixed batches`, () => {
    const clf = makeClassifier(backendName);
    const rng = new Random(7);
    for (let step = 0; step < 150; step++) {
      const n = 1 + rng.int(9);
      const batch = denseBatch(
        clf.backend,
        randomInputs(rng, n),
        n,
        INPUTS,
        Array.from({ length: n }, () => rng.int(2)),
      );
      const before = weights(clf);
      clf.learn(batch);
      clf.nets[0].w.forEach((w, l) => {
        for (const [now, old] of [
          [w, before[l].w],
          [clf.nets[0].bias[l], before[l].bias],
        ] as const) {
          for (let i = 0; i < now.length; i++) {
            assert.equal(Math.sign(now[i]), Math.sign(old[i]), `layer ${l} weight ${i} changed sign`);
            assert.ok(Math.abs(now[i]) >= Math.abs(old[i]), `layer ${l} weight ${i} shrank`);
          }
        }
      });
    }
  });

  for (const label of [1, 0]) {
    test(
      `${backendName}: a sample with e ` +
        `${label ? '> 0 changes only weights from excitatory' : '< 0 changes only weights from inhibitory'} sources`,
      () => {
        const clf = makeClassifier(backendName);
        // every input non-zero, so every allowed weight moves
        const x = randomInputs(new Random(9), 1, 0).map((v) => v + 0.1);
        const before = weights(clf);
        clf.learn(denseBatch(clf.backend, x, 1, INPUTS, [label]));
        clf.shapes.forEach((L, l) => {
          const w = clf.nets[0].w[l];
          const bias = clf.nets[0].bias[l];
          for (let i = 0; i < w.length; i++) {
            const fromExc = i < L.srcExc * L.out;
            const changed = w[i] !== before[l].w[i];
            assert.equal(
              changed,
              fromExc === (label === 1),
              `layer ${l} weight ${i} (from ${fromExc ? 'excitatory' : 'inhibitory'}) changed=${changed}`,
            );
          }
          for (let k = 0; k < L.out; k++) {
            assert.equal(bias[k] !== before[l].bias[k], label === 1, `layer ${l} excitatory bias ${k}`);
            assert.equal(bias[L.out + k] !== before[l].bias[L.out + k], label === 0, `layer ${l} inhibitory bias ${k}`);
          }
        });
      },
    );
  }

  test(`${backendName}: a small update moves the output towards the target at every depth`, () => {
    for (const layers of [1, 2, 5]) {
      for (const label of [1, 0]) {
        const clf = makeClassifier(backendName, { ...options, layers, lr: 1e-3 }, layers);
        const x = randomInputs(new Random(layers), 1);
        const batch = denseBatch(clf.backend, x, 1, INPUTS, [label]);
        const scores = new Float32Array(2);
        clf.predict(batch, scores);
        const y0 = scores[1];
        clf.learn(batch);
        clf.predict(batch, scores);
        const y1 = scores[1];
        assert.ok((label ? 1 : -1) * (y1 - y0) > 0, `layers ${layers}, label ${label}: output ${y0} → ${y1}`);
      }
    }
  });
}

test('weight-decrement mode lets weights shrink', () => {
  const clf = makeClassifier('reference', { ...options, weightDecrement: true });
  const x = randomInputs(new Random(2), 1, 0).map((v) => v + 0.1);
  const before = weights(clf);
  clf.learn(denseBatch(clf.backend, x, 1, INPUTS, [0]));
  const last = clf.shapes.length - 1;
  const w = clf.nets[0].w[last];
  // Output layer, excitatory sources: Δw = α·z·f'·s_k·e < 0 on positive weights → they shrink.
  for (let i = 0; i < clf.shapes[last].srcExc; i++)
    assert.ok(Math.abs(w[i]) < Math.abs(before[last].w[i]), `weight ${i} did not shrink`);
});

test("online updates keep the input layer's W⁺ + W⁻ in step with W⁺ and W⁻", () => {
  for (const backendName of BACKENDS) {
    const clf = makeClassifier(backendName);
    const rng = new Random(11);
    for (let i = 0; i < 200; i++) clf.learn(denseBatch(clf.backend, randomInputs(rng, 1), 1, INPUTS, [rng.int(2)]));
    const L = clf.shapes[0];
    const w = clf.nets[0].w[0];
    const n = L.srcExc * L.out;
    clf.nets[0].weff.forEach((v, i) =>
      assert.ok(Math.abs(v - (w[i] + w[n + i])) < 1e-5, `${backendName}: weff[${i}] ${v} vs ${w[i] + w[n + i]}`),
    );
  }
});
