import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceBackend as be } from '../src/kernels/reference.js';
import { Random } from '../src/random.js';
import { assertAllClose } from './helpers.js';

const rand = (rng: Random, n: number, zeros = 0.5) =>
  Float32Array.from({ length: n }, () => (rng.next() < zeros ? 0 : rng.next() * 2 - 1));

// The reference kernels against the textbook formulas, on shapes that are not multiples of 4 or 8.
test('gemm equals the triple loop', () => {
  const rng = new Random(3);
  for (const [m, k, n] of [
    [1, 1, 1],
    [3, 7, 5],
    [17, 33, 9],
    [64, 784, 16],
  ]) {
    const a = rand(rng, m * k);
    const b = rand(rng, k * n, 0);
    const out = new Float32Array(m * n).fill(NaN);
    be.gemm(out, a, b, m, k, n);
    const expected = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) expected[i * n + j] += a[i * k + p] * b[p * n + j];
    assertAllClose(out, expected, { rtol: 1e-5, atol: 1e-5 });
  }
});

test('rankUpdate adds zᵀg over the selected rows and column block only', () => {
  const rng = new Random(4);
  const B = 11,
    ldz = 13,
    zOff = 5,
    k = 6,
    n = 7;
  const z = rand(rng, B * ldz);
  const g = rand(rng, B * n, 0);
  const rows = Int32Array.from([0, 3, 4, 10]);
  const w = rand(rng, k * n, 0);
  const expected = Float64Array.from(w);
  for (const r of rows)
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) expected[p * n + j] += z[r * ldz + zOff + p] * g[r * n + j];
  be.rankUpdate(w, z, g, rows, rows.length, k, n, ldz, zOff);
  assertAllClose(w, expected, { rtol: 1e-5, atol: 1e-6 });
});

test('sigmoid is finite and saturates cleanly for huge |x|', () => {
  const x = Float32Array.from([-1e30, -800, -1, 0, 1, 800, 1e30]);
  const out = new Float32Array(x.length);
  be.sigmoid(out, x, x.length, 5);
  assert.ok(out.every(Number.isFinite));
  assertAllClose(out, [0, 0, 1 / (1 + Math.exp(5)), 0.5, 1 / (1 + Math.exp(-5)), 1, 1], { atol: 1e-7 });
});

test('sigmoidGrad, addRow and add follow their formulas', () => {
  const y = Float32Array.from([0.1, 0.5, 0.9, 0.2, 0.7, 1]);
  const out = new Float32Array(6);
  be.sigmoidGrad(out, y, Float32Array.from([2, -1]), Float32Array.from([1, -1, 0.5]), 2, 3);
  assertAllClose(out, [2 * 0.09, -2 * 0.25, 1 * 0.09, -0.16, 0.21, 0]);
  const m = Float32Array.from([1, 2, 3, 4, 5, 6]);
  be.addRow(m, Float32Array.from([10, 20, 30]), 2, 3);
  assertAllClose(m, [11, 22, 33, 14, 25, 36]);
  const s = new Float32Array(3);
  be.add(s, Float32Array.from([1, 2, 3]), Float32Array.from([-1, 0.5, 2]), 3);
  assertAllClose(s, [0, 2.5, 5]);
});
