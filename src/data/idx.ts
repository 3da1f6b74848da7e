/** Reads IDX files from disk, gunzipping them when they are gzipped; the format itself is in idx-parse.ts. */
import { readFileSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { UserError } from '../errors.js';
import { hex, type IdxArray, idxSize, parseIdx } from './idx-parse.js';

export { parseIdx, type IdxArray } from './idx-parse.js';

/** Largest decompressed IDX file read (EMNIST ByClass training images are 547 MB). */
export const MAX_IDX_BYTES = 2 ** 31;
/** Compressed bytes inflated to read the header first; they expand to at most ~1 MB. */
const PEEK_BYTES = 1024;

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
  if (path.endsWith('.gz') && !isGzip(raw)) {
    throw new UserError(
      `readIdx: ${path}: named .gz but is not gzip data (first bytes ` +
        `0x${hex(raw[0] ?? 0, 2)}${hex(raw[1] ?? 0, 2)}, expected 0x1f8b); rename it without .gz or re-download it`,
    );
  }
  return decodeIdxFile(raw, path);
}

/** The bytes of an IDX file, raw or gzipped; `name` appears in error messages. */
export function decodeIdxFile(raw: Uint8Array, name: string): IdxArray {
  return parseIdx(isGzip(raw) ? gunzipIdx(raw, name) : raw, name);
}

function isGzip(raw: Uint8Array): boolean {
  return raw[0] === 0x1f && raw[1] === 0x8b;
}

/**
 * Gunzips an IDX file without ever inflating more than its header declares: the header is read from the first
 * compressed bytes, its size checked against MAX_IDX_BYTES, and the whole stream inflated with that as a cap.
 */
function gunzipIdx(raw: Uint8Array, name: string): Uint8Array {
  let head: Uint8Array;
  try {
    head = gunzipSync(raw.subarray(0, PEEK_BYTES), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (err) {
    throw corrupt(name, err);
  }
  const rank = head[3];
  const isIdxHeader = head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0x08 && rank >= 1 && rank <= 4;
  if (!isIdxHeader || head.length < 4 + 4 * rank) {
    // A small file is inflated whole (bounded by its size) and parseIdx names the problem.
    if (raw.length <= PEEK_BYTES) return inflateCapped(raw, name, 1 << 21, 'a file this small');
    if (head.length >= 4 && !isIdxHeader) parseIdx(head, name); // throws: wrong magic, type or rank
    throw new UserError(
      `readIdx: ${name}: the first ${PEEK_BYTES} bytes of gzip data hold no complete IDX header; re-download the file`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = idxSize(dims);
  if (size > MAX_IDX_BYTES) {
    throw new UserError(
      `readIdx: ${name}: header declares ${dims.join('×')} bytes (${size} in all), more than ` +
        `the ${MAX_IDX_BYTES} this reader accepts; is the header corrupt?`,
    );
  }
  return inflateCapped(raw, name, size, `dimensions ${dims.join('×')}`);
}

/** Gunzips all of `raw`, refusing more than `cap` bytes of output. */
function inflateCapped(raw: Uint8Array, name: string, cap: number, what: string): Uint8Array {
  try {
    return gunzipSync(raw, { maxOutputLength: cap });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UserError(
        `readIdx: ${name}: file is longer than its header says: ${what} need ${cap} bytes, the gzip data ` +
          `holds more; re-download the file`,
      );
    }
    throw corrupt(name, err);
  }
}

function corrupt(name: string, err: unknown): UserError {
  return new UserError(
    `readIdx: ${name}: gzip data is corrupt or truncated (${(err as Error).message}); re-download the file`,
  );
}
