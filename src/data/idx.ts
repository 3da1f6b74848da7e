/**
 * The IDX format (MNIST, Fashion-MNIST, KMNIST, EMNIST): a big-endian header — two zero bytes, a type byte
 * (0x08 = unsigned byte), the number of dimensions — then one uint32 size per dimension, then the data.
 * Files may be gzipped. parseIdx works on bytes (browser-safe); readIdxFile adds the file system.
 */
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors.js';

export interface IdxArray {
  /** Sizes of each dimension, e.g. [60000, 28, 28]. */
  dims: number[];
  data: Uint8Array;
  /** The whole (decompressed) file, header included. */
  bytes: Uint8Array;
}

const UBYTE = 0x08;

/** Parses an uncompressed IDX byte array; `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const fail = (what: string) => new UserError(`readIdx: ${name}: ${what}`);
  if (bytes.length < 4) throw fail(`file is ${bytes.length} bytes long, too short for an IDX header (expected ≥ 4)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw fail('file is gzipped; name it *.gz or gunzip it first');
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw fail(`expected an IDX magic number 0x000008NN, got 0x${hex(magic)} — is this an IDX file?`);
  }
  if (bytes[2] !== UBYTE) throw fail(`expected unsigned-byte data (type 0x08), got type 0x${bytes[2].toString(16)}`);
  const rank = bytes[3];
  if (rank < 1 || rank > 4) throw fail(`expected 1 to 4 dimensions, got ${rank}`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw fail(`header is truncated: ${bytes.length} bytes, expected ${headerBytes}`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = headerBytes + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    const verb = bytes.length < expected ? 'truncated' : 'longer than its header says';
    throw fail(`file is ${verb}: dimensions ${dims.join('×')} need ${expected} bytes, found ${bytes.length}`);
  }
  return { dims, data: bytes.subarray(headerBytes), bytes };
}

/** Reads an IDX file from disk, gunzipping it when it is gzipped. */
export function readIdxFile(path: string): IdxArray {
  let raw: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new UserError(`readIdx: ${path}: is not a file`);
    raw = readFileSync(path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`readIdx: ${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const gzipped = raw[0] === 0x1f && raw[1] === 0x8b;
  if (path.endsWith('.gz') && !gzipped) {
    throw new UserError(`readIdx: ${path}: named .gz but is not gzip data (first bytes 0x${hex(raw[0] ?? 0, 2)}${hex(raw[1] ?? 0, 2)}, expected 0x1f8b); rename it without .gz or re-download it`);
  }
  if (gzipped) {
    try {
      raw = gunzipSync(raw);
    } catch (err) {
      throw new UserError(`readIdx: ${path}: gzip data is corrupt or truncated (${(err as Error).message}); re-download the file`);
    }
  }
  return parseIdx(raw, path);
}

function hex(v: number, width = 8): string {
  return v.toString(16).padStart(width, '0');
}
