/** Worker thread entry: attach to an ED classifier in shared memory and run the networks the pool assigns. */
import { workerData } from 'node:worker_threads';
import { serveJobs } from '../kernels/pool.js';
import { WasmBackend } from '../kernels/wasm.js';
import { type EdAttachment, EdClassifier } from './ed.js';
import { readJob } from './ed-threads.js';

const { module, memory, name, attachment, control, thread } = workerData as {
  module: WebAssembly.Module; memory: WebAssembly.Memory; name: string; attachment: EdAttachment;
  control: Int32Array; thread: number;
};
const a = attachment;
const backend = new WasmBackend(name, module, memory);
const clf = new EdClassifier(a.options, a.inputs, a.classes, backend, null, a.maxBatch, {
  floats: new Float32Array(memory.buffer, a.floatOffset, a.floatLength),
  ints: new Int32Array(memory.buffer, a.intOffset, a.intLength),
});

serveJobs(control, thread, (from, to) => {
  const job = readJob(control);
  const index = new Int32Array(memory.buffer, job.indexOffset, job.indexLength);
  const value = new Float32Array(memory.buffer, job.valueOffset, job.valueLength);
  for (let k = from; k < to; k++) clf.runNetwork(job.op, k, job.batch, job.dense, index, value);
});
