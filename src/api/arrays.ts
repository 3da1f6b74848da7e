/**
 * The public API's inputs, checked once with one-line errors that name the function and the argument: images as
 * IDX bytes (Uint8Array, n × inputs, scaled by 1/255) or Float32Array values in 0…1 (ED inputs must not be
 * negative), labels as integers 0 … classes − 1. Browser-safe.
 */
import type { Split } from '../data/tasks.js';
import { UserError } from '../errors.js';

export type Images = Uint8Array | Float32Array;
export type Labels = Uint8Array | Int32Array | Uint16Array | readonly number[];

/** Input value = byte / 255 for IDX bytes; floats are taken as they are. */
export const scaleOf = (x: Images): number => (x instanceof Uint8Array ? 1 / 255 : 1);

/** The number of samples in x, after checking its type, length and (for floats) its values. */
export function sampleCount(x: unknown, inputs: number, where: string): number {
  if (!(x instanceof Uint8Array) && !(x instanceof Float32Array)) {
    throw new UserError(
      `${where}: images must be a Uint8Array (IDX bytes, n × ${inputs}) or a Float32Array of values in 0…1, ` +
        `got ${describe(x)}`,
    );
  }
  if (x.length === 0 || x.length % inputs !== 0) {
    throw new UserError(
      `${where}: images hold ${x.length} values, not a positive multiple of the model's ${inputs} inputs`,
    );
  }
  if (x instanceof Float32Array) {
    for (let i = 0; i < x.length; i++) {
      if (!(x[i] >= 0 && x[i] <= 1))
        throw new UserError(
          `${where}: images[${i}] is ${x[i]}; ED inputs must be numbers in 0…1 (pass IDX bytes as a Uint8Array)`,
        );
    }
  }
  return x.length / inputs;
}

/** Labels as the bytes a Split holds, after checking there is one integer class per sample. */
export function labelBytes(y: unknown, count: number, classes: number, where: string): Uint8Array {
  const ok = y instanceof Uint8Array || y instanceof Int32Array || y instanceof Uint16Array || Array.isArray(y);
  if (!ok)
    throw new UserError(
      `${where}: labels must be a Uint8Array, Int32Array or array of class numbers, got ${describe(y)}`,
    );
  const labels = y as ArrayLike<number>;
  if (labels.length !== count)
    throw new UserError(`${where}: ${count} images but ${labels.length} labels; give one label per image`);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const l = labels[i];
    if (!(Number.isInteger(l) && l >= 0 && l < classes))
      throw new UserError(`${where}: labels[${i}] is ${l}; expected a class 0…${classes - 1}`);
    out[i] = l;
  }
  return out;
}

/** A checked split of n samples. */
export function splitOf(x: unknown, y: unknown, inputs: number, classes: number, where: string): Split {
  const count = sampleCount(x, inputs, where);
  return { x: x as Images, labels: labelBytes(y, count, classes, where), count };
}

/** Samples [from, to) of a split, without copying. */
export function slice(split: Split, inputs: number, from: number, to: number): Split {
  return { x: split.x.subarray(from * inputs, to * inputs), labels: split.labels.subarray(from, to), count: to - from };
}

/** A short hash of the training values (FNV-1a, 32 bits): which data a model saw, for its header. */
export function fingerprint(x: Images): string {
  const bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `fnv1a-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v;
}
