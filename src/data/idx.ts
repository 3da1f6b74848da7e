/** Reads IDX files from disk, gunzipping them when they are gzipped; the format itself is in idx-parse.ts. */
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors.js';
import { hex, type IdxArray, parseIdx } from './idx-parse.js';

export { parseIdx, type IdxArray } from './idx-parse.js';

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

