/**
 * Training throughput: seconds per epoch and samples/s of real ED training on MNIST for each backend and thread
 * count (medians over repeats, each on a fresh backend), with the sustained FLOP rate of the rule.
 */
import type { Task } from '../data/tasks.js';
import { spreadNetworks } from '../engine/threads.js';
import { getBackend } from '../kernels/index.js';
import type { EdOptions } from '../options/ed.js';
import { PRESETS } from '../options/presets.js';
import { buildRule, maxBatchFor } from '../train/build.js';
import { resolveConfig } from '../train/config.js';
import { train } from '../train/trainer.js';
import { median } from './stats.js';

export interface TrainingCase {
  name: string;
  task: 'pair' | 'all';
  rule: EdOptions;
  batch: number;
}

export const TRAINING_CASES: TrainingCase[] = [
  { name: '4 vs 9, seed 3×16, batch 64', task: 'pair', rule: PRESETS.seed.rule, batch: 64 },
  { name: '10-class, seed 3×32 per class, batch 512', task: 'all', rule: { ...PRESETS.seed.rule, units: 32 }, batch: 512 },
  { name: '4 vs 9, kaneko 64 hidden, online', task: 'pair', rule: { ...PRESETS.kaneko.rule, units: 64 }, batch: 1 },
];

export interface TrainingResult {
  case: string;
  backend: string;
  threads: number;
  secondsPerEpoch: number;
  samplesPerSecond: number;
  gflops: number;
  /** The rate a dense first layer would need for the same time (all N inputs instead of the non-zero ones). */
  denseEquivalentGflops: number;
  /** Samples actually trained per repeat (a partial epoch for slow backends, then scaled to one epoch). */
  samplesTimed: number;
  repeats: number;
}

/** Multiply-adds ×2 of one sample through one network: forward, plus the update of one sign family. */
export function flopsPerSample(rule: EdOptions, nonZeroInputs: number): number {
  const H = rule.units;
  let flops = 2 * nonZeroInputs * H * 2; // first layer: sparse forward + sparse update
  flops += (rule.layers - 1) * (2 * H * H + 2 * (H / 2) * H); // hidden → hidden
  flops += 2 * H + 2 * (H / 2); // → output
  return flops;
}

export function benchTraining(c: TrainingCase, task: Task, backendName: string, threads: number, opts: { repeats: number; maxSamples?: number }): TrainingResult {
  const networks = task.classes === 2 ? 1 : task.classes;
  let nonZero = 0;
  for (const v of task.train.x) if (v !== 0) nonZero++;
  const flopsPerEpoch = flopsPerSample(c.rule, nonZero / task.train.count) * task.train.count * networks;
  const denseFlopsPerEpoch = flopsPerSample(c.rule, task.inputs) * task.train.count * networks;
  const updatesPerEpoch = Math.ceil(task.train.count / c.batch);
  // Full epochs are timed on the second of two, so that JIT warm-up (of this thread and of fresh worker threads)
  // is not counted; a slow backend is timed on part of one epoch and scaled.
  const partial = opts.maxSamples !== undefined && opts.maxSamples < task.train.count;
  const updates = partial ? Math.ceil(opts.maxSamples! / c.batch) : 2 * updatesPerEpoch;
  const perEpoch: number[] = [];
  let samples = 0;
  for (let r = 0; r < opts.repeats; r++) {
    const backend = getBackend(backendName);
    const config = resolveConfig({ ...c.rule, batch: c.batch, seed: r + 1 });
    const rule = buildRule({ config, inputs: task.inputs, classes: task.classes, maxBatch: maxBatchFor(c.batch) }, backend);
    const pool = spreadNetworks(rule, threads, c.batch);
    try {
      const result = train(rule, task, { batch: c.batch, updates, seed: r + 1, order: 'shuffle', evalEvery: partial ? updates : updatesPerEpoch });
      const h = result.history;
      samples = partial ? result.samples : h[h.length - 1].samples - h[h.length - 2].samples;
      const seconds = partial ? result.trainSeconds : h[h.length - 1].trainSeconds - h[h.length - 2].trainSeconds;
      perEpoch.push(seconds * (task.train.count / samples));
    } finally {
      void pool?.close();
    }
  }
  const secondsPerEpoch = median(perEpoch);
  return {
    case: c.name, backend: backendName, threads: networks > 1 ? Math.min(threads, networks) : 1, secondsPerEpoch,
    samplesPerSecond: task.train.count / secondsPerEpoch, gflops: flopsPerEpoch / secondsPerEpoch / 1e9,
    denseEquivalentGflops: denseFlopsPerEpoch / secondsPerEpoch / 1e9,
    samplesTimed: samples, repeats: opts.repeats,
  };
}
