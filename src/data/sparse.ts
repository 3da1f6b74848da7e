/**
 * A split as sparse rows, built once: only the non-zero inputs of each sample (≈ 20 % of an MNIST image), as
 * input values (byte × scale). The arrays come from the backend's allocator so kernels read them in place.
 */
import type { Split } from './tasks.js';

export interface SparseRows {
  count: number;
  inputs: number;
  /** Row i is index/value[rowStart[i] .. rowStart[i + 1]). */
  rowStart: Int32Array;
  index: Int32Array;
  value: Float32Array;
  labels: Uint8Array;
  /** Fraction of inputs that are non-zero. */
  density: number;
}

export interface Allocator {
  alloc(length: number): Float32Array;
  allocInt(length: number): Int32Array;
}

export function toSparseRows(split: Split, inputs: number, scale: number, memory: Allocator): SparseRows {
  let nonZero = 0;
  for (let i = 0; i < split.x.length; i++) if (split.x[i] !== 0) nonZero++;
  const index = memory.allocInt(Math.max(1, nonZero));
  const value = memory.alloc(Math.max(1, nonZero));
  const rowStart = new Int32Array(split.count + 1);
  let q = 0;
  for (let s = 0; s < split.count; s++) {
    rowStart[s] = q;
    const base = s * inputs;
    for (let j = 0; j < inputs; j++) {
      const v = split.x[base + j];
      if (v === 0) continue;
      index[q] = j;
      value[q] = v * scale;
      q++;
    }
  }
  rowStart[split.count] = q;
  return { count: split.count, inputs, rowStart, index, value, labels: split.labels, density: nonZero / Math.max(1, split.x.length) };
}
