/**
 * Where the class networks of an ED classifier run: on this thread, or split over a pool of worker threads that
 * attach to the classifier's storage in the shared WebAssembly memory. Every network is computed by the same
 * code whichever thread runs it, so results do not depend on the number of threads. The rule only exposes
 * "run network k on the loaded batch" (runNetwork) and a hook for a runner; this module decides where.
 */
import { WasmBackend } from '../kernels/wasm.js';
import { EdClassifier, type NetworkOp } from '../rules/ed.js';
import type { Rule } from '../rules/rule.js';
import { PARAMS, WorkerPool } from './pool.js';
import type { WorkerData } from './ed-worker.js';

export const OPS = { learn: 0, predict: 1, update: 2 } as const;

/**
 * Below this many multiply-adds per batch (≈ batch × networks × units × 300 for MNIST), waking the other threads
 * costs more than it saves: online (batch 1) 10-class training ran 3× slower on two threads than on one.
 */
const MIN_WORK_PER_BATCH = 2e6;

/** Networks running on several threads; close() stops the workers and puts every network back on this thread. */
export interface NetworkThreads {
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * Hands the rule's networks to `threads` threads when it has several, lives in shared WebAssembly memory, and
 * its batches are big enough to pay for it; returns the handle (close it when done), or null when everything
 * runs on this thread.
 */
export function spreadNetworks(rule: Rule, threads: number, batch: number): NetworkThreads | null {
  if (!(rule instanceof EdClassifier) || threads <= 1 || rule.networks <= 1) return null;
  if (batch * rule.networks * rule.options.units * 300 < MIN_WORK_PER_BATCH) return null;
  const be = rule.backend;
  if (!(be instanceof WasmBackend)) return null; // the reference backend's arrays are not shared
  const count = Math.min(threads, rule.networks);
  const script = new URL(`./ed-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  const { floats, ints } = rule.storage;
  const data: Omit<WorkerData, 'control' | 'thread'> = {
    module: be.module, memory: be.memory, backendName: be.name,
    rule: { options: rule.options, inputs: rule.inputs, classes: rule.classes, maxBatch: rule.maxBatch },
    floats: [floats.byteOffset, floats.length], ints: [ints.byteOffset, ints.length],
  };
  const pool = new WorkerPool(count, script, data);
  pool.awaitStart(); // so that start-up is not counted as training time
  rule.useRunner((op, networks, batchSize, dense, index, value) => {
    pool.run(networks, [OPS[op], batchSize, dense ? 1 : 0, index.byteOffset, index.length, value.byteOffset, value.length], (from, to) => {
      for (let k = from; k < to; k++) rule.runNetwork(op, k, batchSize, dense, index, value);
    });
  });
  return {
    threads: count,
    close: () => {
      rule.useRunner(null);
      return pool.close();
    },
  };
}

/** Reads the job parameters written by spreadNetworks' runner. */
export function readJob(control: Int32Array): { op: NetworkOp; batch: number; dense: boolean; indexOffset: number; indexLength: number; valueOffset: number; valueLength: number } {
  const p = (i: number) => control[PARAMS + i];
  const op = (['learn', 'predict', 'update'] as const)[p(0)];
  return { op, batch: p(1), dense: p(2) === 1,
    indexOffset: p(3), indexLength: p(4), valueOffset: p(5), valueLength: p(6) };
}
