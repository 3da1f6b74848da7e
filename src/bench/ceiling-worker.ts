/** A worker of measureCeiling: its own memory and weights; runs the first layer's kernels when its round comes. */
import { parentPort, workerData } from 'node:worker_threads';
import { createMemory, WasmBackend } from '../kernels/wasm.js';

export interface CeilingData {
  module: WebAssembly.Module;
  name: string;
  rowStart: Int32Array;
  index: Int32Array;
  value: Float32Array;
  inputs: number;
  /** Samples per kernel call, columns per network, floats between rows. */
  m: number;
  width: number;
  ld: number;
  batch: number;
  /** [round, copies (−1: stop), done, …]; seconds[thread] receives the time of this thread's copy. */
  control: Int32Array;
  seconds: Float64Array;
  thread: number;
}

/** Passes over the samples per timing: long enough (≈ 0.1–0.3 s) to be above the timer's and the scheduler's noise. */
const PASSES = 40;

if (workerData) run(workerData as CeilingData);

function run(d: CeilingData): void {
  const be = new WasmBackend(d.name, d.module, createMemory());
  const copy = <T extends Int32Array | Float32Array>(a: T, alloc: (n: number) => T) => {
    const out = alloc(a.length);
    out.set(a);
    return out;
  };
  const index = copy(d.index, (n) => be.allocInt(n));
  const value = copy(d.value, (n) => be.alloc(n));
  const samples = d.rowStart.length - 1;
  const calls = Math.floor(samples / d.m);
  const start = Array.from({ length: calls }, (_, c) => copy(d.rowStart.subarray(c * d.m, (c + 1) * d.m), (n) => be.allocInt(n)));
  const end = Array.from({ length: calls }, (_, c) => copy(d.rowStart.subarray(c * d.m + 1, (c + 1) * d.m + 1), (n) => be.allocInt(n)));
  const w = be.alloc(d.inputs * d.ld).fill(0.001);
  const out = be.alloc(d.m * d.width);
  const g = be.alloc(d.m * d.width).fill(1e-6);
  const rows = be.allocInt(d.m);
  rows.set(Array.from({ length: d.m }, (_, i) => i));
  const work = () => {
    for (let p = 0; p < PASSES; p++) {
      for (let c = 0; c < calls; c++) {
        be.spmmStacked(out, start[c], end[c], index, value, w, d.m, d.width, d.ld);
        be.spRankUpdateStacked(w, start[c], end[c], index, value, g, rows, d.m, d.width, d.ld);
      }
    }
  };
  work();
  parentPort!.postMessage('ready');
  let round = 0;
  for (;;) {
    while (Atomics.load(d.control, 0) === round) Atomics.wait(d.control, 0, round, 100);
    round = Atomics.load(d.control, 0);
    const copies = Atomics.load(d.control, 1);
    if (copies < 0) return;
    if (d.thread < copies) {
      const t0 = performance.now();
      work();
      d.seconds[d.thread] = (performance.now() - t0) / 1000;
    }
    Atomics.add(d.control, 2, 1);
    Atomics.notify(d.control, 2);
  }
}
