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
  /**
   * Blocks of columns one thread learns together (the stacked layout's groups, each a block of its own), or none:
   * one block of `width` columns in rows `ld` floats apart.
   */
  groups?: number[];
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
  const start = Array.from({ length: calls }, (_, c) =>
    copy(d.rowStart.subarray(c * d.m, (c + 1) * d.m), (n) => be.allocInt(n)),
  );
  const end = Array.from({ length: calls }, (_, c) =>
    copy(d.rowStart.subarray(c * d.m + 1, (c + 1) * d.m + 1), (n) => be.allocInt(n)),
  );
  const blocks = (d.groups ?? [d.width]).map((n) => ({ n, ld: d.groups ? n : d.ld }));
  const ws = blocks.map((b) => be.alloc(d.inputs * b.ld).fill(0.001));
  const widest = Math.max(...blocks.map((b) => b.n));
  const out = be.alloc(d.m * widest);
  const g = be.alloc(d.m * widest).fill(1e-6);
  const rows = be.allocInt(d.m);
  rows.set(Array.from({ length: d.m }, (_, i) => i));
  // About the same time per timing whatever the share's width.
  const columns = blocks.reduce((a, b) => a + b.n, 0);
  const passes = Math.max(4, Math.round((PASSES * d.width) / columns));
  const work = () => {
    for (let p = 0; p < passes; p++) {
      blocks.forEach((b, i) => {
        for (let c = 0; c < calls; c++) {
          be.spmm(out, start[c], end[c], index, value, ws[i], d.m, b.n, b.ld);
          be.spRankUpdate(ws[i], start[c], end[c], index, value, g, rows, d.m, b.n, b.ld);
        }
      });
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
