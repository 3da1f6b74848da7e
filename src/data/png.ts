/**
 * A small PNG reader for digit images: non-interlaced, 8 bits per sample, grey (colour type 0), grey + alpha (4),
 * RGB (2) or RGBA (6), turned into one grey byte per pixel (luminance 0.299 R + 0.587 G + 0.114 B; alpha is
 * ignored). Browser-safe: decompression is the caller's (zlib.inflateSync in Node, a wasm or JS inflate in a page).
 */
import { UserError } from '../errors.js';
import { crc32 } from '../crc32.js';
import { concatBytes } from './bytes.js';

export interface GreyImage {
  width: number;
  height: number;
  /** width × height bytes, row-major. */
  pixels: Uint8Array;
}

/**
 * Decompresses a zlib stream (PNG image data). `maxOutputLength` is the size the header declares: an inflater
 * that supports it (Node's zlib does) stops there instead of expanding a zip bomb; one that ignores it still works.
 */
export type Inflate = (bytes: Uint8Array, maxOutputLength?: number) => Uint8Array;

/** Largest image read: far above a digit, far below what would exhaust memory (the pixel budget is 64 MB of RGBA). */
export const MAX_PNG_SIDE = 8192;
export const MAX_PNG_PIXELS = 4096 * 4096;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel of each supported colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
const SUPPORTED =
  'edlearn reads non-interlaced 8-bit grey, grey+alpha, RGB or RGBA PNGs — save it as an 8-bit greyscale PNG';

export function decodePng(bytes: Uint8Array, name: string, inflate: Inflate): GreyImage {
  const fail = (what: string) => new UserError(`png: ${name}: ${what}`);
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw fail('is not a PNG file (no PNG signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data: Uint8Array[] = [];
  let header: { width: number; height: number; depth: number; colour: number; interlace: number } | null = null;
  let ended = false;
  for (let at = SIGNATURE.length; at < bytes.length && !ended; ) {
    if (at + 12 > bytes.length) throw fail('is truncated inside a chunk header; save the image again');
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    // Chunk types are four ASCII letters; anything else is corruption, and must not reach a message as is.
    if (!/^[A-Za-z]{4}$/.test(type))
      throw fail(
        `has an invalid chunk type (bytes ` +
          `0x${[...bytes.subarray(at + 4, at + 8)].map((b) => b.toString(16).padStart(2, '0')).join('')}) at ` +
          `byte ${at + 4}; the file is corrupted — save the image again`,
      );
    const end = at + 8 + length;
    if (end + 4 > bytes.length) throw fail(`is truncated inside its ${type} chunk; save the image again`);
    if (crc32(bytes.subarray(at + 4, end)) !== view.getUint32(end))
      throw fail(`${type} chunk fails its CRC check: the file is corrupted; save the image again`);
    const body = bytes.subarray(at + 8, end);
    if (!header && type !== 'IHDR') throw fail(`starts with a ${type} chunk instead of IHDR; save the image again`);
    if (type === 'IHDR') header = readHeader(body, fail);
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') ended = true;
    // A critical chunk (upper-case first letter) this reader does not know changes how the image is read.
    else if (type !== 'PLTE' && type.charCodeAt(0) < 0x61)
      throw fail(`has a critical ${type} chunk this reader does not know; ${SUPPORTED}`);
    at = end + 4;
  }
  if (!header || !ended) throw fail('is truncated (no IEND chunk); save the image again');
  if (data.length === 0) throw fail('has no image data (no IDAT chunk); save the image again');
  checkSupported(header, fail);

  const channels = CHANNELS[header.colour];
  const { width, height } = header;
  const stride = width * channels;
  const needed = height * (stride + 1);
  let raw: Uint8Array;
  try {
    raw = inflate(concatBytes(...data), needed);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw fail(
        `image data decompresses to more than the ${needed} bytes ${width}×${height} needs; the file is ` +
          `corrupted — save the image again`,
      );
    throw fail(
      `image data does not decompress (${(err as Error).message}); the file is corrupted — save the image again`,
    );
  }
  if (raw.length < needed)
    throw fail(`image data holds ${raw.length} bytes, ${width}×${height} needs ${needed}; save the image again`);
  const samples = unfilter(raw, height, stride, channels, fail);
  return { width, height, pixels: toGrey(samples, width * height, channels) };
}

function readHeader(body: Uint8Array, fail: (what: string) => UserError) {
  if (body.length !== 13) throw fail(`IHDR chunk is ${body.length} bytes, expected 13; save the image again`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const header = {
    width: view.getUint32(0),
    height: view.getUint32(4),
    depth: body[8],
    colour: body[9],
    interlace: body[12],
  };
  if (header.width === 0 || header.height === 0)
    throw fail(`is ${header.width}×${header.height} pixels; an image needs at least one pixel`);
  // Checked before anything is inflated or allocated: the header alone may claim gigabytes.
  if (header.width > MAX_PNG_SIDE || header.height > MAX_PNG_SIDE || header.width * header.height > MAX_PNG_PIXELS) {
    throw fail(
      `is ${header.width}×${header.height} pixels; edlearn reads images up to ${MAX_PNG_SIDE} pixels a side ` +
        `and ${MAX_PNG_PIXELS} pixels in all — scale it down (digits are 28×28)`,
    );
  }
  if (body[10] !== 0 || body[11] !== 0)
    throw fail(
      `uses compression method ${body[10]} / filter method ${body[11]}, which PNG does not define; save the ` +
        `image again`,
    );
  return header;
}

function checkSupported(
  h: { depth: number; colour: number; interlace: number },
  fail: (what: string) => UserError,
): void {
  if (h.colour === 3) throw fail(`is a palette (indexed-colour) PNG, which is not supported; ${SUPPORTED}`);
  if (!(h.colour in CHANNELS)) throw fail(`has colour type ${h.colour}, which PNG does not define; ${SUPPORTED}`);
  if (h.depth !== 8) throw fail(`has ${h.depth}-bit samples, which are not supported; ${SUPPORTED}`);
  if (h.interlace !== 0) throw fail(`is interlaced (Adam7), which is not supported; ${SUPPORTED}`);
}

/**
 * Undoes the per-row filters (PNG spec §9): each row starts with its filter type, and bytes are predicted from
 * the byte `bpp` to the left (a), the one above (b) and the one above-left (c).
 */
function unfilter(
  raw: Uint8Array,
  height: number,
  stride: number,
  bpp: number,
  fail: (what: string) => UserError,
): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const up = row - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[up + x] : 0;
      const c = x >= bpp && y > 0 ? out[up + x - bpp] : 0;
      let predictor: number;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) >> 1;
          break;
        case 4:
          predictor = paeth(a, b, c);
          break;
        default:
          throw fail(
            `row ${y} has filter type ${filter}; PNG defines 0…4 — the file is corrupted, save the image again`,
          );
      }
      out[row + x] = (raw[src + x] + predictor) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** One grey byte per pixel: grey as is, colour by luminance (ITU-R BT.601), alpha dropped. */
function toGrey(samples: Uint8Array, pixels: number, channels: number): Uint8Array {
  if (channels === 1) return samples;
  const grey = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    const s = i * channels;
    grey[i] =
      channels <= 2 ? samples[s] : Math.round(0.299 * samples[s] + 0.587 * samples[s + 1] + 0.114 * samples[s + 2]);
  }
  return grey;
}
