/**
 * Where the class networks of an ED classifier run: on this thread, or split over a pool of worker threads that
 * attach to the classifier's storage in the shared WebAssembly memory. Every network is computed by the same
 * code whichever thread runs it, so results do not depend on the number of threads. The rule (src/rules/ed.ts)
 * knows nothing of threads: it exposes "run network k on the loaded batch" (runNetwork); the engine's classifier
 * (ed-engine.ts) adds "networks from…to learn this sequence" (learnNetworks) and takes a runner from here, which
 * decides where.
 */
import type { EdLayout } from './ed-engine.js';
import type { EdOptions } from '../options/ed.js';
import { WasmBackend } from '../kernels/wasm.js';
import type { NetworkOp } from '../rules/ed.js';
import { EdEngine, type SequenceJob } from './ed-engine.js';
import type { Rule } from '../rules/rule.js';
import { PARAMS, WorkerPool } from './pool.js';

/** What a worker thread is started with (ed-worker.ts). */
export interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  backendName: string;
  rule: { options: EdOptions; inputs: number; classes: number; maxBatch: number; layout: EdLayout };
  /** [byteOffset, length] of the classifier's two allocations. */
  floats: [number, number];
  ints: [number, number];
  control: Int32Array;
  thread: number;
}

/** Job kinds in the control block: the three per-batch ops (runNetworks), and a whole sequence of updates. */
export const OPS = { learn: 0, predict: 1, update: 2, sequence: 3 } as const;

/**
 * Below this many multiply-adds per batch (≈ batch × networks × units × 300 for MNIST), waking the other threads
 * costs more than it saves: online (batch 1) 10-class training ran 3× slower on two threads than on one. It
 * matters only where the threads meet after every batch (softmax-coupled outputs): independent networks learn
 * whole sequences apart.
 */
const MIN_WORK_PER_BATCH = 2e6;

/** Whether threads that meet after every batch gain anything over one thread (MNIST-sized inputs). */
export function worthMeetingPerBatch(batch: number, networks: number, units: number): boolean {
  return batch * networks * units * 300 >= MIN_WORK_PER_BATCH;
}

/** Networks running on several threads; close() stops the workers and puts every network back on this thread. */
export interface NetworkThreads {
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * Hands the rule's networks to `threads` threads when it has several, lives in shared WebAssembly memory, and
 * there is enough work between two meetings of the threads; returns the handle (close it when done), or null
 * when everything runs on this thread. `meetEveryBatch`: the trainer will hand one batch at a time (the bench's
 * baseline engine).
 */
export function spreadNetworks(
  rule: Rule,
  threads: number,
  batch: number,
  { meetEveryBatch = false } = {},
): NetworkThreads | null {
  if (!(rule instanceof EdEngine) || threads <= 1 || rule.networks <= 1) return null;
  const everyBatch = meetEveryBatch || rule.options.output === 'softmax';
  if (everyBatch && !worthMeetingPerBatch(batch, rule.networks, rule.options.units)) return null;
  const be = rule.backend;
  if (!(be instanceof WasmBackend)) return null; // the reference backend's arrays are not shared
  const count = Math.min(threads, rule.networks);
  const script = new URL(`./ed-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  const { floats, ints } = rule.storage;
  const data: Omit<WorkerData, 'control' | 'thread'> = {
    module: be.module,
    memory: be.memory,
    backendName: be.name,
    rule: {
      options: rule.options,
      inputs: rule.inputs,
      classes: rule.classes,
      maxBatch: rule.maxBatch,
      layout: rule.layout,
    },
    floats: [floats.byteOffset, floats.length],
    ints: [ints.byteOffset, ints.length],
  };
  const pool = new WorkerPool(count, script, data);
  pool.awaitStart(); // so that start-up is not counted as training time
  rule.useRunner({
    each: (op, networks, batchSize, dense, index, value) => {
      pool.run(networks, [OPS[op], batchSize, dense ? 1 : 0, ...arrayParams(index, value)], (from, to) =>
        rule.runNetworks(op, from, to, batchSize, dense, index, value),
      );
    },
    sequence: (networks, job) => {
      pool.run(
        networks,
        [OPS.sequence, job.batch, job.size, ...arrayParams(job.index, job.value), ...sequenceParams(job)],
        (from, to) => rule.learnNetworks(from, to, job),
      );
    },
  });
  return {
    threads: count,
    close: () => {
      rule.useRunner(null);
      return pool.close();
    },
  };
}

const arrayParams = (index: Int32Array, value: Float32Array) => [
  index.byteOffset,
  index.length,
  value.byteOffset,
  value.length,
];
/** Byte offsets of the sequence's arrays (their lengths follow from size and the number of networks). */
const sequenceParams = (job: SequenceJob) => [
  job.start.byteOffset,
  job.end.byteOffset,
  job.labels.byteOffset,
  job.outputs.byteOffset,
  job.errors.byteOffset,
];

/** A job read back from the control block by a worker: views into the shared memory. */
export type Job =
  | { op: NetworkOp; batch: number; dense: boolean; index: Int32Array; value: Float32Array }
  | { op: 'sequence'; job: SequenceJob };

/**
 * Reads the job parameters written by spreadNetworks' runner. `views` keeps the views it made, so that the same
 * arrays come back as the same objects from one job to the next (the rule caches what it builds on them).
 */
export function readJob(
  control: Int32Array,
  buffer: ArrayBufferLike,
  networks: number,
  views: Map<string, Int32Array | Float32Array>,
): Job {
  const p = (i: number) => control[PARAMS + i];
  const view = <T extends Int32Array | Float32Array>(
    type: { new (b: ArrayBufferLike, at: number, n: number): T },
    at: number,
    length: number,
  ): T => {
    const key = `${type.name} ${at} ${length}`;
    let v = views.get(key) as T | undefined;
    if (!v) {
      v = new type(buffer, at, length);
      views.set(key, v);
    }
    return v;
  };
  const op = (['learn', 'predict', 'update', 'sequence'] as const)[p(0)];
  const index = view(Int32Array, p(3), p(4));
  const value = view(Float32Array, p(5), p(6));
  if (op !== 'sequence') return { op, batch: p(1), dense: p(2) === 1, index, value };
  const size = p(2);
  const ints = (at: number) => view(Int32Array, at, size);
  const floats = (at: number) => view(Float32Array, at, size * networks);
  return {
    op,
    job: {
      batch: p(1),
      size,
      index,
      value,
      start: ints(p(7)),
      end: ints(p(8)),
      labels: ints(p(9)),
      outputs: floats(p(10)),
      errors: floats(p(11)),
    },
  };
}
