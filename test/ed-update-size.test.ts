// The size of one ED update, not only its sign: Δw of a tiny network (2 inputs, one hidden layer of 2 units, one
// sample) computed here in float64 from Kaneko's formula, against what the rule does, on every backend.
import { test } from 'node:test';
import { getBackend } from '../src/kernels/index.js';
import type { EdOptions } from '../src/options/ed.js';
import { PRESETS } from '../src/options/presets.js';
import { Random } from '../src/random.js';
import { EdClassifier } from '../src/rules/ed.js';
import { assertAllClose, denseBatch } from './helpers.js';

const X = [0.6, 0.3];
const base: EdOptions = { ...PRESETS.kaneko.rule, units: 2, lr: 0.5, beta: 0.8, u0: 0.4, u1: 0.7 };

const f = (u: number, u0: number) => 1 / (1 + Math.exp((-2 * u) / u0));

/**
 * Δw and Δbias of both layers for one sample, from the weights before the update:
 *   Δw_km = α' · z_m · f'(k) · s_k · e   for the sources of the family sign(e) only,
 * with f'(k) = y(1 − y) (× 2/u0 for the true derivative), α' = α ÷ divisor (× u1 for the hidden layer).
 */
function expectedDeltas(o: EdOptions, w: Float64Array[], bias: Float64Array[], label: number, batch: number) {
  const N = X.length;
  const H = o.units;
  const pre = Array.from({ length: H }, (_, j) => {
    let u = o.beta * (bias[0][j] + bias[0][H + j]);
    for (let i = 0; i < N; i++) u += X[i] * (w[0][i * H + j] + w[0][(N + i) * H + j]);
    return u;
  });
  // rmsNorm divides the hidden pre-activations by their RMS; learning still uses f'(k) = y(1 − y) alone, without
  // the norm's Jacobian (docs/ed-method.md, "Options").
  const rms = o.rmsNorm ? Math.sqrt(pre.reduce((a, u) => a + u * u, 0) / H + 1e-6) : 1;
  const hidden = pre.map((u) => f(u / rms, o.u0));
  let v = o.beta * (bias[1][0] + bias[1][1]);
  for (let r = 0; r < H; r++) v += hidden[r] * w[1][r];
  const y = f(v, o.u0);
  const e = label - y;
  const family = e > 0 ? 0 : 1; // 0: excitatory sources learn, 1: inhibitory ones
  const divisor = (width: number) =>
    ({ none: 1, 'units+layers': o.units + o.layers, 'units*layers': o.units * o.layers, width })[o.updateScale];
  const gain = o.derivative === 'true' ? 2 / o.u0 : 1;
  const reduce = o.batchReduce === 'mean' ? 1 / batch : 1;
  const sign = (j: number) => (j < 1 ? 1 : -1); // firstHidden inhibitory, stored excitatory first: 1 + and 1 −
  const gHidden = hidden.map((h, j) => (o.lr / divisor(H)) * o.u1 * reduce * gain * h * (1 - h) * sign(j) * e);
  const gOut = (o.lr / divisor(1)) * reduce * gain * y * (1 - y) * e;
  const dw0 = new Float64Array(2 * N * H);
  for (let i = 0; i < N; i++) for (let j = 0; j < H; j++) dw0[(family * N + i) * H + j] = X[i] * gHidden[j];
  const db0 = new Float64Array(2 * H);
  for (let j = 0; j < H; j++) db0[family * H + j] = o.beta * gHidden[j];
  const dw1 = new Float64Array(H);
  for (let r = 0; r < H; r++) if ((r < 1 ? 0 : 1) === family) dw1[r] = hidden[r] * gOut;
  const db1 = new Float64Array(2);
  db1[family] = o.beta * gOut;
  return [dw0, db0, dw1, db1];
}

const CASES: Partial<EdOptions>[] = [
  { updateScale: 'none' },
  { updateScale: 'units+layers' },
  { updateScale: 'units*layers' },
  { updateScale: 'width' },
  { updateScale: 'none', derivative: 'true' },
  { updateScale: 'width', derivative: 'true' },
  { updateScale: 'units+layers', derivative: 'true', u1: 1.9 },
  { updateScale: 'none', rmsNorm: true },
];

for (const backendName of ['reference', 'wasm-simd', 'wasm-relaxed-simd']) {
  test(
    `${backendName}: one update has the hand-computed size for every update scale, u1 ≠ 1 and the true ` + `derivative`,
    () => {
      for (const change of CASES) {
        for (const label of [1, 0]) {
          const o = { ...base, ...change };
          const clf = new EdClassifier(o, X.length, 2, getBackend(backendName), new Random(4), 4);
          const before = clf.parameters().map((p) => Float64Array.from(p));
          const expected = expectedDeltas(o, [before[0], before[2]], [before[1], before[3]], label, 1);
          clf.learn(denseBatch(clf.backend, X, 1, X.length, [label]));
          clf.parameters().forEach((p, i) => {
            const delta = Float64Array.from(p, (v, k) => v - before[i][k]);
            // float32 weights: w + Δw is rounded to half an ulp of w (|w| < 1), the forward pass to a few ulps.
            try {
              assertAllClose(delta, expected[i], { rtol: 1e-6, atol: 6e-8 });
            } catch (err) {
              throw new Error(
                `${JSON.stringify(change)}, label ${label}, parameter array ${i}: ${(err as Error).message}`,
              );
            }
          });
        }
      }
    },
  );
}
