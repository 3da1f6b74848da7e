// Runs one reader's fuzz cases in a worker thread, so that the test can stop a case that hangs. Before each case
// the input is copied into shared memory, where the test finds it if the worker has to be terminated.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { UserError } from '../../src/errors.js';
import { READERS } from './readers.js';

export interface FuzzStats {
  reader: string;
  cases: number;
  parsed: number;
  userErrors: number;
  /** Other exceptions, inconsistent results, multi-line or over-budget cases: what the test fails on. */
  failures: { error: string; input: string }[];
  failureCount: number;
  slowestMs: number;
  /** Largest ArrayBuffer memory seen after a case, MB. */
  peakArrayBuffersMB: number;
}

const {
  reader: name,
  cases,
  seed,
  shared,
  caseLimitMs,
  memoryLimitMB,
} = workerData as {
  reader: string;
  cases: number;
  seed: number;
  shared: SharedArrayBuffer;
  caseLimitMs: number;
  memoryLimitMB: number;
};
const reader = READERS.find((r) => r.name === name)!;
const state = new Int32Array(shared, 0, 4); // cases done, a case running (1/0), input length
const inputCopy = new Uint8Array(shared, 16);
const stats: FuzzStats = {
  reader: name,
  cases: 0,
  parsed: 0,
  userErrors: 0,
  failures: [],
  failureCount: 0,
  slowestMs: 0,
  peakArrayBuffersMB: 0,
};

// After a case over the memory budget, collect its garbage so that the next cases are measured on their own.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const fail = (error: string, input: Uint8Array) => {
  stats.failureCount++;
  if (stats.failures.length < 5)
    stats.failures.push({ error, input: Buffer.from(input.subarray(0, 4096)).toString('base64') });
};

fc.check(
  fc.property(reader.inputs, (input) => {
    inputCopy.set(input.subarray(0, inputCopy.length));
    Atomics.store(state, 2, input.length);
    Atomics.store(state, 1, 1);
    const started = performance.now();
    try {
      reader.read(input);
      stats.parsed++;
    } catch (err) {
      if (!(err instanceof UserError))
        fail(
          String((err as Error)?.stack ?? err)
            .split('\n')
            .slice(0, 4)
            .join(' | '),
          input,
        );
      else if (err.message.includes('\n')) fail(`UserError on more than one line: ${err.message}`, input);
      else stats.userErrors++;
    }
    const ms = performance.now() - started;
    stats.slowestMs = Math.max(stats.slowestMs, ms);
    if (ms > caseLimitMs) fail(`took ${ms.toFixed(0)} ms (limit ${caseLimitMs} ms)`, input);
    const mb = process.memoryUsage().arrayBuffers / 2 ** 20;
    stats.peakArrayBuffersMB = Math.max(stats.peakArrayBuffersMB, mb);
    if (mb > memoryLimitMB) {
      fail(`${mb.toFixed(0)} MB of ArrayBuffers after the case (limit ${memoryLimitMB} MB)`, input);
      gc();
    }
    stats.cases++;
    Atomics.store(state, 1, 0);
    Atomics.add(state, 0, 1);
    return true;
  }),
  { numRuns: cases, seed },
);

parentPort!.postMessage(stats);
