import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Element-wise |a − e| ≤ atol + rtol·|e|; on failure names the worst element. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-5, atol = 1e-6 } = {},
): void {
  assert.equal(actual.length, expected.length, `length ${actual.length} ≠ expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    assert.fail(
      `not close at [${worst}]: got ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol})`,
    );
  }
}

/** Temp directories made by this test file, removed when its process exits (pass or fail). */
const temps: string[] = [];
process.once('exit', () => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'edlearn-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** IDX bytes: ubyte data with the given dimensions; `data` defaults to a repeating pattern. */
export function idxBytes(dims: number[], data?: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data ?? Uint8Array.from({ length: size }, (_, i) => (i * 37) % 256), 4 + 4 * dims.length);
  return out;
}

export const gzip = (b: Uint8Array) => new Uint8Array(gzipSync(b));

/**
 * The CLI refuses `args` as a user mistake: exit code 2, the message, no stack
 * trace, one line (commander may add a hint).
 */
export function assertUserError(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  assert.equal(r.code, 2, `exit code for ${args.join(' ')}: ${r.code}\n${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'stack trace printed');
  assert.ok(r.stderr.trim().split('\n').length <= 2, `more than one line of error:\n${r.stderr}`);
}

/** Runs the CLI as a user would (in `cwd`, default the repository); returns exit code and output. */
export function runCli(
  args: string[],
  cwd = ROOT,
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, join(ROOT, 'src/cli/bin.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

import type { Backend } from '../src/kernels/backend.js';
import type { SampleBatch } from '../src/rules/rule.js';

/** A batch from dense inputs x (n, inputs), with its sparse rows allocated from `backend`. */
export function denseBatch(
  backend: Backend,
  x: ArrayLike<number>,
  n: number,
  inputs: number,
  labels: ArrayLike<number>,
): SampleBatch {
  let nonZero = 0;
  for (let i = 0; i < n * inputs; i++) if (x[i] !== 0) nonZero++;
  const index = backend.allocInt(Math.max(1, nonZero));
  const value = backend.alloc(Math.max(1, nonZero));
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  let q = 0;
  for (let b = 0; b < n; b++) {
    start[b] = q;
    for (let j = 0; j < inputs; j++) {
      if (x[b * inputs + j] === 0) continue;
      index[q] = j;
      value[q++] = x[b * inputs + j];
    }
    end[b] = q;
  }
  return { size: n, start, end, index, value, labels: Array.from(labels) };
}
