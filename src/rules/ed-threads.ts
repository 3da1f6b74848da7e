/**
 * Trains the class networks of an ED classifier on several threads: each worker attaches to the classifier's
 * arrays in the shared WebAssembly memory and runs its range of networks. Every network is computed by the same
 * code whichever thread runs it, so results do not depend on the number of threads.
 */
import { PARAMS, WorkerPool } from '../kernels/pool.js';
import { WasmBackend } from '../kernels/wasm.js';
import type { EdClassifier } from './ed.js';

export const OPS = { learn: 0, predict: 1, update: 2 } as const;

/**
 * Below this many multiply-adds per batch (≈ batch × networks × units × 300 for MNIST), waking the other threads
 * costs more than it saves: online (batch 1) 10-class training ran 3× slower on two threads than on one.
 */
const MIN_WORK_PER_BATCH = 2e6;

/**
 * Hands the classifier's networks to `threads` threads when the batches are big enough to pay for it; returns the
 * pool (close it when done), or null when everything runs on this thread.
 */
export function useThreads(clf: EdClassifier, threads: number, batch: number): WorkerPool | null {
  if (threads <= 1 || clf.networks <= 1) return null;
  if (batch * clf.networks * clf.options.units * 300 < MIN_WORK_PER_BATCH) return null;
  const be = clf.backend;
  if (!(be instanceof WasmBackend)) return null; // the reference backend's arrays are not shared
  const count = Math.min(threads, clf.networks);
  const script = new URL(`./ed-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  const pool = new WorkerPool(count, script, { module: be.module, memory: be.memory, name: be.name, attachment: clf.attachment() });
  pool.awaitStart(); // so that start-up is not counted as training time
  clf.useRunner((op, networks, batch, dense, index, value) => {
    pool.run(networks, [OPS[op], batch, dense ? 1 : 0, index.byteOffset, index.length, value.byteOffset, value.length], (from, to) => {
      for (let k = from; k < to; k++) clf.runNetwork(op, k, batch, dense, index, value);
    });
  });
  return pool;
}

/** Reads the job parameters written by useThreads' runner. */
export function readJob(control: Int32Array) {
  const p = (i: number) => control[PARAMS + i];
  const op = (['learn', 'predict', 'update'] as const)[p(0)];
  return { op, batch: p(1), dense: p(2) === 1,
    indexOffset: p(3), indexLength: p(4), valueOffset: p(5), valueLength: p(6) };
}
