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
export function toSparseRows(
  split: Split,
  inputs: number,
  scale: number,
  memory: Allocator,
  room?: (nonZero: number) => number,
): SparseRows {
  if (room) return roomyRows(split, inputs, scale, memory, room);
  const { x, count } = split;
  // Bytes (images) and floats each have their own loops, so that every site sees one kind of typed array; bytes
  // are read four at a time where the rows allow it (≈ 80 % of an MNIST image is zero words): a command's start-up.
  const words =
    x instanceof Uint8Array && x.byteOffset % 4 === 0 && inputs % 4 === 0
      ? new Uint32Array(x.buffer, x.byteOffset, x.length >> 2)
      : null;
  const nonZero = words ? countWords(words) : countAll(x);
  const index = memory.allocInt(Math.max(1, nonZero));
  const value = memory.alloc(Math.max(1, nonZero));
  const rowStart = new Int32Array(count + 1);
  if (words) {
    const table = new Float32Array(256);
    for (let b = 0; b < 256; b++) table[b] = b * scale;
    fillWords(words, x as Uint8Array, count, inputs, table, rowStart, index, value);
  } else fillAll(x, count, inputs, scale, rowStart, index, value);
  return { count, inputs, rowStart, index, value, labels: split.labels, density: nonZero / Math.max(1, x.length) };
}

function countAll(x: Uint8Array | Float32Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) n++;
  return n;
}

function countWords(words: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === 0) continue;
    n += +((w & 0xff) !== 0) + +((w & 0xff00) !== 0) + +((w & 0xff0000) !== 0) + +(w >>> 24 !== 0);
  }
  return n;
}

function fillAll(
  x: Uint8Array | Float32Array,
  count: number,
  inputs: number,
  scale: number,
  rowStart: Int32Array,
  index: Int32Array,
  value: Float32Array,
): void {
  let q = 0;
  for (let s = 0; s < count; s++) {
    rowStart[s] = q;
    const base = s * inputs;
    for (let j = 0; j < inputs; j++) {
      const v = x[base + j];
      if (v === 0) continue;
      index[q] = j;
      value[q] = v * scale;
      q++;
    }
  }
  rowStart[count] = q;
}

/** fillAll for bytes, skipping zero words; `table` holds byte × scale as the float each value gets. */
function fillWords(
  words: Uint32Array,
  x: Uint8Array,
  count: number,
  inputs: number,
  table: Float32Array,
  rowStart: Int32Array,
  index: Int32Array,
  value: Float32Array,
): void {
  const rowWords = inputs >> 2;
  let q = 0;
  for (let s = 0; s < count; s++) {
    rowStart[s] = q;
    const base = s * rowWords;
    for (let w = 0; w < rowWords; w++) {
      if (words[base + w] === 0) continue;
      const j0 = w << 2;
      const at = s * inputs + j0;
      for (let j = 0; j < 4; j++) {
        const v = x[at + j];
        if (v === 0) continue;
        index[q] = j0 + j;
        value[q] = table[v];
        q++;
      }
    }
  }
  rowStart[count] = q;
}

/** Rows with room to be rewritten in place (augmentation: a redrawn image may light more pixels than its original). */
function roomyRows(
  split: Split,
  inputs: number,
  scale: number,
  memory: Allocator,
  room: (nonZero: number) => number,
): SparseRows {
  const { x, count } = split;
  const counts = new Int32Array(count);
  let slots = 0;
  for (let s = 0; s < count; s++) {
    let n = 0;
    for (let j = s * inputs; j < (s + 1) * inputs; j++) if (x[j] !== 0) n++;
    counts[s] = n;
    slots += Math.min(inputs, Math.max(n, room(n)));
  }
  const index = memory.allocInt(Math.max(1, slots));
  const value = memory.alloc(Math.max(1, slots));
  const rowStart = new Int32Array(count + 1);
  const rowEnd = new Int32Array(count);
  let q = 0;
  let nonZero = 0;
  for (let s = 0; s < count; s++) {
    rowStart[s] = q;
    for (let j = 0; j < inputs; j++) {
      const v = x[s * inputs + j];
      if (v === 0) continue;
      index[q] = j;
      value[q] = v * scale;
      q++;
    }
    rowEnd[s] = q;
    nonZero += counts[s];
    // The room past the row's end is zeroed (index 0, value 0), harmless if ever read.
    for (const end = rowStart[s] + Math.min(inputs, Math.max(counts[s], room(counts[s]))); q < end; q++) {
      index[q] = 0;
      value[q] = 0;
    }
  }
  rowStart[count] = q;
  return {
    count,
    inputs,
    rowStart,
    rowEnd,
    index,
    value,
    labels: split.labels,
    density: nonZero / Math.max(1, x.length),
  };
}
