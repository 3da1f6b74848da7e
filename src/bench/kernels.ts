/**
 * Kernel benchmarks at the shapes ED training uses: each kernel is first checked against the reference on the
 * same inputs, then timed (median of repeats) and reported in GFLOP/s.
 */
import type { Backend } from '../kernels/backend.js';
import { referenceBackend } from '../kernels/reference.js';
import { Random } from '../random.js';
import type { SparseRows } from '../data/sparse.js';
import { timeIt } from './stats.js';

export interface KernelResult {
  backend: string;
  kernel: string;
  shape: string;
  gflops: number;
  microseconds: number;
  maxError: number;
}

function filled(be: Backend, n: number, rng: Random, zeros = 0): Float32Array {
  const a = be.alloc(n);
  for (let i = 0; i < n; i++) a[i] = rng.next() < zeros ? 0 : rng.next() * 2 - 1;
  return a;
}

function copyTo(be: Backend, a: Float32Array): Float32Array {
  const out = be.alloc(a.length);
  out.set(a);
  return out;
}

function copyIntTo(be: Backend, a: Int32Array): Int32Array {
  const out = be.allocInt(a.length);
  out.set(a);
  return out;
}

function maxRelError(got: Float32Array, want: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  return worst;
}

/** Real MNIST rows for the sparse kernels: the first `m` samples. */
function batchOf(rows: SparseRows, m: number) {
  const start = Int32Array.from({ length: m }, (_, i) => rows.rowStart[i]);
  const end = Int32Array.from({ length: m }, (_, i) => rows.rowStart[i + 1]);
  let nonZero = 0;
  for (let i = 0; i < m; i++) nonZero += end[i] - start[i];
  return { start, end, nonZero };
}

const TOLERANCE = 1e-4;

export function benchKernels(be: Backend, rows: SparseRows, rowsBackend: Backend): KernelResult[] {
  const rng = new Random(11);
  const out: KernelResult[] = [];
  const ref = referenceBackend;
  const record = (kernel: string, shape: string, flops: number, run: () => void, maxError: number) => {
    if (!(maxError <= TOLERANCE))
      throw new Error(
        `bench: ${be.name} ${kernel} ${shape} disagrees with the reference (max relative error ${maxError})`,
      );
    const { seconds } = timeIt(run);
    out.push({ backend: be.name, kernel, shape, gflops: flops / seconds / 1e9, microseconds: seconds * 1e6, maxError });
  };

  for (const [m, k, n] of [
    [64, 1568, 32],
    [64, 784, 16],
    [512, 32, 32],
    [64, 16, 16],
  ]) {
    const a = filled(be, m * k, rng),
      b = filled(be, k * n, rng),
      c = be.alloc(m * n);
    const want = new Float32Array(m * n);
    ref.gemm(want, Float32Array.from(a), Float32Array.from(b), m, k, n);
    be.gemm(c, a, b, m, k, n);
    record('gemm', `${m}×${k}×${n}`, 2 * m * k * n, () => be.gemm(c, a, b, m, k, n), maxRelError(c, want));
  }

  // Sparse kernels on real images: the index/value arrays must live in this backend's memory.
  const index = be === rowsBackend ? rows.index : copyIntTo(be, rows.index);
  const value = be === rowsBackend ? rows.value : copyTo(be, rows.value);
  for (const [m, n] of [
    [64, 16],
    [512, 32],
  ]) {
    const { start, end, nonZero } = batchOf(rows, m);
    const s = copyIntTo(be, start),
      e = copyIntTo(be, end);
    const w = filled(be, rows.inputs * n, rng),
      c = be.alloc(m * n);
    const want = new Float32Array(m * n);
    ref.spmm(want, start, end, rows.index, rows.value, Float32Array.from(w), m, n);
    be.spmm(c, s, e, index, value, w, m, n);
    const shape = `${m}×${rows.inputs}×${n} (${(nonZero / m).toFixed(0)} nnz/row)`;
    record('spmm', shape, 2 * nonZero * n, () => be.spmm(c, s, e, index, value, w, m, n), maxRelError(c, want));

    const g = filled(be, m * n, rng);
    const all = copyIntTo(
      be,
      Int32Array.from({ length: m }, (_, i) => i),
    );
    const wantW = Float32Array.from(w);
    ref.spRankUpdate(wantW, start, end, rows.index, rows.value, Float32Array.from(g), Int32Array.from(all), m, n);
    be.spRankUpdate(w, s, e, index, value, g, all, m, n);
    const err = maxRelError(w, wantW);
    record('spRankUpdate', shape, 2 * nonZero * n, () => be.spRankUpdate(w, s, e, index, value, g, all, m, n), err);
  }

  for (const [m, k, n] of [
    [512, 32, 32],
    [64, 16, 16],
    [64, 784, 16],
  ]) {
    const z = filled(be, m * k, rng, k > 100 ? 0.8 : 0),
      g = filled(be, m * n, rng),
      w = filled(be, k * n, rng);
    const rows = copyIntTo(
      be,
      Int32Array.from({ length: m }, (_, i) => i),
    );
    const wantW = Float32Array.from(w);
    ref.rankUpdate(wantW, Float32Array.from(z), Float32Array.from(g), Int32Array.from(rows), m, k, n, k, 0);
    be.rankUpdate(w, z, g, rows, m, k, n, k, 0);
    record(
      'rankUpdate',
      `${m}×${k}×${n}`,
      2 * m * k * n,
      () => be.rankUpdate(w, z, g, rows, m, k, n, k, 0),
      maxRelError(w, wantW),
    );
  }

  const len = 512 * 32;
  const x = filled(be, len, rng),
    y = be.alloc(len);
  const want = new Float32Array(len);
  ref.sigmoid(want, Float32Array.from(x), len, 5);
  be.sigmoid(y, x, len, 5);
  // One "flop" per element here: the row reads as G elements/s.
  record('sigmoid', `${len} elements`, len, () => be.sigmoid(y, x, len, 5), maxRelError(y, want));
  return out;
}
