/**
 * SHA-256 of dataset files, remembered between processes. Hashing MNIST's 55 MB takes a fresh `edlearn train` tens
 * of milliseconds; a file whose size, inode, modification and change times are those recorded with its digest is
 * the file that was hashed (the change time moves on every write and cannot be set back), so its digest is reused;
 * files changed in the last seconds are not recorded (a coarse file system clock could hide a second change).
 * The record lives in $XDG_CACHE_HOME/edlearn (else ~/.cache/edlearn); when it cannot be read or written, files are
 * simply hashed. EDLEARN_NO_CACHE=1 turns it off.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io.js';

/** A file changed this recently may change again within its file system's time resolution unseen: not recorded. */
const SETTLE_MS = 2000;

interface Entry {
  size: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
  sha256: string;
}

const cacheFile = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'edlearn', 'sha256-v1.json');

function readCache(path: string): Record<string, Entry> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}

/** The SHA-256 (hex) of `bytes`, the content read from each file of `paths` (same keys). */
export function fileDigests<K extends string>(
  paths: Record<K, string>,
  bytes: Record<K, Uint8Array>,
): Record<K, string> {
  const off = process.env.EDLEARN_NO_CACHE === '1';
  const file = cacheFile();
  const cache = off ? {} : readCache(file);
  let changed = false;
  const out = {} as Record<K, string>;
  for (const key of Object.keys(paths) as K[]) {
    const path = resolve(paths[key]);
    let stat: { size: number; ino: number; mtimeMs: number; ctimeMs: number } | null = null;
    try {
      stat = statSync(path);
    } catch {
      stat = null;
    }
    const hit = cache[path];
    if (
      stat &&
      hit &&
      hit.size === stat.size &&
      hit.ino === stat.ino &&
      hit.mtimeMs === stat.mtimeMs &&
      hit.ctimeMs === stat.ctimeMs &&
      typeof hit.sha256 === 'string'
    ) {
      out[key] = hit.sha256;
      continue;
    }
    out[key] = createHash('sha256').update(bytes[key]).digest('hex');
    if (stat && Date.now() - Math.max(stat.mtimeMs, stat.ctimeMs) > SETTLE_MS) {
      cache[path] = { size: stat.size, ino: stat.ino, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, sha256: out[key] };
      changed = true;
    }
  }
  if (changed && !off) {
    try {
      writeFileAtomic(file, JSON.stringify(cache));
    } catch {
      // A read-only home: the digests are simply computed again next time.
    }
  }
  return out;
}
