// Property-based fuzzing of every reader of untrusted bytes (IDX raw and gzip, PNG,
// NPY, CSV, model files, NDJSON logs) with
// fast-check: mutated valid inputs must parse to something consistent or throw UserError — no other exception,
// no hang, bounded memory. `npm test` runs a short pass; `npm run fuzz` a long one (FUZZ_CASES, FUZZ_SEED).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { READERS } from './fuzz/readers.js';
import type { FuzzStats } from './fuzz/worker.js';

const CASES = Number(process.env.FUZZ_CASES ?? 300);
// A fixed seed for npm test (the same cases every run); a new one for each long run unless FUZZ_SEED is set.
const SEED = Number(process.env.FUZZ_SEED ?? (process.env.FUZZ_CASES ? Date.now() % 2 ** 31 : 42));
/** One case slower than this is a failure; a case still running after HANG_MS is a hang and its worker is stopped. */
const CASE_LIMIT_MS = 2000;
const HANG_MS = 10_000;
const MEMORY_LIMIT_MB = 512;
const INPUT_COPY_BYTES = 1 << 20;

const BOOTSTRAP = new URL('../src/engine/tsx-worker.mjs', import.meta.url);
const ENTRY = new URL('./fuzz/worker.ts', import.meta.url);

/** Runs one reader's cases in a worker; a hang or a crash of the worker becomes a failure carrying the input. */
function fuzz(reader: string): Promise<FuzzStats & { hangs: number }> {
  const shared = new SharedArrayBuffer(16 + INPUT_COPY_BYTES);
  const state = new Int32Array(shared, 0, 4);
  const input = () =>
    Buffer.from(new Uint8Array(shared, 16, Math.min(Atomics.load(state, 2), INPUT_COPY_BYTES))).toString('base64');
  const worker = new Worker(BOOTSTRAP, {
    workerData: {
      tsEntry: ENTRY.href,
      reader,
      cases: CASES,
      seed: SEED,
      shared,
      caseLimitMs: CASE_LIMIT_MS,
      memoryLimitMB: MEMORY_LIMIT_MB,
    },
    resourceLimits: { maxOldGenerationSizeMb: MEMORY_LIMIT_MB },
  });
  const broken = (error: string, hangs: number): FuzzStats & { hangs: number } => ({
    reader,
    cases: Atomics.load(state, 0),
    parsed: 0,
    userErrors: 0,
    failures: [{ error, input: input() }],
    failureCount: 1,
    slowestMs: NaN,
    peakArrayBuffersMB: NaN,
    hangs,
  });
  return new Promise((done) => {
    let seen = -1;
    let since = Date.now();
    const watch = setInterval(() => {
      const n = Atomics.load(state, 0);
      if (n !== seen || Atomics.load(state, 1) === 0) {
        seen = n;
        since = Date.now();
      } else if (Date.now() - since > HANG_MS) {
        clearInterval(watch);
        const hang = broken(`case ${n + 1} still running after ${HANG_MS} ms`, 1);
        void worker.terminate().then(() => done(hang));
      }
    }, 100);
    worker.once('message', (stats: FuzzStats) => {
      clearInterval(watch);
      done({ ...stats, hangs: 0 });
    });
    worker.once('error', (err) => {
      clearInterval(watch);
      done(broken(`worker died: ${String(err)}`, 0));
    });
  });
}

describe(`fuzz: ${CASES} cases per reader, seed ${SEED}`, { concurrency: 2 }, () => {
  for (const { name } of READERS) {
    it(name, { timeout: 60_000 + CASES * 50 }, async (t) => {
      const r = await fuzz(name);
      t.diagnostic(
        `${name}: ${r.cases} cases, ${r.parsed} parsed, ${r.userErrors} UserErrors, ${r.failureCount} other ` +
          `exceptions or bad cases, ${r.hangs} hangs; slowest case ${r.slowestMs.toFixed(1)} ms; peak ` +
          `ArrayBuffers ${r.peakArrayBuffersMB.toFixed(0)} MB`,
      );
      if (r.failureCount > 0) {
        const file = join(tmpdir(), `edlearn-fuzz-${name.replace(/\W+/g, '-')}-${SEED}.b64`);
        writeFileSync(file, r.failures.map((f) => `${f.error}\n${f.input}\n`).join('\n'));
        assert.fail(
          `${r.failureCount} failing case(s) (seed ${SEED}; inputs in ${file}); first: ${r.failures[0].error}`,
        );
      }
      assert.equal(r.hangs, 0);
      assert.equal(r.cases, CASES);
    });
  }
});
