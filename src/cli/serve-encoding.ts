/**
 * Precompressed files for `edlearn serve`: the lab's build writes NAME.br and NAME.gz beside its text and
 * WebAssembly files (vite.config.ts), and serve sends one of them when the client accepts its encoding.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const VARIANTS = [
  { suffix: '.br', encoding: 'br' },
  { suffix: '.gz', encoding: 'gzip' },
] as const;

/** The encodings an Accept-Encoding header accepts (q > 0), lower-cased. */
export function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of [header ?? ''].flat().join(',').split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (name && !(q && !(Number(q.slice(2)) > 0))) accepted.add(name);
  }
  return accepted;
}

/**
 * The precompressed sibling of `file` (a real path) that the client accepts — brotli first, then gzip — or null.
 * Only a regular file in the same directory counts, so a symlinked sibling cannot lead out of the site.
 */
export function precompressed(
  header: string | string[] | undefined,
  file: string,
): { file: string; encoding: 'br' | 'gzip' } | null {
  const accepted = acceptedEncodings(header);
  for (const { suffix, encoding } of VARIANTS) {
    const sibling = `${file}${suffix}`;
    if (!accepted.has(encoding) || !existsSync(sibling)) continue;
    const real = realpathSync(sibling);
    if (dirname(real) === dirname(file) && statSync(real).isFile()) return { file: real, encoding };
  }
  return null;
}
