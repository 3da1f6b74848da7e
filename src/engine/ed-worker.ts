/** Worker thread entry: attach to an ED classifier in shared memory and run the networks the pool assigns. */
import { workerData } from 'node:worker_threads';
import { WasmBackend } from '../kernels/wasm.js';
import type { EdEngine } from './ed-engine.js';
import { attachEdRule } from '../train/build.js';
import { serveJobs } from './pool.js';
import { readJob, type WorkerData } from './threads.js';

// A worker's entry: on the main thread (workerData null) there is nothing to serve.
if (workerData) serve(workerData as WorkerData);

function serve(d: WorkerData): void {
  const { memory } = d;
  const backend = new WasmBackend(d.backendName, d.module, memory);
  const storage = {
    floats: new Float32Array(memory.buffer, d.floats[0], d.floats[1]),
    ints: new Int32Array(memory.buffer, d.ints[0], d.ints[1]),
  };
  const rule: EdEngine = attachEdRule(d.rule, backend, storage);
  const views = new Map<string, Int32Array | Float32Array>();
  serveJobs(d.control, d.thread, (from, to) => {
    const job = readJob(d.control, memory.buffer, rule.networks, views);
    if (job.op === 'sequence') rule.learnNetworks(from, to, job.job);
    else rule.runNetworks(job.op, from, to, job.batch, job.dense, job.index, job.value);
  });
}
