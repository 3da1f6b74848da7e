// The sign and monotonicity invariants of the ED rule (shared/docs/ed-spec.md §2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceBackend } from '../src/kernels/reference.js';
import { Random } from '../src/random.js';
import { EdNetwork } from '../src/rules/ed.js';
import { type EdOptions, PRESETS } from '../src/rules/ed-options.js';

const options: EdOptions = { ...PRESETS.seed.rule, layers: 3, units: 7, lr: 0.5 };

function makeNet(o: EdOptions = options, inputs = 13, seed = 1) {
  return new EdNetwork(o, inputs, referenceBackend, new Random(seed));
}
const snapshot = (net: EdNetwork) => net.layers.map((L) => ({ w: Float32Array.from(L.w), bias: Float32Array.from(L.bias) }));
const inputs = (rng: Random, batch: number, n = 13) => Float32Array.from({ length: batch * n }, () => (rng.next() < 0.3 ? 0 : rng.next()));

test('every initial weight has the sign s_m·s_k (and is non-zero)', () => {
  const net = makeNet();
  for (const L of net.layers) {
    for (let r = 0; r < L.srcExc + L.srcInh; r++) {
      const srcSign = r < L.srcExc ? 1 : -1;
      for (let k = 0; k < L.out; k++) assert.equal(Math.sign(L.w[r * L.out + k]), srcSign * L.outSign[k]);
    }
    for (let k = 0; k < L.out; k++) {
      assert.equal(Math.sign(L.bias[k]), L.outSign[k]);
      assert.equal(Math.sign(L.bias[L.out + k]), -L.outSign[k]);
    }
  }
});

test('weights never change sign and |w| never decreases over many mixed batches', () => {
  const net = makeNet();
  const rng = new Random(7);
  for (let step = 0; step < 200; step++) {
    const batch = 1 + rng.int(9);
    const x = inputs(rng, batch);
    const y = net.forward(x, batch);
    const error = Float32Array.from({ length: batch }, (_, b) => (rng.next() < 0.5 ? 1 : 0) - y[b]);
    const before = snapshot(net);
    net.learn(x, error, batch);
    net.layers.forEach((L, l) => {
      for (const [now, old] of [[L.w, before[l].w], [L.bias, before[l].bias]] as const) {
        for (let i = 0; i < now.length; i++) {
          assert.equal(Math.sign(now[i]), Math.sign(old[i]), `layer ${l} weight ${i} changed sign`);
          assert.ok(Math.abs(now[i]) >= Math.abs(old[i]), `layer ${l} weight ${i} shrank`);
        }
      }
    });
  }
});

for (const sign of [1, -1]) {
  test(`a sample with e ${sign > 0 ? '> 0 changes only weights from excitatory' : '< 0 changes only weights from inhibitory'} sources`, () => {
    const net = makeNet();
    const x = inputs(new Random(9), 1).map((v) => v + 0.1); // every input non-zero, so every allowed weight moves
    net.forward(x, 1);
    const before = snapshot(net);
    net.learn(x, Float32Array.of(0.5 * sign), 1);
    net.layers.forEach((L, l) => {
      const excRows = L.srcExc * L.out;
      for (let i = 0; i < L.w.length; i++) {
        const fromExc = i < excRows;
        const changed = L.w[i] !== before[l].w[i];
        assert.equal(changed, fromExc === sign > 0, `layer ${l} weight ${i} (from ${fromExc ? 'excitatory' : 'inhibitory'}) changed=${changed}`);
      }
      for (let k = 0; k < L.out; k++) {
        assert.equal(L.bias[k] !== before[l].bias[k], sign > 0, `layer ${l} excitatory bias ${k}`);
        assert.equal(L.bias[L.out + k] !== before[l].bias[L.out + k], sign < 0, `layer ${l} inhibitory bias ${k}`);
      }
    });
  });
}

test('a small update moves the output towards the target at every depth (e > 0 up, e < 0 down)', () => {
  for (const layers of [1, 2, 5]) {
    for (const sign of [1, -1]) {
      const net = makeNet({ ...options, layers, lr: 1e-3 }, 13, layers);
      const x = inputs(new Random(layers), 1);
      const y0 = net.forward(x, 1)[0];
      net.learn(x, Float32Array.of(sign), 1);
      const y1 = net.forward(x, 1)[0];
      assert.ok(sign * (y1 - y0) > 0, `layers ${layers}, e ${sign}: output ${y0} → ${y1}`);
    }
  }
});

test('weight-decrement mode lets weights shrink and both families learn from every sample', () => {
  const net = makeNet({ ...options, weightDecrement: true });
  const x = inputs(new Random(2), 1).map((v) => v + 0.1);
  net.forward(x, 1);
  const before = snapshot(net);
  net.learn(x, Float32Array.of(-0.5), 1);
  const out = net.layers[net.layers.length - 1];
  const w = out.w;
  const old = before[before.length - 1].w;
  // Output layer, excitatory sources: Δw = α·z·f'·s_k·e < 0 on positive weights → they shrink.
  for (let i = 0; i < out.srcExc; i++) assert.ok(Math.abs(w[i]) < Math.abs(old[i]), `weight ${i} did not shrink`);
});
