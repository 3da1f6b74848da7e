/**
 * The engine's ED classifier: the rule of src/rules/ed.ts, with its independent networks run where and in the
 * order that is fastest, learning the same weights bit for bit (test/layouts.test.ts). A whole run of updates
 * (learnSequence) goes network by network instead of batch by batch, and the networks may be spread over threads
 * (src/engine/threads.ts) — the rule itself never sees either.
 */
import type { Backend, FusedSequence } from '../kernels/backend.js';
import { Carver } from '../kernels/carve.js';
import type { EdOptions } from '../options/ed.js';
import type { Random } from '../random.js';
import { DENSE_ABOVE, type LearnStats, type SampleBatch, type SampleSequence, argmaxRow } from '../rules/rule.js';
import { type BatchView, EdClassifier, type EdStorage, type NetworkOp } from '../rules/ed.js';
import { edPlain } from '../rules/ed-shapes.js';
import { edPlanWords, writeEdPlan } from './ed-plan.js';

/**
 * A run of updates handed to the networks at once (independent networks only): samples [0, size) in order,
 * `batch` per update (the last one may be shorter). start/end/labels live in the backend's memory; outputs and
 * errors (networks, size) receive each network's output and error of every sample, before its update: a row per
 * network, so that threads learning different networks side by side do not write one cache line at every sample
 * (as a row per sample made them do).
 */
export type SequenceJob = Omit<FusedSequence, 'mean'>;

/** Where the networks run (set by the engine): possibly on several threads; each call returns when all are done. */
export interface NetworkRunner {
  /** runNetworks(op, from, to, …) over ranges covering [0, count). */
  each(op: NetworkOp, count: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void;
  /** learnNetworks(from, to, job) over ranges covering [0, count). */
  sequence(count: number, job: SequenceJob): void;
}

/**
 * How the engine keeps the ED first layer: 'per-network', the rule's own arrays (this class), or 'stacked', every
 * network's input weights side by side (src/engine/ed-stacked.ts). Both learn the same weights and write the same
 * parameters() (test/layouts.test.ts); the run builder chooses (train/build.ts, edLayoutFor).
 */
export type EdLayout = 'per-network' | 'stacked';

export class EdEngine extends EdClassifier {
  /** What a worker thread builds to attach to this classifier's storage (train/build.ts, attachEdRule). */
  get layout(): EdLayout {
    return 'per-network';
  }

  /** Set by spreadNetworks to run networks on a worker pool; null runs them one by one here. */
  private runner: NetworkRunner | null = null;
  /** learnNetworks' batch views of the last sequence arrays it was given (see batchViews). */
  private viewCache: { job: SequenceJob; views: BatchView[] } | null = null;
  /** learnSequence's outputs and errors, (networks, samples) each; grown when a longer sequence comes. */
  private sequenceOut: { outputs: Float32Array; errors: Float32Array } | null = null;
  /** Each network's plan for the backend's fused step (edLearn), when it takes this rule (see fusable). */
  private readonly plans: Int32Array[] | null;
  /** Per batch Σ |e| and right answers, when the fused step counts them (see sequenceJob). */
  private fusedStats: Float64Array | null = null;

  constructor(
    options: EdOptions,
    inputs: number,
    classes: number,
    backend: Backend,
    init: Random | { storage: EdStorage },
    maxBatch = 512,
  ) {
    super(options, inputs, classes, backend, init, maxBatch);
    if (!this.fusable()) {
      this.plans = null;
      return;
    }
    const c = new Carver(this.layoutStorage.floats, this.layoutStorage.ints);
    const words = edPlanWords(this.shapes.length);
    this.plans = this.nets.map((net) => {
      const plan = c.int32(words);
      writeEdPlan(plan, net, this.shapes, this.shared, this.inputs, options.beta, this.layerStep);
      return plan;
    });
  }

  /** Room for the plans, after the rule's arrays (a worker thread attached to the storage reads the same ones). */
  protected override carveLayout(c: Carver): void {
    if (this.fusable()) for (let k = 0; k < this.networks; k++) c.int32(edPlanWords(this.shapes.length));
  }

  /**
   * Whether a network learns a batch in one call of the backend's fused step: the plain rule with sigmoid units
   * and no RMS normalisation, in this layout (not a subclass's), on a backend that has the step.
   */
  private fusable(): boolean {
    const o = this.options;
    const plainUnits = !o.rmsNorm && !this.output.linear && !this.output.coupled;
    return Object.getPrototypeOf(this) === EdEngine.prototype && !!this.backend.edLearn && edPlain(o) && plainUnits;
  }

  /** Trains/predicts networks through `runner` (a thread pool) instead of one by one on this thread. */
  useRunner(runner: NetworkRunner | null): void {
    this.runner = runner;
  }

  protected override runAll(
    op: NetworkOp,
    batch: number,
    dense: boolean,
    index: Int32Array,
    value: Float32Array,
  ): void {
    if (this.runner) this.runner.each(op, this.networks, batch, dense, index, value);
    else this.runNetworks(op, 0, this.networks, batch, dense, index, value);
  }

  /** runNetwork for networks [from, to) (called per thread). */
  runNetworks(
    op: NetworkOp,
    from: number,
    to: number,
    batch: number,
    dense: boolean,
    index: Int32Array,
    value: Float32Array,
  ): void {
    for (let k = from; k < to; k++) this.runNetwork(op, k, batch, dense, index, value);
  }

  /**
   * Many updates at once, the same as learn() on each batch in turn. Independent networks (sigmoid outputs) each
   * run the whole sequence on their own, one network after another or on several threads, meeting only at the
   * end; coupled outputs, and batches dense enough for the dense kernels, go batch by batch.
   */
  learnSequence(seq: SampleSequence): LearnStats[] {
    const batches = Math.ceil(seq.size / seq.batch);
    const view = (u: number): SampleBatch => {
      const from = u * seq.batch;
      const to = Math.min(seq.size, from + seq.batch);
      return {
        ...seq,
        size: to - from,
        start: seq.start.subarray(from, to),
        end: seq.end.subarray(from, to),
        labels: seq.labels.subarray(from, to),
      };
    };
    if (this.output.coupled || denseAnywhere(seq, this.inputs)) {
      return Array.from({ length: batches }, (_, u) => this.learn(view(u)));
    }
    const job = this.sequenceJob(seq);
    if (this.runner) this.runner.sequence(this.networks, job);
    else this.learnNetworks(0, this.networks, job);
    if (job.stats) {
      const s = job.stats;
      return Array.from({ length: batches }, (_, u) => ({ absError: s[2 * u], correct: s[2 * u + 1] }));
    }
    // The same statistics as learn(), batch by batch and in the same order.
    const K = this.networks;
    const C = this.classes;
    const row = new Float32Array(C);
    const stats: LearnStats[] = [];
    for (let u = 0; u < batches; u++) {
      const from = u * seq.batch;
      const to = Math.min(seq.size, from + seq.batch);
      let correct = 0;
      let absError = 0;
      for (let b = from; b < to; b++) {
        if (K === 1) {
          row[0] = 1 - job.outputs[b];
          row[1] = job.outputs[b];
        } else for (let k = 0; k < C; k++) row[k] = job.outputs[k * seq.size + b];
        if (argmaxRow(row, 0, C) === seq.labels[b]) correct++;
      }
      for (let k = 0; k < K; k++) for (let b = from; b < to; b++) absError += Math.abs(job.errors[k * seq.size + b]);
      stats.push({ absError, correct });
    }
    return stats;
  }

  /**
   * Networks [from, to) learn the whole sequence (called per thread). Online, one network at a time runs all of
   * it, so that its first layer stays in cache; with batches, each batch goes through every network in turn, so
   * that the batch's inputs do. Networks are independent: the order changes nothing (test/layouts.test.ts).
   */
  learnNetworks(from: number, to: number, job: SequenceJob): void {
    if (this.plans) return this.learnFused(this.plans, from, to, job);
    const views = this.batchViews(job);
    if (job.batch === 1) {
      for (let k = from; k < to; k++) views.forEach((v, u) => this.learnRecorded(k, v, u * job.batch, job));
    } else
      views.forEach((v, u) => {
        for (let k = from; k < to; k++) this.learnRecorded(k, v, u * job.batch, job);
      });
  }

  /**
   * The batches of a sequence as views into its arrays. The trainer hands the same arrays every run (and a worker
   * reads them back as the same objects), so the views are made once, not per run: online, one per sample.
   */
  protected batchViews(job: SequenceJob): BatchView[] {
    const c = this.viewCache;
    const same =
      c !== null &&
      c.job.start === job.start &&
      c.job.end === job.end &&
      c.job.labels === job.labels &&
      c.job.index === job.index &&
      c.job.value === job.value &&
      c.job.batch === job.batch;
    if (!same) this.viewCache = { job, views: [] };
    const all = this.viewCache!.views;
    const count = Math.ceil(job.size / job.batch);
    for (let u = 0; u < count; u++) {
      const b0 = u * job.batch;
      const b1 = Math.min(job.size, b0 + job.batch);
      if (all[u]?.size === b1 - b0) continue;
      all[u] = {
        size: b1 - b0,
        start: job.start.subarray(b0, b1),
        end: job.end.subarray(b0, b1),
        labels: job.labels.subarray(b0, b1),
        dense: false,
        index: job.index,
        value: job.value,
      };
    }
    return count === all.length ? all : all.slice(0, count);
  }

  /** learnNetworks through the backend's fused step: whole sequences online (or for one network), else by batch. */
  private learnFused(plans: Int32Array[], from: number, to: number, job: SequenceJob): void {
    const be = this.backend;
    const seq = { ...job, mean: this.options.batchReduce === 'mean' };
    const batches = Math.ceil(job.size / job.batch);
    const single = this.networks === 1;
    const gain = 2 / this.options.u0;
    if (job.batch === 1 || to - from === 1) {
      for (let k = from; k < to; k++) be.edLearn!(plans[k], seq, 0, batches, k, single, gain);
    } else {
      for (let u = 0; u < batches; u++)
        for (let k = from; k < to; k++) be.edLearn!(plans[k], seq, u, u + 1, k, single, gain);
    }
  }

  /** Network k learns one batch of a sequence (samples from `at` on), recording its outputs and errors first. */
  protected learnRecorded(k: number, v: BatchView, at: number, job: SequenceJob, first = 0): void {
    const net = this.nets[k];
    const y = net.act[this.shapes.length - 1];
    this.forward(k, v, first);
    this.computeError(k, v);
    for (let b = 0; b < v.size; b++) {
      job.outputs[k * job.size + at + b] = y[b];
      job.errors[k * job.size + at + b] = net.error[b];
    }
    this.update(k, v, first);
  }

  /** The job of a sequence, with output arrays (in the backend's memory) large enough for it. */
  private sequenceJob(seq: SampleSequence): SequenceJob {
    const need = seq.size * this.networks;
    if (!this.sequenceOut || this.sequenceOut.outputs.length < need) {
      this.sequenceOut = { outputs: this.backend.alloc(need), errors: this.backend.alloc(need) };
    }
    const { start, end, labels, index, value } = seq;
    const job: SequenceJob = {
      size: seq.size,
      batch: seq.batch,
      start,
      end,
      labels,
      index,
      value,
      ...this.sequenceOut,
    };
    // One network learning here (not on a worker): the fused step counts the statistics as it goes.
    if (this.plans && this.networks === 1 && !this.runner) {
      const batches = Math.ceil(seq.size / seq.batch);
      if (!this.fusedStats || this.fusedStats.length < 2 * batches) {
        const room = this.backend.alloc(4 * batches);
        this.fusedStats = new Float64Array(room.buffer, room.byteOffset, 2 * batches);
      }
      job.stats = this.fusedStats;
    }
    return job;
  }
}

/** Whether any batch of the sequence would take the dense kernels (see loadBatch). */
function denseAnywhere(seq: SampleSequence, inputs: number): boolean {
  for (let from = 0; from < seq.size; from += seq.batch) {
    const to = Math.min(seq.size, from + seq.batch);
    let nonZero = 0;
    for (let b = from; b < to; b++) nonZero += seq.end[b] - seq.start[b];
    if (nonZero > DENSE_ABOVE * (to - from) * inputs) return true;
  }
  return false;
}
