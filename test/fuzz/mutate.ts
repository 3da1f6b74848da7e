// Mutations of valid inputs for the fuzz tests: bit flips, byte overwrites, truncation, deletion, insertion,
// duplication, splicing with another seed, and header fields overwritten with extreme values.
import fc from 'fast-check';
import { concatBytes as concat } from '../../src/data/bytes.js';

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; from: number; length: number; to: number }
  | { kind: 'splice'; other: number; at: number; from: number }
  | { kind: 'field'; field: number; value: number; littleEndian: boolean };

/** Values that break naive size arithmetic: 0, 1, powers of two around 2^8, 2^16, 2^24, 2^31, 2^32 − 1. */
export const EXTREME_U32 = [
  0, 1, 2, 3, 4, 7, 255, 256, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
  20000, 60000,
];
const EXTREME_BYTES = [0, 1, 0x7f, 0x80, 0xfe, 0xff];

/**
 * A list of mutations. `fields` are byte offsets of header fields (u32) of the format, overwritten with
 * EXTREME_U32 values; `seeds` is the number of seeds a splice may take its tail from.
 */
export function mutations(fields: number[], seeds: number, maxLength = 6, minLength = 1): fc.Arbitrary<Mutation[]> {
  const at = fc.nat({ max: 1 << 20 });
  const mutation: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({
      kind: fc.constant('set' as const),
      at,
      value: fc.oneof(fc.constantFrom(...EXTREME_BYTES), fc.integer({ min: 0, max: 255 })),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), from: at, length: fc.integer({ min: 1, max: 256 }), to: at }),
    fc.record({ kind: fc.constant('splice' as const), other: fc.nat({ max: Math.max(0, seeds - 1) }), at, from: at }),
  ];
  if (fields.length > 0) {
    mutation.push(
      fc.record({
        kind: fc.constant('field' as const),
        field: fc.constantFrom(...fields),
        value: fc.oneof(fc.constantFrom(...EXTREME_U32), fc.nat({ max: 0xffffffff })),
        littleEndian: fc.boolean(),
      }),
    );
  }
  return fc.array(fc.oneof(...mutation), { minLength, maxLength });
}

/** Applies the mutations in order; positions are taken modulo the current length, so every list applies. */
export function mutate(input: Uint8Array, list: Mutation[], seeds: Uint8Array[]): Uint8Array {
  let b = input;
  for (const m of list) {
    const pos = (p: number, extra = 0) => (b.length + extra === 0 ? 0 : p % (b.length + extra));
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) b = withByte(b, pos(m.at), b[pos(m.at)] ^ (1 << m.bit));
        break;
      case 'set':
        if (b.length > 0) b = withByte(b, pos(m.at), m.value);
        break;
      case 'truncate':
        b = b.slice(0, pos(m.at, 1));
        break;
      case 'delete': {
        const at = pos(m.at);
        b = concat(b.subarray(0, at), b.subarray(at + m.length));
        break;
      }
      case 'insert': {
        const at = pos(m.at, 1);
        b = concat(b.subarray(0, at), m.bytes, b.subarray(at));
        break;
      }
      case 'duplicate': {
        const from = pos(m.from);
        const to = pos(m.to, 1);
        b = concat(b.subarray(0, to), b.subarray(from, from + m.length), b.subarray(to));
        break;
      }
      case 'splice': {
        const other = seeds[m.other % seeds.length];
        b = concat(b.subarray(0, pos(m.at, 1)), other.subarray(other.length === 0 ? 0 : m.from % other.length));
        break;
      }
      case 'field':
        if (m.field + 4 <= b.length) {
          b = b.slice();
          new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(m.field, m.value, m.littleEndian);
        }
        break;
    }
  }
  return b;
}

function withByte(b: Uint8Array, at: number, value: number): Uint8Array {
  const out = b.slice();
  out[at] = value & 0xff;
  return out;
}

export { concatBytes as concat } from '../../src/data/bytes.js';
