/**
 * NumPy's .npy format (what np.save writes): the magic "\x93NUMPY", a version, a little-endian header length
 * (u16 for version 1, u32 for 2 and 3), a Python-literal dict { 'descr', 'fortran_order', 'shape' }, then the
 * array in C order. Read here: uint8 and float32 images, integer labels. Bytes only, so that a browser can use
 * it; files are read by data/formats.ts. Every refusal is one line naming the file, what was expected and the fix.
 */
import { UserError } from '../errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Largest array read (elements): more than any image set this reader is for, small enough to allocate. */
const MAX_ELEMENTS = 2 ** 31;

export type NpyType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'uint64'
  | 'int64'
  | 'float32'
  | 'float64';

export interface NpyArray {
  shape: number[];
  type: NpyType;
  /** The values, as bytes for uint8 and as numbers otherwise (float32 for float32, float64 for the rest). */
  data: Uint8Array | Float32Array | Float64Array;
}

const TYPES: Record<string, { type: NpyType; size: number }> = {
  u1: { type: 'uint8', size: 1 },
  i1: { type: 'int8', size: 1 },
  u2: { type: 'uint16', size: 2 },
  i2: { type: 'int16', size: 2 },
  u4: { type: 'uint32', size: 4 },
  i4: { type: 'int32', size: 4 },
  u8: { type: 'uint64', size: 8 },
  i8: { type: 'int64', size: 8 },
  f4: { type: 'float32', size: 4 },
  f8: { type: 'float64', size: 8 },
};

/** Parses the bytes of a .npy file; `name` appears in every error. */
export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  const fail = (what: string) => new UserError(`readNpy: ${name}: ${what}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw fail('not a .npy file (expected the magic bytes \\x93NUMPY); save the array with numpy.save');
  const major = bytes[6];
  if (major < 1 || major > 3)
    throw fail(
      `.npy format version ${major}.${bytes[7]} is not one this reader knows (1, 2 or 3); save it again with ` +
        `numpy.save`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw fail(`file is ${bytes.length} bytes long, too short for a .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataAt = 8 + lengthBytes + headerLength;
  if (dataAt > bytes.length)
    throw fail(
      `header declares ${headerLength} bytes but the file ends after ${bytes.length - 8 - lengthBytes}; the ` +
        `file is truncated`,
    );
  const header = new TextDecoder('latin1').decode(bytes.subarray(8 + lengthBytes, dataAt));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw fail("header lacks 'descr', 'fortran_order' or 'shape'; save the array with numpy.save");
  if (fortran === 'True') throw fail('array is in Fortran order; save numpy.ascontiguousarray(array) instead');
  const order = descr[0];
  const kind = TYPES[descr.slice(1)];
  if (!kind || !['<', '|', '='].includes(order) || (order === '|' && kind.size > 1)) {
    throw fail(
      `element type '${shown(descr)}' is not read here; expected uint8 or float32 images and integer labels, ` +
        `little-endian (array.astype('<f4'))`,
    );
  }
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.some((s) => !/^\d+$/.test(s))) throw fail(`shape (${shown(shapeText)}) is not a tuple of sizes`);
  const shape = parts.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (!(count <= MAX_ELEMENTS))
    throw fail(
      `shape (${shape.join(', ')}) holds ${count} elements, more than the ${MAX_ELEMENTS} this reader accepts`,
    );
  const expected = count * kind.size;
  const found = bytes.length - dataAt;
  if (found !== expected) {
    throw fail(
      `file is ${found < expected ? 'truncated' : 'longer than its header says'}: shape (${shape.join(', ')}) ` +
        `of ${kind.type} needs ${expected} bytes of data, found ${found}`,
    );
  }
  return { shape, type: kind.type, data: values(bytes.subarray(dataAt), kind.type, count) };
}

/** Header text as an error message may show it: one line, printable, short. */
function shown(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

function values(raw: Uint8Array, type: NpyType, count: number): NpyArray['data'] {
  if (type === 'uint8') return raw;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (type === 'float32') return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true));
  const read: Record<Exclude<NpyType, 'uint8' | 'float32'>, (i: number) => number> = {
    int8: (i) => view.getInt8(i),
    uint16: (i) => view.getUint16(2 * i, true),
    int16: (i) => view.getInt16(2 * i, true),
    uint32: (i) => view.getUint32(4 * i, true),
    int32: (i) => view.getInt32(4 * i, true),
    uint64: (i) => Number(view.getBigUint64(8 * i, true)),
    int64: (i) => Number(view.getBigInt64(8 * i, true)),
    float64: (i) => view.getFloat64(8 * i, true),
  };
  return Float64Array.from({ length: count }, (_, i) => read[type](i));
}

/** Writes a C-order .npy file (version 1): how tests and examples make NumPy data without NumPy. */
export function encodeNpy(shape: number[], data: Uint8Array | Float32Array | Int32Array | Float64Array): Uint8Array {
  const descr =
    data instanceof Uint8Array
      ? '|u1'
      : data instanceof Float32Array
        ? '<f4'
        : data instanceof Int32Array
          ? '<i4'
          : '<f8';
  const dict =
    `{'descr': '${descr}', 'fortran_order': False, 'shape': ` +
    `(${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const header = new TextEncoder().encode(`${dict}${' '.repeat(pad % 64)}\n`);
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(10 + header.length + raw.length);
  out.set([...MAGIC, 1, 0, header.length & 0xff, header.length >> 8], 0);
  out.set(header, 10);
  out.set(raw, 10 + header.length);
  return out;
}
