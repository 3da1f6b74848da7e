// Every WebAssembly kernel against the TypeScript reference on random shapes, including sizes that are not
// multiples of 4 or 8, and sparse rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Backend } from '../src/kernels/backend.js';
import { getBackend } from '../src/kernels/index.js';
import { referenceBackend as ref } from '../src/kernels/reference.js';
import { Random } from '../src/random.js';
import { assertAllClose } from './helpers.js';

const SHAPES = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 8],
  [5, 13, 9],
  [17, 33, 16],
  [64, 100, 32],
  [9, 784, 16],
  [2, 3, 33],
];
const TOL = { rtol: 2e-5, atol: 2e-5 };

function randomArray(rng: Random, n: number, zeros = 0): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() < zeros ? 0 : rng.next() * 2 - 1));
}

/** Copies into the backend's memory. */
function put(be: Backend, a: Float32Array): Float32Array {
  const out = be.alloc(a.length);
  out.set(a);
  return out;
}
function putInt(be: Backend, a: Int32Array): Int32Array {
  const out = be.allocInt(a.length);
  out.set(a);
  return out;
}

/** Whether two arrays hold the same floats, bit for bit. */
const sameBits = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function sparseRows(rng: Random, m: number, k: number, density: number) {
  const start: number[] = [],
    end: number[] = [],
    index: number[] = [],
    value: number[] = [];
  for (let i = 0; i < m; i++) {
    start.push(index.length);
    for (let j = 0; j < k; j++)
      if (rng.next() < density) {
        index.push(j);
        value.push(rng.next());
      }
    end.push(index.length);
  }
  return {
    start: Int32Array.from(start),
    end: Int32Array.from(end),
    index: Int32Array.from(index),
    value: Float32Array.from(value),
  };
}

for (const name of ['wasm-simd', 'wasm-relaxed-simd']) {
  const be = getBackend(name);

  test(`${name}: gemm matches the reference`, () => {
    const rng = new Random(1);
    for (const [m, k, n] of SHAPES) {
      const a = randomArray(rng, m * k, 0.5),
        b = randomArray(rng, k * n);
      const want = new Float32Array(m * n);
      ref.gemm(want, a, b, m, k, n);
      const got = be.alloc(m * n);
      be.gemm(got, put(be, a), put(be, b), m, k, n);
      assertAllClose(got, want, TOL);
    }
  });

  test(`${name}: spmm and densify match the reference`, () => {
    const rng = new Random(2);
    for (const [m, k, n] of SHAPES) {
      const s = sparseRows(rng, m, k, 0.3);
      const b = randomArray(rng, k * n);
      const want = new Float32Array(m * n);
      ref.spmm(want, s.start, s.end, s.index, s.value, b, m, n);
      const args = [putInt(be, s.start), putInt(be, s.end), putInt(be, s.index), put(be, s.value)] as const;
      const got = be.alloc(m * n);
      be.spmm(got, ...args, put(be, b), m, n);
      assertAllClose(got, want, TOL);
      const wantDense = new Float32Array(m * k);
      ref.densify(wantDense, s.start, s.end, s.index, s.value, m, k);
      const gotDense = be.alloc(m * k).fill(7);
      be.densify(gotDense, ...args, m, k);
      assertAllClose(gotDense, wantDense, { rtol: 0, atol: 0 });
    }
  });

  test(`${name}: rankUpdate and spRankUpdate match the reference`, () => {
    const rng = new Random(3);
    for (const [B, k, n] of SHAPES) {
      const ldz = k + 3,
        zOff = 2;
      const z = randomArray(rng, B * ldz, 0.5),
        g = randomArray(rng, B * n);
      const rows = Int32Array.from({ length: B }, (_, i) => i).filter(() => rng.next() < 0.6);
      const w0 = randomArray(rng, k * n);
      const want = Float32Array.from(w0);
      ref.rankUpdate(want, z, g, rows, rows.length, k, n, ldz, zOff);
      const got = put(be, w0);
      be.rankUpdate(got, put(be, z), put(be, g), putInt(be, rows), rows.length, k, n, ldz, zOff);
      assertAllClose(got, want, TOL);

      const s = sparseRows(rng, B, k, 0.3);
      const wantSp = Float32Array.from(w0);
      ref.spRankUpdate(wantSp, s.start, s.end, s.index, s.value, g, rows, rows.length, n);
      const gotSp = put(be, w0);
      be.spRankUpdate(
        gotSp,
        putInt(be, s.start),
        putInt(be, s.end),
        putInt(be, s.index),
        put(be, s.value),
        put(be, g),
        putInt(be, rows),
        rows.length,
        n,
      );
      assertAllClose(gotSp, wantSp, TOL);
    }
  });

  test(
    `${name}: spmm and spRankUpdate with a row stride (the stacked layout) match the reference on odd ` +
      `widths (K·H not a multiple of 4 or 16)`,
    () => {
      const rng = new Random(6);
      for (const [B, k, K, H] of [
        [1, 37, 3, 5],
        [3, 100, 7, 9],
        [2, 50, 10, 13],
        [5, 784, 3, 33],
        [1, 20, 1, 1],
        [4, 64, 2, 35],
        [3, 300, 2, 131],
      ]) {
        const ld = K * H;
        const s = sparseRows(rng, B, k, 0.3);
        const b = randomArray(rng, k * ld),
          g = randomArray(rng, B * H);
        const rows = Int32Array.from({ length: B }, (_, i) => i).filter(() => rng.next() < 0.7);
        const sparse = [putInt(be, s.start), putInt(be, s.end), putInt(be, s.index), put(be, s.value)] as const;
        const bb = put(be, b);
        for (const net of [0, K - 1]) {
          // Network net's columns of the stacked rows, and the same update into them.
          const want = new Float32Array(B * H);
          ref.spmm(want, s.start, s.end, s.index, s.value, b.subarray(net * H), B, H, ld);
          const got = be.alloc(B * H);
          be.spmm(got, ...sparse, bb.subarray(net * H), B, H, ld);
          assertAllClose(got, want, TOL);
          const wantW = Float32Array.from(b);
          ref.spRankUpdate(wantW.subarray(net * H), s.start, s.end, s.index, s.value, g, rows, rows.length, H, ld);
          const gotW = put(be, b);
          be.spRankUpdate(gotW.subarray(net * H), ...sparse, put(be, g), putInt(be, rows), rows.length, H, ld);
          assertAllClose(gotW, wantW, TOL);
        }
        // All K networks at once equal each network alone, bit for bit (a column's sum does not depend on the width,
        // nor on which loop the width picks).
        const all = be.alloc(B * ld);
        be.spmm(all, ...sparse, bb, B, ld, ld);
        for (let net = 0; net < K; net++) {
          const one = be.alloc(B * H);
          be.spmm(one, ...sparse, bb.subarray(net * H), B, H, ld);
          for (let i = 0; i < B; i++)
            assertAllClose(one.subarray(i * H, (i + 1) * H), all.subarray(i * ld + net * H, i * ld + (net + 1) * H), {
              rtol: 0,
              atol: 0,
            });
          // One kernel for both layouts: network net's columns copied out (rows H apart) give the same sums, bit
          // for bit, and take the same update.
          const own = put(
            be,
            Float32Array.from({ length: k * H }, (_, i) => b[Math.floor(i / H) * ld + net * H + (i % H)]),
          );
          const compact = be.alloc(B * H);
          be.spmm(compact, ...sparse, own, B, H);
          assertAllClose(compact, one, { rtol: 0, atol: 0 });
          const strided = put(be, b);
          be.spRankUpdate(strided.subarray(net * H), ...sparse, put(be, g), putInt(be, rows), rows.length, H, ld);
          be.spRankUpdate(own, ...sparse, put(be, g), putInt(be, rows), rows.length, H);
          own.forEach((v, i) => assert.equal(v, strided[Math.floor(i / H) * ld + net * H + (i % H)]));
        }
      }
    },
  );

  test(`${name}: spUpdateForward equals spRankUpdate then spmm, bit for bit, and matches the reference`, () => {
    const rng = new Random(9);
    // [inputs, columns, row stride, density]: wide rows (the fused walk) with leftover columns, narrow ones.
    for (const [k, n, ld, density] of [
      [784, 320, 640, 0.2],
      [300, 130, 131, 0.5],
      [50, 128, 128, 0.9],
      [5, 200, 200, 0.4],
      [100, 64, 320, 0.3],
      [9, 7, 7, 0.5],
    ]) {
      const s = sparseRows(rng, 6, k, density);
      const sparse = [putInt(be, s.start), putInt(be, s.end), putInt(be, s.index), put(be, s.value)] as const;
      const w0 = randomArray(rng, k * ld);
      const g = randomArray(rng, n);
      for (const [r, next] of [
        [0, 1],
        [2, 2],
        [5, 3],
        [4, 0],
      ]) {
        const fused = put(be, w0);
        const out = be.alloc(n).fill(9);
        be.spUpdateForward(out, fused, ...sparse, put(be, g), r, next, n, ld);
        const apart = put(be, w0);
        const want = be.alloc(n);
        const [start, end, index, value] = sparse;
        const first = putInt(be, Int32Array.of(0));
        be.spRankUpdate(apart, start.subarray(r), end.subarray(r), index, value, put(be, g), first, 1, n, ld);
        be.spmm(want, start.subarray(next), end.subarray(next), index, value, apart, 1, n, ld);
        assert.ok(sameBits(fused, apart), `weights, ${k}×${n} (ld ${ld}), samples ${r} → ${next}`);
        assert.ok(sameBits(out, want), `sums, ${k}×${n} (ld ${ld}), samples ${r} → ${next}`);
        const refW = Float32Array.from(w0);
        const refOut = new Float32Array(n);
        ref.spUpdateForward(refOut, refW, s.start, s.end, s.index, s.value, g, r, next, n, ld);
        assertAllClose(fused, refW, TOL);
        assertAllClose(out, refOut, TOL);
      }
    }
  });

  test(`${name}: rowDots and rowsAxpy match the reference, and gemm and rankUpdate on one column bit for bit`, () => {
    const rng = new Random(8);
    for (const [m, k, lda, ldb] of [
      [1, 1, 1, 1],
      [5, 64, 64, 64],
      [3, 33, 40, 48],
      [7, 5, 9, 16],
      [10, 13, 13, 0],
    ]) {
      const a = randomArray(rng, m * Math.max(lda, k), 0.2),
        b = randomArray(rng, m * Math.max(ldb, k) + k);
      const want = new Float32Array(m);
      ref.rowDots(want, a, b, m, k, lda, ldb);
      const [aa, bb] = [put(be, a), put(be, b)];
      const got = be.alloc(m);
      be.rowDots(got, aa, bb, m, k, lda, ldb);
      assertAllClose(got, want, TOL);
      // Row i's dot is gemm of that row with a one-column b.
      for (let i = 0; i < m; i++) {
        const one = be.alloc(1);
        be.gemm(one, aa.subarray(i * lda), bb.subarray(i * ldb), 1, k, 1);
        assertAllClose(got.subarray(i, i + 1), one, { rtol: 0, atol: 0 });
      }
      const s = randomArray(rng, m, 0.3);
      const w = randomArray(rng, m * Math.max(ldb, k) + k);
      const wantW = Float32Array.from(w);
      ref.rowsAxpy(wantW, a, s, m, k, ldb, lda);
      const gotW = put(be, w);
      be.rowsAxpy(gotW, aa, put(be, s), m, k, ldb, lda);
      assertAllClose(gotW, wantW, TOL);
      // Row i's update is rankUpdate of a one-column w (k rows) from source row i and factor s[i].
      const byRank = put(be, w);
      for (let i = 0; i < m; i++) {
        if (s[i] === 0) continue;
        be.rankUpdate(
          byRank.subarray(i * ldb),
          aa.subarray(i * lda),
          put(be, s.subarray(i, i + 1)),
          putInt(be, new Int32Array(1)),
          1,
          k,
          1,
          k,
          0,
        );
      }
      assertAllClose(gotW, byRank, { rtol: 0, atol: 0 });
    }
  });

  test(`${name}: gemmBT and adam match the reference`, () => {
    const rng = new Random(5);
    for (const [m, k, n] of SHAPES) {
      const a = randomArray(rng, m * k),
        b = randomArray(rng, n * k);
      const want = new Float32Array(m * n);
      ref.gemmBT(want, a, b, m, k, n);
      const got = be.alloc(m * n);
      be.gemmBT(got, put(be, a), put(be, b), m, k, n);
      assertAllClose(got, want, TOL);
      const len = m * k;
      const w = randomArray(rng, len),
        g = randomArray(rng, len),
        mm = randomArray(rng, len),
        vv = Float32Array.from(randomArray(rng, len), Math.abs);
      const [w1, m1, v1] = [Float32Array.from(w), Float32Array.from(mm), Float32Array.from(vv)];
      ref.adam(w1, g, m1, v1, len, 0.01, 0.9, 0.999, 1e-7);
      const [w2, m2, v2] = [put(be, w), put(be, mm), put(be, vv)];
      be.adam(w2, put(be, g), m2, v2, len, 0.01, 0.9, 0.999, 1e-7);
      assertAllClose(m2, m1, TOL);
      assertAllClose(v2, v1, TOL);
      assertAllClose(w2, w1, { rtol: 1e-4, atol: 1e-5 });
    }
  });

  test(`${name}: elementwise kernels match the reference`, () => {
    const rng = new Random(4);
    for (const [m, , n] of SHAPES) {
      const x = Float32Array.from(randomArray(rng, m * n), (v) => v * 300);
      const want = new Float32Array(m * n);
      ref.sigmoid(want, x, m * n, 5);
      const got = be.alloc(m * n);
      be.sigmoid(got, put(be, x), m * n, 5);
      assertAllClose(got, want, { rtol: 1e-5, atol: 1e-6 });

      const y = Float32Array.from(randomArray(rng, m * n), Math.abs);
      const rs = randomArray(rng, m),
        cs = randomArray(rng, n);
      ref.sigmoidGrad(want, y, rs, cs, m, n);
      be.sigmoidGrad(got, put(be, y), put(be, rs), put(be, cs), m, n);
      assertAllClose(got, want, TOL);

      const v = randomArray(rng, n);
      const base = randomArray(rng, m * n);
      const wantRow = Float32Array.from(base);
      ref.addRow(wantRow, v, m, n);
      const gotRow = put(be, base);
      be.addRow(gotRow, put(be, v), m, n);
      assertAllClose(gotRow, wantRow, TOL);

      const a = randomArray(rng, m * n);
      ref.add(want, a, base, m * n);
      be.add(got, put(be, a), put(be, base), m * n);
      assertAllClose(got, want, TOL);
    }
  });
}
