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
  /**
   * Where each row ends when rows are rewritten in place (augmented training rows): row i is then
   * index/value[rowStart[i] .. rowEnd[i]), within its room up to rowStart[i + 1].
   */
  rowEnd?: Int32Array;
  /** Fraction of inputs that are non-zero. */
  density: number;
}

export interface Allocator {
  alloc(length: number): Float32Array;
  allocInt(length: number): Int32Array;
}

/**
 * With `room`, each row gets room(its non-zero count) slots (≥ that count) and a rowEnd array, so that it can be
 * rewritten in place (data/augment.ts).
 */
export function toSparseRows(split: Split, inputs: number, scale: number, memory: Allocator, room?: (nonZero: number) => number): SparseRows {
  let nonZero = 0;
  let slots = 0;
  for (let s = 0; s < split.count; s++) {
    let n = 0;
    for (let j = s * inputs; j < (s + 1) * inputs; j++) if (split.x[j] !== 0) n++;
    nonZero += n;
    slots += room ? Math.min(inputs, Math.max(n, room(n))) : n;
  }
  const index = memory.allocInt(Math.max(1, slots));
  const value = memory.alloc(Math.max(1, slots));
  const rowStart = new Int32Array(split.count + 1);
  const rowEnd = room ? new Int32Array(split.count) : undefined;
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
    if (rowEnd) {
      rowEnd[s] = q;
      const n = q - rowStart[s];
      for (const end = rowStart[s] + Math.min(inputs, Math.max(n, room!(n))); q < end; q++) {
        index[q] = 0;
        value[q] = 0;
      }
    }
  }
  rowStart[split.count] = q;
  return { count: split.count, inputs, rowStart, rowEnd, index, value, labels: split.labels, density: nonZero / Math.max(1, split.x.length) };
}
