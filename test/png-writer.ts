// A PNG writer for tests: the other side of src/data/png.ts, written from the spec so it can check the reader.
import { deflateSync } from 'node:zlib';
import { concatBytes } from '../src/data/bytes.js';

export type ColourType = 0 | 2 | 4 | 6;
export const CHANNELS: Record<ColourType, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Bit-by-bit CRC-32 (no table), independent of src/model/crc32.ts. */
export function slowCrc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, slowCrc32(out.subarray(4, 8 + data.length)));
  return out;
}

export interface PngSpec {
  width: number;
  height: number;
  colour: ColourType;
  /** height × width × channels samples. */
  samples: Uint8Array;
  /** Filter type of every row, or one per row. */
  filter?: number | number[];
  /** Override IHDR fields to make unsupported files. */
  depth?: number;
  interlace?: number;
}

export function encodePng(spec: PngSpec): Uint8Array {
  const { width, height, colour, samples } = spec;
  const bpp = CHANNELS[colour] ?? 1;
  const stride = width * bpp;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const filter = Array.isArray(spec.filter) ? spec.filter[y] : (spec.filter ?? 0);
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const at = (yy: number, xx: number) => (yy < 0 || xx < 0 ? 0 : samples[yy * stride + xx]);
      const a = at(y, x - bpp);
      const b = at(y - 1, x);
      const c = at(y - 1, x - bpp);
      const predictor = [0, a, b, Math.floor((a + b) / 2), paeth(a, b, c)][filter];
      raw[y * (stride + 1) + 1 + x] = (samples[y * stride + x] - predictor + 256) % 256;
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = spec.depth ?? 8;
  ihdr[9] = colour;
  ihdr[12] = spec.interlace ?? 0;
  const signature = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Split the image data over two IDAT chunks: readers must concatenate them.
  const z = new Uint8Array(deflateSync(raw));
  const half = z.length >> 1;
  return concatBytes(
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', z.subarray(0, half)),
    chunk('IDAT', z.subarray(half)),
    chunk('IEND', new Uint8Array(0)),
  );
}

/** A grey PNG of a width × height byte image (what predict takes). */
export function greyPng(pixels: Uint8Array, width: number, height: number, filter = 4): Uint8Array {
  return encodePng({ width, height, colour: 0, samples: pixels, filter });
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
