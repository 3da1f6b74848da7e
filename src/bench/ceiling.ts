/**
 * The machine's parallel ceiling: how much faster N threads can be than one at all, measured on the kernels a
 * training case runs. One copy of the first layer's forward and update over real images is timed alone, then N
 * copies at once, each on its own thread with its own weights. On a machine whose vCPUs share one core's vector
 * units the N copies each run slower, and no engine can scale past N × (time alone ÷ time together).
 */
import { Worker } from 'node:worker_threads';
import type { WasmBackend } from '../kernels/wasm.js';
import type { SparseRows } from '../data/sparse.js';
import { median } from './stats.js';
import type { CeilingData } from './ceiling-worker.js';

export interface Ceiling {
  threads: number;
  /** Median seconds of one copy alone, and of each of N copies run at once. */
  aloneSeconds: number;
  togetherSeconds: number;
  /** N × alone ÷ together: the speed-up N threads can give at most. */
  speedup: number;
}

/** Samples each copy runs per timing (the same ones every time). */
const SAMPLES = 256;

/**
 * The ceiling for `threads` threads on the first layer of a case: `width` columns per network, rows `ld` floats
 * apart, `batch` samples per kernel call (capped: the shape, not the size, decides the rate). `groups`: the
 * column blocks one thread's share of the networks learns in (its working set), instead of one network's.
 */
export async function measureCeiling(
  be: WasmBackend,
  rows: SparseRows,
  shape: { width: number; ld: number; batch: number; groups?: number[] },
  threads: number,
  repeats: number,
): Promise<Ceiling> {
  const m = Math.min(shape.batch, 64);
  const control = new Int32Array(new SharedArrayBuffer(4 * (2 + threads)));
  const seconds = new Float64Array(new SharedArrayBuffer(8 * threads));
  const ts = import.meta.url.endsWith('.ts');
  const script = new URL(`./ceiling-worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  const entry = ts ? new URL('../engine/tsx-worker.mjs', import.meta.url) : script;
  const data: Omit<CeilingData, 'thread'> = {
    module: be.module,
    name: be.name,
    rowStart: rows.rowStart.slice(0, SAMPLES + 1),
    index: rows.index.slice(0, rows.rowStart[SAMPLES]),
    value: rows.value.slice(0, rows.rowStart[SAMPLES]),
    inputs: rows.inputs,
    m,
    ...shape,
    control,
    seconds,
  };
  const workers = Array.from(
    { length: threads },
    (_, t) => new Worker(entry, { workerData: { ...data, thread: t, tsEntry: ts ? script.href : undefined } }),
  );
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    // A round: `copies` workers run at once (the others wait); each writes its seconds.
    const round = (copies: number) => {
      Atomics.store(control, 1, copies);
      Atomics.store(control, 2, 0);
      Atomics.add(control, 0, 1);
      Atomics.notify(control, 0);
      while (Atomics.load(control, 2) < threads) Atomics.wait(control, 2, Atomics.load(control, 2), 100);
      return Array.from(seconds.subarray(0, copies));
    };
    round(threads); // warm-up: compile and fault in every copy
    const alone: number[] = [];
    const together: number[] = [];
    for (let r = 0; r < repeats; r++) {
      alone.push(round(1)[0]);
      together.push(median(round(threads)));
    }
    const aloneSeconds = median(alone);
    const togetherSeconds = median(together);
    return { threads, aloneSeconds, togetherSeconds, speedup: (threads * aloneSeconds) / togetherSeconds };
  } finally {
    Atomics.store(control, 1, -1);
    Atomics.add(control, 0, 1);
    Atomics.notify(control, 0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
