/**
 * The IDX format (MNIST, Fashion-MNIST, KMNIST, EMNIST): a big-endian header — two zero bytes, a type byte
 * (0x08 = unsigned byte), the number of dimensions — then one uint32 size per dimension, then the data.
 * Bytes only, so that a browser can use it; readIdxFile (idx.ts) adds the file system and gzip.
 */
import { UserError } from '../errors.js';

const UBYTE = 0x08;

export interface IdxArray {
  /** Sizes of each dimension, e.g. [60000, 28, 28]. */
  dims: number[];
  data: Uint8Array;
  /** The whole (decompressed) file, header included. */
  bytes: Uint8Array;
}

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
  const zero = dims.indexOf(0);
  if (zero >= 0) {
    throw fail(
      `dimension ${zero + 1} of ${rank} is 0 (${dims.join('×')}): the file holds no data; expected every size ` +
        `≥ 1 — re-create or re-download it`,
    );
  }
  const expected = idxSize(dims);
  if (bytes.length !== expected) {
    const verb = bytes.length < expected ? 'truncated' : 'longer than its header says';
    throw fail(`file is ${verb}: dimensions ${dims.join('×')} need ${expected} bytes, found ${bytes.length}`);
  }
  // A plain Uint8Array, not a Node Buffer view: every split's images are then one kind of typed array, which keeps
  // the sites that read them monomorphic (and copies made with x.constructor are not deprecated Buffer() calls).
  return {
    dims,
    data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, bytes.length - headerBytes),
    bytes,
  };
}

/** Bytes of a whole IDX file with these dimensions (header included); may exceed 2^53 for hostile headers. */
export function idxSize(dims: number[]): number {
  return 4 + 4 * dims.length + dims.reduce((a, b) => a * b, 1);
}

export function hex(v: number, width = 8): string {
  return v.toString(16).padStart(width, '0');
}
