/**
 * The few Protocol Buffers encodings an ONNX file needs (varints, length-delimited fields, fixed32 floats), so
 * that export needs no protobuf runtime. A message is the concatenation of its fields. Browser-safe.
 */

import { concatBytes } from '../data/bytes.js';

const encoder = new TextEncoder();

/** A non-negative integer as a base-128 varint (exact up to 2^53). */
function varint(value: number): number[] {
  if (!(Number.isSafeInteger(value) && value >= 0))
    throw new Error(`protobuf: ${value} is not a non-negative safe integer`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

const key = (field: number, wire: number): number[] => varint(field * 8 + wire);

/** Concatenated byte arrays: a message made of its fields. */
export const message = concatBytes;

/** An integer field (int32, int64, enum). */
export const int = (field: number, value: number): Uint8Array => Uint8Array.from([...key(field, 0), ...varint(value)]);

/** A bytes or embedded-message field. */
export function bytes(field: number, value: Uint8Array): Uint8Array {
  const head = [...key(field, 2), ...varint(value.length)];
  const out = new Uint8Array(head.length + value.length);
  out.set(head, 0);
  out.set(value, head.length);
  return out;
}

export const string = (field: number, value: string): Uint8Array => bytes(field, encoder.encode(value));

/** Float32 values as little-endian bytes (ONNX raw_data, TF.js weight files). */
export function floatBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return out;
}
