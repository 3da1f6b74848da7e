/**
 * Kaneko's ED method (Error Diffusion learning). The derivation, and which symbol is which identifier, are in
 * docs/ed-method.md; the rule is that of Kaneko's 1999 C sample, which it matches to float32 rounding.
 *
 * One independent network per output. Every unit is excitatory (+1) or inhibitory (−1); the weight from unit m
 * to unit k always has the sign s_m·s_k. The output error e = t − y is broadcast to every layer as the amine
 * d⁺ = max(e, 0), d⁻ = max(−e, 0), and each weight moves by
 *     Δw_km = α · z_m · f'(y_k) · s_k · e     but only when s_m = sign(e)
 * (d⁺ feeds the synapses from excitatory sources, d⁻ those from inhibitory ones), which always grows |w|.
 *
 * Storage. Source units of a layer are ordered [excitatory family, inhibitory family], so the update of one
 * sign family is one rank-B product over one block of rows. The input layer is "paired": each pixel x_i is both
 * an excitatory and an inhibitory source with the same value, so the forward pass uses Weff = W⁺ + W⁻ (N rows,
 * not 2N). Each layer also has two bias sources of value β, one per family. All K networks live network-major in
 * one storage (see carve()); given the same storage, another instance sees the same arrays, which is how the
 * engine (src/engine/) runs a range of networks on another thread. The rule itself never sees a thread.
 * Inputs arrive as sparse rows; the first layer uses sparse kernels unless the batch is dense enough.
 *
 * Layouts of the first layer (the engine's business; parameters() and the model files see the same arrays).
 * 'per-network': each network holds W⁺, W⁻ and W⁺ + W⁻ (the last rebuilt after a batch). 'stacked' (the plain
 * rule only): the K networks side by side, one row of K·H floats per input, holding W⁺ + W⁻ and W⁺ alone. Each
 * sample changes exactly one family by the amount it adds to the sum, so an update writes the sum, plus W⁺ when
 * e > 0 (one-vs-rest: about one network-sample in ten): fewer passes than keeping all three. W⁻ = sum − W⁺ is
 * derived when parameters() is read.
 */
import type { Backend } from '../kernels/backend.js';
import { Carver } from '../kernels/carve.js';
import { Random } from '../random.js';
import { type EdOptions, updateDivisor, validateEdOptions } from '../options/ed.js';
import { argmaxRow, DENSE_ABOVE, type LearnStats, loadBatch, type Rule, type SampleBatch, type SampleSequence } from './rule.js';
import { clampToSign, multiplyInPlace, rmsNormalise, ternarise } from './ed-variants.js';

export interface EdLayerShape {
  /** Source units per family; equal for the paired input layer. */
  srcExc: number;
  srcInh: number;
  paired: boolean;
  /** Units in this layer; the first `outExc` are excitatory. */
  out: number;
  outExc: number;
}

/** Every array of one network (views into the shared layout). */
export interface EdNetworkView {
  /** Per layer: weights ((srcExc + srcInh), out), excitatory-source rows first. */
  w: Float32Array[];
  /** Per layer: bias weights (2, out): row 0 from the excitatory bias unit, row 1 from the inhibitory one. */
  bias: Float32Array[];
  /** Per layer: the rows of w and of bias from inhibitory sources (views kept, not made per update). */
  wInh: Float32Array[];
  biasInh: Float32Array[];
  /** Paired input layer: W⁺ + W⁻, (N, out) — of the ternary weights when `ternary`. */
  weff: Float32Array;
  /** Per layer, with `ternary`: the weights the forward pass uses (layer 0 uses weff). */
  wq: Float32Array[];
  /** Per layer, with `ternary` and `ternaryBias`: the bias weights the forward pass uses. */
  biasQ: Float32Array[];
  /** Per layer, with connectivity < 1: 1 where a connection exists, 0 elsewhere. */
  mask: Float32Array[];
  act: Float32Array[];
  grad: Float32Array[];
  biasEff: Float32Array[];
  error: Float32Array;
  rowScale: Float32Array;
  posRows: Int32Array;
  negRows: Int32Array;
  /** Samples with e ≠ 0 (both families' rows when lowering by weakening excitatory synapses). */
  anyRows: Int32Array;
  /** Stacked layout: this network's columns of the stacked W⁺ + W⁻ and W⁺ (rows K·H apart); empty otherwise. */
  sumColumns: Float32Array;
  plusColumns: Float32Array;
}

/** Arrays every network of the classifier reads: unit signs, the bias column, the loaded batch. */
interface BatchState {
  outSign: Float32Array[];
  betaColumn: Float32Array;
  allRows: Int32Array;
  start: Int32Array;
  end: Int32Array;
  labels: Int32Array;
  xDense: Float32Array;
  /** The learning-rate schedule's factor α·lrDecay^epochs ÷ α, shared with the worker threads. */
  lrScale: Float64Array;
  /** Stacked layout: (N, K·H) W⁺ + W⁻ and W⁺ of every network side by side; empty otherwise. */
  stackSum: Float32Array;
  stackPlus: Float32Array;
  /** Stacked layout: one sample's first layer for every network (K·H), and the groups' update scales (see wide). */
  wideAct: Float32Array;
  wideBias: Float32Array;
  wideGrad: Float32Array;
  wideRowScale: Float32Array;
  /** Stacked layout: a batch's first-layer sums for every network, (maxBatch, K·H) (predictStacked). */
  wideBatch: Float32Array;
  /**
   * Stacked layout with one hidden layer (see EdClassifier.top): every network's output weights, a row of H per
   * network padded to a cache line, and its two output bias weights, a line per network; then the output unit's
   * sums, bias, update scales, factors and the two families' factors, ROW_SCALE_STRIDE per group start each.
   */
  topW: Float32Array;
  topBias: Float32Array;
  topRows: Float32Array;
}

/** The two allocations every array of a classifier lives in (see carve()). */
export interface EdStorage {
  floats: Float32Array;
  ints: Int32Array;
}

/** What runNetwork does: the forward pass, applying errors already computed, or both with the network's own error. */
export type NetworkOp = 'learn' | 'predict' | 'update';

/** How the first layer's weights are kept (see the top of this file). */
export type EdLayout = 'per-network' | 'stacked';

/**
 * A run of updates handed to the networks at once (independent networks only): samples [0, size) in order,
 * `batch` per update (the last one may be shorter). start/end/labels live in the backend's memory; outputs and
 * errors (networks, size) receive each network's output and error of every sample, before its update: a row per
 * network, so that threads learning different networks side by side do not write one cache line at every sample
 * (as a row per sample made them do).
 */
export interface SequenceJob {
  size: number;
  batch: number;
  start: Int32Array;
  end: Int32Array;
  labels: Int32Array;
  index: Int32Array;
  value: Float32Array;
  outputs: Float32Array;
  errors: Float32Array;
}

/** Where the networks run (set by the engine): possibly on several threads; each call returns when all are done. */
export interface NetworkRunner {
  /** runNetworks(op, from, to, …) over ranges covering [0, count). */
  each(op: NetworkOp, count: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void;
  /** learnNetworks(from, to, job) over ranges covering [0, count). */
  sequence(count: number, job: SequenceJob): void;
}

/** One batch as the per-network code reads it. */
interface BatchView {
  size: number;
  start: Int32Array;
  end: Int32Array;
  labels: Int32Array;
  dense: boolean;
  index: Int32Array;
  value: Float32Array;
}

export function edLayerShapes(o: EdOptions, inputs: number): EdLayerShape[] {
  const alternating = o.firstHidden === 'inhibitory' ? Math.floor(o.units / 2) : Math.ceil(o.units / 2);
  // Random types: each hidden unit excitatory with probability ½, drawn from typeSeed so that a saved model and
  // every worker thread get the same layout. Units of a layer are exchangeable, so only the counts matter.
  const types = new Random(o.typeSeed);
  const randomExc = () => Array.from({ length: o.units }, () => types.next() < 0.5).filter(Boolean).length;
  const shapes: EdLayerShape[] = [];
  let srcExc = inputs;
  let srcInh = inputs;
  for (let l = 0; l <= o.layers; l++) {
    const isOutput = l === o.layers;
    const out = isOutput ? 1 : o.units;
    const outExc = isOutput ? 1 : o.unitTypes === 'random' ? randomExc() : alternating;
    shapes.push({ srcExc, srcInh, paired: l === 0, out, outExc });
    srcExc = outExc;
    srcInh = out - outExc;
  }
  return shapes;
}

/**
 * Bytes of stacked W⁺ + W⁻ and W⁺ columns that learn a sequence together online: wide enough for the wide-row
 * kernels, few enough to stay in cache. Measured on a machine with 1 MB of L2 cache per core (kaneko-mnist,
 * 10-class, one thread): groups of 5 networks of 64 (2 MB) ran faster than groups of 1 or 3; on the 2-core EPYC
 * of this project all 10 in one group ran faster on one thread, but a group is also a band of its own memory, and
 * two threads whose networks share a band slow each other down, so 5 (a band per thread on 2 threads) stays.
 */
const WIDE_BYTES = 2 * 2 ** 20;

/** Floats between the update scales of groups starting at consecutive networks: a cache line (see EdClassifier.wide). */
const ROW_SCALE_STRIDE = 16;

/** Stacked layout: networks per band (see EdClassifier.bandSize), for N inputs and H first-layer units. */
export function edBandSize(networks: number, inputs: number, units: number): number {
  return Math.min(networks, Math.max(1, Math.floor(WIDE_BYTES / (inputs * units * 8))));
}

/** Stacked layout, online: the groups [from, to) of networks [first, last) that learn a sequence together (they stop at band ends). */
export function edStackedGroups(first: number, last: number, band: number): [number, number][] {
  const groups: [number, number][] = [];
  for (let c = first; c < last;) {
    const end = Math.min(last, (Math.floor(c / band) + 1) * band);
    groups.push([c, end]);
    c = end;
  }
  return groups;
}

/** Whether the stacked layout can hold this rule: the plain update, where each sample changes exactly one family. */
export function edStackable(o: EdOptions): boolean {
  return !o.weightDecrement && o.lowering === 'strengthen-inhibitory' && !o.ternary && o.connectivity === 1;
}

/** Two classes need one network (its output is P(class 1)), unless softmax couples one network per class. */
export function edNetworkCount(o: EdOptions, classes: number): number {
  return classes === 2 && o.output !== 'softmax' ? 1 : classes;
}

/** Lengths of the arrays parameters() returns, computed without allocating (model files are checked with it). */
export function edParameterShapes(o: EdOptions, inputs: number, classes: number): number[] {
  const layers = edLayerShapes(o, inputs).flatMap((L) => [(L.srcExc + L.srcInh) * L.out, 2 * L.out]);
  return Array.from({ length: edNetworkCount(o, classes) }, () => layers).flat();
}

/**
 * An ED classifier: one independent network per output (Kaneko). Two classes need one network (its output is
 * the probability of class 1); C > 2 classes use C one-vs-rest networks and the arg-max. With output 'softmax'
 * every class has a network with a linear output, and the K outputs are coupled through a softmax.
 */
export class EdClassifier implements Rule {
  readonly networks: number;
  readonly shapes: EdLayerShape[];
  readonly nets: EdNetworkView[];
  readonly storage: EdStorage;
  private readonly shared: BatchState;
  private readonly scores: Float32Array;
  /**
   * Per layer, the factor of every weight change: α ÷ the layer's update divisor, × 2/u0 with the true derivative
   * (sigmoid units only: a linear softmax output's derivative is 1), × u1 for hidden layers.
   */
  private readonly layerStep: number[];
  /** Set by the engine to run networks elsewhere (a worker pool); null runs them one by one here. */
  private runner: NetworkRunner | null = null;
  /** Stacked layout: whether nets[k].w[0] holds the current weights (it is derived from the stacked arrays). */
  private viewsCurrent = true;
  /**
   * Stacked layout, online, without RMS normalisation: one row of K·H for the first layer's activations, its
   * bias, its update factors, and one update scale per network; element [k] of each is the view from network k
   * on (ownAct[k]: network k's H activations alone), except rowScale[from]: the scales of a group starting at
   * network `from`, one cache line per possible start, so that two threads' groups never write one line.
   */
  private readonly wide: { act: Float32Array[]; ownAct: Float32Array[]; bias: Float32Array[]; grad: Float32Array[]; rowScale: Float32Array[] } | null;
  /**
   * Stacked layout, online, one hidden layer (Kaneko's network): the output units of a group of networks in a
   * few kernel calls instead of a dozen per network: their weights are rows ld apart (topW); the rest, per
   * possible group start (see wide): sums then outputs, bias, update scales, factors g, and g of the networks
   * whose excitatory (pos) or inhibitory (neg) sources learn; one[from][i]: output i of a group from `from`.
   */
  private readonly top: {
    ld: number; w: Float32Array[]; wInh: Float32Array[]; bias: Float32Array[]; biasInh: Float32Array[]; actInh: Float32Array[];
    out: Float32Array[]; biasEff: Float32Array[]; scale: Float32Array[]; grad: Float32Array[];
    pos: Float32Array[]; neg: Float32Array[]; one: Float32Array[][];
  } | null;
  /** learnNetworks' batch views of the last sequence arrays it was given (see batchViews). */
  private viewCache: { job: SequenceJob; views: BatchView[] } | null = null;
  /** learnSequence's outputs and errors, (networks, samples) each; grown when a longer sequence comes. */
  private sequenceOut: { outputs: Float32Array; errors: Float32Array } | null = null;

  /**
   * A classifier with initial weights drawn from `init`, or, given `init.storage`, a view of the classifier that
   * already lives there (the same options, sizes and maxBatch; nothing is initialised).
   */
  constructor(
    readonly options: EdOptions, readonly inputs: number, readonly classes: number, readonly backend: Backend,
    init: Random | { storage: EdStorage }, readonly maxBatch = 512, readonly layout: EdLayout = 'per-network',
  ) {
    validateEdOptions(options);
    if (layout === 'stacked' && !edStackable(options)) throw new Error('EdClassifier: the stacked layout holds the plain rule only (see edStackable)');
    this.networks = edNetworkCount(options, classes);
    this.shapes = edLayerShapes(options, inputs);
    const fresh = init instanceof Random;
    const measure = new Carver();
    this.carve(measure);
    this.storage = fresh ? { floats: backend.alloc(measure.floatCount), ints: backend.allocInt(measure.intCount) } : init.storage;
    const { nets, shared } = this.carve(new Carver(this.storage.floats, this.storage.ints));
    this.nets = nets;
    this.shared = shared;
    const H = this.shapes[0].out;
    const from = (a: Float32Array, per: number) => nets.map((_, k) => a.subarray(k * per));
    this.wide = layout === 'stacked' && !options.rmsNorm ? {
      act: from(shared.wideAct, H), ownAct: nets.map((_, k) => shared.wideAct.subarray(k * H, (k + 1) * H)),
      bias: from(shared.wideBias, H), grad: from(shared.wideGrad, H), rowScale: from(shared.wideRowScale, ROW_SCALE_STRIDE),
    } : null;
    this.top = this.hasTopRows() ? this.topViews() : null;
    this.scores = new Float32Array(maxBatch * classes);
    const last = this.shapes.length - 1;
    this.layerStep = this.shapes.map((L, l) => {
      const sigmoid = l < last || options.output === 'sigmoid';
      const step = (options.lr / updateDivisor(options, L.out)) * (options.derivative === 'true' && sigmoid ? 2 / options.u0 : 1);
      return l === last ? step : step * options.u1;
    });
    if (fresh) {
      this.shapes.forEach((L, l) => shared.outSign[l].set(Array.from({ length: L.out }, (_, k) => (k < L.outExc ? 1 : -1))));
      shared.betaColumn.fill(options.beta);
      shared.allRows.set(Array.from({ length: maxBatch }, (_, i) => i));
      shared.lrScale[0] = 1;
      this.initWeights(init);
    }
  }

  /**
   * Effective input weights of hidden unit `unit` of network `k`, one per input: W⁺ + W⁻ from the excitatory
   * (rows 0…N−1) and inhibitory (rows N…2N−1) copies of each input in w[0], which is (2N, out).
   */
  unitInputWeights(k: number, unit: number): Float32Array {
    const { out } = this.shapes[0];
    const N = this.inputs;
    if (this.layout === 'stacked') {
      const sum = this.nets[k].sumColumns;
      return Float32Array.from({ length: N }, (_, i) => sum[i * this.stackLd(k) + unit]);
    }
    const w0 = this.nets[k].w[0];
    return Float32Array.from({ length: N }, (_, i) => w0[i * out + unit] + w0[(N + i) * out + unit]);
  }

  /**
   * Stacked layout: networks per band. Each band's columns are a block of their own, (N, band·H), not rows of
   * K·H: two threads whose networks shared every row (and page) ran ~1.4× slower each than alone, the hardware
   * prefetchers pulling in the lines the other thread writes; in separate blocks they ran as fast as alone.
   */
  private bandSize(): number {
    return edBandSize(this.networks, this.inputs, this.shapes[0].out);
  }

  /** Stacked layout: the first network after network k's band. */
  private bandEnd(k: number): number {
    const G = this.bandSize();
    return Math.min(this.networks, (Math.floor(k / G) + 1) * G);
  }

  /** Stacked layout: where network k's first column starts: its band's block (N rows of the band's width), then k's place in it. */
  private stackColumn(k: number): number {
    const G = this.bandSize();
    const band = Math.floor(k / G);
    return band * G * this.inputs * this.shapes[0].out + (k - band * G) * this.shapes[0].out;
  }

  /** Stacked layout: floats between rows of network k's columns (its band's width). */
  private stackLd(k: number): number {
    const G = this.bandSize();
    return (this.bandEnd(k) - Math.floor(k / G) * G) * this.shapes[0].out;
  }

  /** Whether the output units' arrays are laid out for EdClassifier.top: the stacked online path, one hidden layer. */
  private hasTopRows(): boolean {
    return this.layout === 'stacked' && !this.options.rmsNorm && this.shapes.length === 2;
  }

  /** Floats between two networks' output weights (see BatchState.topW). */
  private topLd(): number {
    const L = this.shapes[1];
    return Math.ceil((L.srcExc + L.srcInh) / ROW_SCALE_STRIDE) * ROW_SCALE_STRIDE;
  }

  private topViews(): NonNullable<EdClassifier['top']> {
    const { shared: sh, networks: K } = this;
    const ld = this.topLd();
    const H = this.shapes[0].out;
    const exc = this.shapes[1].srcExc;
    const at = (a: Float32Array, per: number, offset = 0) => Array.from({ length: K }, (_, k) => a.subarray(k * per + offset));
    const rows = (r: number) => at(sh.topRows.subarray(r * K * ROW_SCALE_STRIDE, (r + 1) * K * ROW_SCALE_STRIDE), ROW_SCALE_STRIDE);
    const out = rows(0);
    return {
      ld, w: at(sh.topW, ld), wInh: at(sh.topW, ld, exc), bias: at(sh.topBias, ROW_SCALE_STRIDE), biasInh: at(sh.topBias, ROW_SCALE_STRIDE, 1), actInh: at(sh.wideAct, H, exc),
      out, biasEff: rows(1), scale: rows(2), grad: rows(3), pos: rows(4), neg: rows(5),
      one: out.map((o, from) => Array.from({ length: K - from }, (_, i) => o.subarray(i, i + 1))),
    };
  }

  /** Trains/predicts networks through `runner` (a thread pool) instead of one by one on this thread. */
  useRunner(runner: NetworkRunner | null): void {
    this.runner = runner;
  }

  predict(batch: SampleBatch, scores: Float32Array): void {
    const dense = this.loadBatch(batch);
    this.runAll('predict', batch.size, dense, batch.index, batch.value);
    this.writeScores(batch.size, scores);
  }

  learn(batch: SampleBatch): LearnStats {
    const B = batch.size;
    const dense = this.loadBatch(batch);
    if (this.options.output === 'softmax') {
      // Coupled outputs: every network's forward pass first, then the softmax errors, then every update.
      this.runAll('predict', B, dense, batch.index, batch.value);
      this.softmaxErrors(B);
      this.runAll('update', B, dense, batch.index, batch.value);
    } else this.runAll('learn', B, dense, batch.index, batch.value);
    // The output layer still holds the forward pass made before the update.
    this.writeScores(B, this.scores);
    let correct = 0;
    for (let b = 0; b < B; b++) if (argmaxRow(this.scores, b, this.classes) === batch.labels[b]) correct++;
    let absError = 0;
    for (const net of this.nets) for (let b = 0; b < B; b++) absError += Math.abs(net.error[b]);
    return { absError, correct };
  }

  /**
   * Regression targets instead of labels (the RL agents, src/rl/): every network's forward pass, then network k's
   * amine e = weight·(target − y) for targets and weights (batch, networks) row-major (weights omitted: 1; a 0
   * weight leaves that output unchanged), then every update — the softmax path's sequence. Returns the outputs
   * y the errors were measured on, (batch, networks).
   */
  learnTargets(batch: SampleBatch, targets: ArrayLike<number>, weights?: ArrayLike<number>): Float32Array {
    const B = batch.size;
    const K = this.networks;
    const dense = this.loadBatch(batch);
    this.runAll('predict', B, dense, batch.index, batch.value);
    const last = this.shapes.length - 1;
    const y = new Float32Array(B * K);
    this.nets.forEach((net, k) => {
      for (let b = 0; b < B; b++) {
        y[b * K + k] = net.act[last][b];
        net.error[b] = (weights ? weights[b * K + k] : 1) * (targets[b * K + k] - net.act[last][b]);
      }
    });
    this.runAll('update', B, dense, batch.index, batch.value);
    return y;
  }

  /**
   * Many updates at once, the same as learn() on each batch in turn. Independent networks (sigmoid outputs) each
   * run the whole sequence on their own, one network after another or on several threads, meeting only at the
   * end; softmax-coupled outputs, and batches dense enough for the dense kernels, go batch by batch.
   */
  learnSequence(seq: SampleSequence): LearnStats[] {
    const batches = Math.ceil(seq.size / seq.batch);
    const view = (u: number): SampleBatch => {
      const from = u * seq.batch;
      const to = Math.min(seq.size, from + seq.batch);
      return { ...seq, size: to - from, start: seq.start.subarray(from, to), end: seq.end.subarray(from, to), labels: seq.labels.subarray(from, to) };
    };
    if (this.options.output === 'softmax' || denseAnywhere(seq, this.inputs)) {
      return Array.from({ length: batches }, (_, u) => this.learn(view(u)));
    }
    const job = this.sequenceJob(seq);
    this.viewsCurrent = false;
    if (this.runner) this.runner.sequence(this.networks, job);
    else this.learnNetworks(0, this.networks, job);
    // The same statistics as learn(), batch by batch and in the same order.
    const K = this.networks;
    const C = this.classes;
    const row = this.scores;
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
   * Networks [from, to) learn the whole sequence (called per thread). Online, a few networks at a time run all
   * of it, so that their first layers stay in cache (stacked: as one row per sample, see learnOnlineStacked);
   * with batches, each batch goes through every network in turn, so that the batch's inputs do. Networks are
   * independent: the order changes nothing (test/layouts.test.ts).
   */
  learnNetworks(from: number, to: number, job: SequenceJob): void {
    const views = this.batchViews(job);
    if (job.batch === 1 && this.wide) {
      // A few networks at a time run the whole sequence, as many as keep their stacked columns in cache.
      for (const [c, end] of edStackedGroups(from, to, this.bandSize())) {
        for (let u = 0; u < views.length; u++) this.learnOnlineStacked(c, end, views[u], u, job);
      }
    } else if (job.batch === 1) {
      for (let k = from; k < to; k++) views.forEach((v, u) => this.learnRecorded(k, v, u * job.batch, job));
    } else views.forEach((v, u) => {
      for (let k = from; k < to; k++) this.learnRecorded(k, v, u * job.batch, job);
    });
  }

  /**
   * The batches of a sequence as views into its arrays. The trainer hands the same arrays every run (and a worker
   * reads them back as the same objects), so the views are made once, not per run: online, one per sample.
   */
  private batchViews(job: SequenceJob): BatchView[] {
    const c = this.viewCache;
    const same = c !== null && c.job.start === job.start && c.job.end === job.end && c.job.labels === job.labels
      && c.job.index === job.index && c.job.value === job.value && c.job.batch === job.batch;
    if (!same) this.viewCache = { job, views: [] };
    const all = this.viewCache!.views;
    const count = Math.ceil(job.size / job.batch);
    for (let u = 0; u < count; u++) {
      const b0 = u * job.batch;
      const b1 = Math.min(job.size, b0 + job.batch);
      if (all[u]?.size === b1 - b0) continue;
      all[u] = { size: b1 - b0, start: job.start.subarray(b0, b1), end: job.end.subarray(b0, b1), labels: job.labels.subarray(b0, b1), dense: false, index: job.index, value: job.value };
    }
    return count === all.length ? all : all.slice(0, count);
  }

  /**
   * Stacked layout, online: networks [from, to) learn sample `at` with their first layers as one row of
   * (to − from)·H: one forward pass, one sigmoid and one update of W⁺ + W⁻ for all of them (a network whose
   * e = 0 adds exact zeros), the layers above network by network. Each weight sees the same float operations as
   * in learnRecorded.
   */
  private learnOnlineStacked(from: number, to: number, v: BatchView, at: number, job: SequenceJob): void {
    const { backend: be, options: o, shared: s } = this;
    const wide = this.wide!;
    const L = this.shapes[0];
    const H = L.out;
    const ld = this.stackLd(from);
    const n = (to - from) * H;
    const act = wide.act[from];
    be.spmmStacked(act, v.start, v.end, v.index, v.value, this.nets[from].sumColumns, 1, n, ld);
    for (let k = from; k < to; k++) {
      const bias = this.nets[k].bias[0];
      const into = wide.bias[k];
      for (let j = 0; j < H; j++) into[j] = o.beta * (bias[j] + bias[H + j]);
    }
    be.addRow(act, wide.bias[from], 1, n);
    // The sigmoid kernel computes a tail of fewer than 4 elements differently: with H not a multiple of 4, where
    // the tails fall would depend on how many networks share the call.
    if (H % 4 === 0) be.sigmoid(act, act, n, 2 / o.u0);
    else for (let k = from; k < to; k++) be.sigmoid(wide.ownAct[k], wide.ownAct[k], H, 2 / o.u0);
    const amine = this.layerStep[0] * s.lrScale[0];
    let learns = false;
    if (this.top) this.learnTop(from, to, v, at, job);
    for (let k = from; k < to; k++) {
      const net = this.nets[k];
      if (!this.top) {
        net.act[0].set(wide.ownAct[k]);
        this.forward(k, v, 1);
        this.computeError(k, v);
        job.outputs[k * job.size + at] = net.act[this.shapes.length - 1][0];
        job.errors[k * job.size + at] = net.error[0];
        this.update(k, v, 1);
      }
      wide.rowScale[from][k - from] = amine * net.error[0];
      learns ||= net.error[0] !== 0;
    }
    if (!learns) return; // saturated outputs (e = 0 exactly) change nothing
    be.sigmoidGrad(wide.grad[from], act, wide.rowScale[from], s.outSign[0], to - from, H);
    be.spRankUpdateStacked(this.nets[from].sumColumns, v.start, v.end, v.index, v.value, wide.grad[from], s.allRows, 1, n, ld);
    for (let k = from; k < to; k++) {
      const net = this.nets[k];
      const e = net.error[0];
      if (e > 0) be.spRankUpdateStacked(net.plusColumns, v.start, v.end, v.index, v.value, wide.grad[k], s.allRows, 1, H, ld);
      if (e !== 0) be.rankUpdate(e > 0 ? net.bias[0] : net.biasInh[0], s.betaColumn, wide.grad[k], s.allRows, 1, 1, H, 1, 0);
    }
  }

  /**
   * The output units of networks [from, to) learn sample `at` from the group's hidden row (learnOnlineStacked):
   * what forward, computeError and update do for layer 1 of each network, with the same float operations, as
   * one call per step for the group (the sigmoid one per network: its one-element path is the one forward takes).
   */
  private learnTop(from: number, to: number, v: BatchView, at: number, job: SequenceJob): void {
    const { backend: be, options: o, shared: s } = this;
    const top = this.top!;
    const wide = this.wide!;
    const H = this.shapes[0].out;
    const { srcExc, srcInh } = this.shapes[1];
    const m = to - from;
    const z = top.out[from];
    be.rowDots(z, wide.act[from], top.w[from], m, srcExc + srcInh, H, top.ld);
    const biasEff = top.biasEff[from];
    for (let k = from; k < to; k++) biasEff[k - from] = o.beta * (top.bias[k][0] + top.bias[k][1]);
    be.addRow(z, biasEff, 1, m);
    const gain = 2 / o.u0;
    for (let i = 0; i < m; i++) be.sigmoid(top.one[from][i], top.one[from][i], 1, gain);
    const amine = this.layerStep[1] * s.lrScale[0];
    const scale = top.scale[from];
    for (let k = from; k < to; k++) {
      const net = this.nets[k];
      const y = z[k - from];
      net.act[1][0] = y;
      this.computeError(k, v);
      job.outputs[k * job.size + at] = y;
      job.errors[k * job.size + at] = net.error[0];
      scale[k - from] = amine * net.error[0];
    }
    const g = top.grad[from];
    be.sigmoidGrad(g, z, scale, s.outSign[1], m, 1);
    // Kaneko: the excitatory sources (and bias) learn from e > 0, the inhibitory ones from e < 0.
    const pos = top.pos[from];
    const neg = top.neg[from];
    for (let i = 0; i < m; i++) {
      const e = this.nets[from + i].error[0];
      pos[i] = e > 0 ? g[i] : 0;
      neg[i] = e < 0 ? g[i] : 0;
    }
    be.rowsAxpy(top.w[from], wide.act[from], pos, m, srcExc, top.ld, H);
    be.rowsAxpy(top.wInh[from], top.actInh[from], neg, m, srcInh, top.ld, H);
    be.rowsAxpy(top.bias[from], s.betaColumn, pos, m, 1, ROW_SCALE_STRIDE, 0);
    be.rowsAxpy(top.biasInh[from], s.betaColumn, neg, m, 1, ROW_SCALE_STRIDE, 0);
  }

  /** Network k learns one batch of a sequence (samples from `at` on), recording its outputs and errors first. */
  private learnRecorded(k: number, v: BatchView, at: number, job: SequenceJob): void {
    const net = this.nets[k];
    const y = net.act[this.shapes.length - 1];
    this.forward(k, v);
    this.computeError(k, v);
    for (let b = 0; b < v.size; b++) {
      job.outputs[k * job.size + at + b] = y[b];
      job.errors[k * job.size + at + b] = net.error[b];
    }
    this.update(k, v);
  }

  epochEnded(): void {
    this.shared.lrScale[0] *= this.options.lrDecay;
  }

  setLearningRateScale(scale: number): void {
    this.shared.lrScale[0] = scale;
  }

  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.length, 0);
  }

  parameters(): Float32Array[] {
    if (this.layout === 'stacked' && !this.viewsCurrent) this.gatherStacked();
    this.viewsCurrent = true;
    return this.nets.flatMap((net) => this.shapes.flatMap((_, l) => [net.w[l], net.bias[l]]));
  }

  parametersChanged(): void {
    // Stacked: the views may be older than the stacked arrays (nobody read parameters() since the last update).
    if (this.layout === 'stacked' && !this.viewsCurrent) this.gatherStacked();
    this.viewsCurrent = true;
    for (let k = 0; k < this.networks; k++) this.shapes.forEach((_, l) => this.refreshForwardWeights(k, l));
  }

  /**
   * One network's share of a batch already loaded (called per thread): 'predict' is the forward pass, 'update'
   * applies the errors already in net.error, 'learn' is forward, own error, update.
   */
  runNetwork(op: NetworkOp, k: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    const s = this.shared;
    const v: BatchView = { size: batch, start: s.start, end: s.end, labels: s.labels, dense, index, value };
    if (op !== 'update') this.forward(k, v);
    if (op === 'predict') return;
    this.viewsCurrent = false;
    if (op === 'learn') this.computeError(k, v);
    this.update(k, v);
  }

  /** runNetwork for networks [from, to) (called per thread); the stacked layout predicts them as one row per sample. */
  runNetworks(op: NetworkOp, from: number, to: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    if (op === 'predict' && this.wide && to - from > 1) this.predictStacked(from, to, batch, index, value);
    else for (let k = from; k < to; k++) this.runNetwork(op, k, batch, dense, index, value);
  }

  private runAll(op: NetworkOp, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    if (op !== 'predict') this.viewsCurrent = false; // the workers' instances have their own flag
    if (this.runner) this.runner.each(op, this.networks, batch, dense, index, value);
    else this.runNetworks(op, 0, this.networks, batch, dense, index, value);
  }

  /**
   * Stacked layout: the first layer's sums of networks [from, to) for a loaded batch as one row of (to − from)·H
   * per sample (the wide-row kernel), then each network's own (B, H) copy and the rest of its forward pass. The
   * sums are the same, bit for bit, as network by network.
   */
  private predictStacked(from: number, to: number, batch: number, index: Int32Array, value: Float32Array): void {
    const end = this.bandEnd(from);
    if (end < to) {
      this.predictStacked(from, end, batch, index, value);
      this.predictStacked(end, to, batch, index, value);
      return;
    }
    const s = this.shared;
    const H = this.shapes[0].out;
    const n = (to - from) * H;
    const sums = s.wideBatch.subarray(from * H * this.maxBatch);
    this.backend.spmmStacked(sums, s.start, s.end, index, value, this.nets[from].sumColumns, batch, n, this.stackLd(from));
    const v: BatchView = { size: batch, start: s.start, end: s.end, labels: s.labels, dense: false, index, value };
    for (let k = from; k < to; k++) {
      const act = this.nets[k].act[0];
      const at = (k - from) * H;
      for (let b = 0; b < batch; b++) for (let j = 0; j < H; j++) act[b * H + j] = sums[b * n + at + j];
      this.forward(k, v, 0, true);
    }
  }

  /** The job of a sequence, with output arrays (in the backend's memory) large enough for it. */
  private sequenceJob(seq: SampleSequence): SequenceJob {
    const need = seq.size * this.networks;
    if (!this.sequenceOut || this.sequenceOut.outputs.length < need) {
      this.sequenceOut = { outputs: this.backend.alloc(need), errors: this.backend.alloc(need) };
    }
    const { start, end, labels, index, value } = seq;
    return { size: seq.size, batch: seq.batch, start, end, labels, index, value, ...this.sequenceOut };
  }

  /** Copies the batch's row offsets and labels into shared memory; densifies it when that is faster. */
  private loadBatch(batch: SampleBatch): boolean {
    // The stacked layout has sparse kernels only (a dense batch is still right through them, only slower).
    return loadBatch(this.backend, batch, this.shared, this.inputs, this.maxBatch) && this.layout !== 'stacked';
  }

  /**
   * The forward pass of network k from layer `first` on (the stacked online path does layer 0 for many networks
   * at once); `sumsDone`: layer 0's input sums are already in net.act[0] (predictStacked).
   */
  private forward(k: number, v: BatchView, first = 0, sumsDone = false): void {
    const be = this.backend;
    const o = this.options;
    const net = this.nets[k];
    const s = this.shared;
    const gain = 2 / o.u0;
    const last = this.shapes.length - 1;
    const batch = v.size;
    for (let l = first; l <= last; l++) {
      const L = this.shapes[l];
      const act = net.act[l];
      const w = o.ternary ? net.wq[l] : net.w[l];
      const bias = o.ternary && o.ternaryBias ? net.biasQ[l] : net.bias[l];
      if (l === 0 && sumsDone) { /* predictStacked made them */ } else if (l === 0 && this.layout === 'stacked') be.spmmStacked(act, v.start, v.end, v.index, v.value, net.sumColumns, batch, L.out, this.stackLd(k));
      else if (l === 0 && v.dense) be.gemm(act, s.xDense, net.weff, batch, L.srcExc, L.out);
      else if (l === 0) be.spmm(act, v.start, v.end, v.index, v.value, net.weff, batch, L.out);
      else be.gemm(act, net.act[l - 1], w, batch, L.srcExc + L.srcInh, L.out);
      for (let j = 0; j < L.out; j++) net.biasEff[l][j] = o.beta * (bias[j] + bias[L.out + j]);
      be.addRow(act, net.biasEff[l], batch, L.out);
      if (o.rmsNorm && l < last) rmsNormalise(act, batch, L.out);
      if (l < last || o.output === 'sigmoid') be.sigmoid(act, act, batch * L.out, gain);
    }
  }

  /** e = t − y for network k: one-hot targets, or the label itself when one network decides two classes. */
  private computeError(k: number, v: BatchView): void {
    const net = this.nets[k];
    const y = net.act[this.shapes.length - 1];
    const labels = v.labels;
    const single = this.networks === 1;
    for (let b = 0; b < v.size; b++) {
      const target = single ? labels[b] : labels[b] === k ? 1 : 0;
      net.error[b] = target - y[b];
    }
  }

  /** Softmax-coupled outputs: network k's amine is e_k = onehot_k − softmax_k over the K linear outputs. */
  private softmaxErrors(batch: number): void {
    const last = this.shapes.length - 1;
    const labels = this.shared.labels;
    for (let b = 0; b < batch; b++) {
      let max = -Infinity;
      for (const net of this.nets) max = Math.max(max, net.act[last][b]);
      let sum = 0;
      for (const net of this.nets) sum += Math.exp(net.act[last][b] - max);
      this.nets.forEach((net, k) => {
        net.error[b] = (labels[b] === k ? 1 : 0) - Math.exp(net.act[last][b] - max) / sum;
      });
    }
  }

  /** Applies the summed update of the batch; every layer receives the same amine (times u1 for hidden layers). */
  private update(k: number, v: BatchView, first = 0): void {
    const { backend: be, options: o } = this;
    const net = this.nets[k];
    const s = this.shared;
    const batch = v.size;
    let nPos = 0;
    let nNeg = 0;
    let nAny = 0;
    for (let b = 0; b < batch; b++) {
      if (net.error[b] > 0) net.posRows[nPos++] = b;
      else if (net.error[b] < 0) net.negRows[nNeg++] = b;
      if (net.error[b] !== 0) net.anyRows[nAny++] = b;
    }
    // Which samples each source family learns from. Kaneko: excitatory sources from e > 0, inhibitory from e < 0.
    // Weight-decrement mode: both families from every sample (Δw = α·z·f'·s_k·e for all m). Weakening
    // excitatory synapses to lower the output: the excitatory family learns from every sample, the other never.
    const weaken = o.lowering === 'weaken-excitatory' && !o.weightDecrement;
    const excRows = o.weightDecrement ? s.allRows : weaken ? net.anyRows : net.posRows;
    const excCount = o.weightDecrement ? batch : weaken ? nAny : nPos;
    const inhRows = o.weightDecrement ? s.allRows : net.negRows;
    const inhCount = o.weightDecrement ? batch : weaken ? 0 : nNeg;
    // The plain rule: every sample changes exactly one family, by the same Σ x·g it would add to W⁺ + W⁻.
    const plain = edStackable(o);
    const last = this.shapes.length - 1;
    // The sum of the batch's updates, or their mean (÷ the samples in this batch).
    const reduce = o.batchReduce === 'mean' ? 1 / batch : 1;
    for (let l = first; l <= last; l++) {
      const L = this.shapes[l];
      const amine = this.layerStep[l] * s.lrScale[0] * reduce;
      for (let b = 0; b < batch; b++) net.rowScale[b] = amine * net.error[b];
      const g = net.grad[l];
      if (l === last && o.output === 'softmax') {
        // Linear output unit: its derivative is 1.
        for (let b = 0; b < batch; b++) g[b] = net.rowScale[b] * s.outSign[l][0];
      } else be.sigmoidGrad(g, net.act[l], net.rowScale, s.outSign[l], batch, L.out);
      const w = net.w[l];
      const wInh = net.wInh[l];
      if (l === 0 && this.layout === 'stacked') {
        // W⁺ + W⁻ learns from every sample, W⁺ only from those with e > 0; W⁻ is their difference.
        const ld = this.stackLd(k);
        be.spRankUpdateStacked(net.sumColumns, v.start, v.end, v.index, v.value, g, net.anyRows, nAny, L.out, ld);
        be.spRankUpdateStacked(net.plusColumns, v.start, v.end, v.index, v.value, g, excRows, excCount, L.out, ld);
      } else if (l === 0 && !v.dense) {
        be.spRankUpdate(w, v.start, v.end, v.index, v.value, g, excRows, excCount, L.out);
        be.spRankUpdate(wInh, v.start, v.end, v.index, v.value, g, inhRows, inhCount, L.out);
      } else {
        const src = l === 0 ? s.xDense : net.act[l - 1];
        const ldz = L.paired ? L.srcExc : L.srcExc + L.srcInh;
        be.rankUpdate(w, src, g, excRows, excCount, L.srcExc, L.out, ldz, 0);
        be.rankUpdate(wInh, src, g, inhRows, inhCount, L.srcInh, L.out, ldz, L.paired ? 0 : L.srcExc);
      }
      const bias = net.bias[l];
      be.rankUpdate(bias, s.betaColumn, g, excRows, excCount, 1, L.out, 1, 0);
      be.rankUpdate(net.biasInh[l], s.betaColumn, g, inhRows, inhCount, 1, L.out, 1, 0);
      if (weaken) {
        // Weakening stops at zero: a synapse keeps its sign.
        clampToSign(w, L.srcExc, L.out, s.outSign[l], 1);
        clampToSign(bias, 1, L.out, s.outSign[l], 1);
      }
      if (o.connectivity < 1) multiplyInPlace(w, net.mask[l]);
      if (l === 0 && this.layout === 'stacked') continue;
      if (L.paired && !v.dense && plain && batchNonZero(v, net.anyRows, nAny) < L.srcExc) {
        // A small sparse batch (online learning) touches few input rows: add its update to W⁺ + W⁻ directly
        // (each sample changed exactly one family by Σ x·g) instead of re-adding all N rows.
        be.spRankUpdate(net.weff, v.start, v.end, v.index, v.value, g, net.anyRows, nAny, L.out);
      } else this.refreshForwardWeights(k, l);
    }
  }

  /** Rebuilds what the forward pass reads from layer l's weights: W⁺ + W⁻ for the input layer, ternary copies. */
  private refreshForwardWeights(k: number, l: number): void {
    const net = this.nets[k];
    const L = this.shapes[l];
    const w = net.w[l];
    const n = L.srcExc * L.out;
    if (this.options.ternary) {
      const bias = this.options.ternaryBias ? { q: net.biasQ[l], w: net.bias[l] } : null;
      ternarise(net.wq[l], w, L.srcExc, L.out, this.shared.outSign[l], bias);
    }
    const forward = this.options.ternary ? net.wq[l] : w;
    if (L.paired && this.layout === 'stacked') this.scatterStacked(k);
    else if (L.paired) this.backend.add(net.weff, forward, forward.subarray(n), n);
  }

  /** Stacked layout: network k's W⁺ and W⁻ (nets[k].w[0]) written into the stacked W⁺ and W⁺ + W⁻. */
  private scatterStacked(k: number): void {
    const net = this.nets[k];
    const H = this.shapes[0].out;
    const N = this.inputs;
    const ld = this.stackLd(k);
    const w0 = net.w[0];
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < H; j++) {
        const plus = w0[i * H + j];
        net.plusColumns[i * ld + j] = plus;
        net.sumColumns[i * ld + j] = plus + w0[(N + i) * H + j];
      }
    }
  }

  /** Stacked layout: every network's W⁺ and W⁻ = (W⁺ + W⁻) − W⁺ read back into nets[k].w[0]. */
  private gatherStacked(): void {
    const H = this.shapes[0].out;
    const N = this.inputs;
    this.nets.forEach((net, k) => {
      const ld = this.stackLd(k);
      const w0 = net.w[0];
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < H; j++) {
          const plus = net.plusColumns[i * ld + j];
          w0[i * H + j] = plus;
          w0[(N + i) * H + j] = net.sumColumns[i * ld + j] - plus;
        }
      }
    });
  }

  private writeScores(batch: number, scores: Float32Array): void {
    const C = this.classes;
    const last = this.shapes.length - 1;
    if (this.networks === 1) {
      const y = this.nets[0].act[last];
      for (let b = 0; b < batch; b++) {
        scores[b * C] = 1 - y[b];
        scores[b * C + 1] = y[b];
      }
      return;
    }
    for (let k = 0; k < C; k++) {
      const y = this.nets[k].act[last];
      for (let b = 0; b < batch; b++) scores[b * C + k] = y[b];
    }
    if (this.options.output !== 'softmax') return;
    for (let b = 0; b < batch; b++) {
      const row = scores.subarray(b * C, (b + 1) * C);
      const max = Math.max(...row);
      let sum = 0;
      for (let k = 0; k < C; k++) sum += (row[k] = Math.exp(row[k] - max));
      for (let k = 0; k < C; k++) row[k] /= sum;
    }
  }

  /**
   * |w| ~ U[0, range) with the sign s_m·s_k (or w ~ U(−range, range) with initSign 'any'), network by network in
   * storage order; then the connectivity masks, drawn from maskSeed.
   */
  private initWeights(rng: Random): void {
    const o = this.options;
    const base = o.initPerUnit ? o.initMax / o.units : o.initMax;
    const masks = new Random(o.maskSeed);
    for (let k = 0; k < this.networks; k++) {
      const r = rng.fork(k);
      const net = this.nets[k];
      this.shapes.forEach((L, l) => {
        const sign = this.shared.outSign[l];
        const range = o.initScale === 'sqrt-width' ? base / Math.sqrt(L.out) : base;
        const limit = l === 0 && o.inputInitMax > 0 ? o.inputInitMax : range;
        const fill = (w: Float32Array, excRows: number) => {
          for (let i = 0; i < w.length; i++) {
            const typed = (Math.floor(i / L.out) < excRows ? 1 : -1) * sign[i % L.out];
            w[i] = o.initSign === 'any' ? (r.next() * 2 - 1) * limit : typed * r.next() * limit;
          }
        };
        fill(net.w[l], L.srcExc);
        fill(net.bias[l], 1);
        if (o.connectivity < 1) {
          const mask = net.mask[l];
          for (let i = 0; i < mask.length; i++) mask[i] = masks.next() < o.connectivity ? 1 : 0;
          multiplyInPlace(net.w[l], mask);
        }
        this.refreshForwardWeights(k, l);
      });
    }
  }

  /** The fixed order of every array; measuring and carving both run through here. */
  private carve(c: Carver): { nets: EdNetworkView[]; shared: BatchState } {
    const B = this.maxBatch;
    const H = this.shapes[0].out;
    const stacked = this.layout === 'stacked';
    const stackLength = this.inputs * this.networks * H;
    const shared: BatchState = {
      outSign: this.shapes.map((L) => c.float32(L.out)),
      betaColumn: c.float32(B),
      allRows: c.int32(B),
      start: c.int32(B),
      end: c.int32(B),
      labels: c.int32(B),
      xDense: c.float32(B * this.inputs),
      lrScale: c.float64(1),
      // Line-aligned: threads write different networks' columns of these side by side (see wideRowScale).
      stackSum: c.float32(stacked ? stackLength : 0, { line: true }),
      stackPlus: c.float32(stacked ? stackLength : 0, { line: true }),
      wideAct: c.float32(stacked ? this.networks * H : 0, { line: true }),
      wideBias: c.float32(stacked ? this.networks * H : 0, { line: true }),
      wideGrad: c.float32(stacked ? this.networks * H : 0, { line: true }),
      wideRowScale: c.float32(stacked ? this.networks * ROW_SCALE_STRIDE : 0, { line: true }),
      wideBatch: c.float32(stacked ? B * this.networks * H : 0, { line: true }),
      topW: c.float32(this.hasTopRows() ? this.networks * this.topLd() : 0, { line: true }),
      topBias: c.float32(this.hasTopRows() ? this.networks * ROW_SCALE_STRIDE : 0, { line: true }),
      topRows: c.float32(this.hasTopRows() ? 6 * this.networks * ROW_SCALE_STRIDE : 0, { line: true }),
    };
    const topRows = this.hasTopRows();
    const last = this.shapes.length - 1;
    // The output layer's weights live in the shared top rows when there are any (see BatchState.topW).
    const inTop = (l: number) => topRows && l === last;
    const nets: EdNetworkView[] = [];
    for (let k = 0; k < this.networks; k++) {
      const w = this.shapes.map((L, l) => {
        const size = (L.srcExc + L.srcInh) * L.out;
        return inTop(l) ? shared.topW.subarray(k * this.topLd(), k * this.topLd() + size) : c.float32(size);
      });
      const bias = this.shapes.map((L, l) => inTop(l) ? shared.topBias.subarray(k * ROW_SCALE_STRIDE, k * ROW_SCALE_STRIDE + 2) : c.float32(2 * L.out));
      nets.push({
        w, bias,
        wInh: w.map((wl, l) => wl.subarray(this.shapes[l].srcExc * this.shapes[l].out)),
        biasInh: bias.map((b, l) => b.subarray(this.shapes[l].out)),
        sumColumns: shared.stackSum.subarray(stacked ? this.stackColumn(k) : 0),
        plusColumns: shared.stackPlus.subarray(stacked ? this.stackColumn(k) : 0),
        weff: c.float32(stacked ? 0 : this.inputs * H),
        wq: this.shapes.map((L) => c.float32(this.options.ternary ? (L.srcExc + L.srcInh) * L.out : 0)),
        biasQ: this.shapes.map((L) => c.float32(this.options.ternary && this.options.ternaryBias ? 2 * L.out : 0)),
        mask: this.shapes.map((L) => c.float32(this.options.connectivity < 1 ? (L.srcExc + L.srcInh) * L.out : 0)),
        act: this.shapes.map((L) => c.float32(B * L.out)),
        grad: this.shapes.map((L) => c.float32(B * L.out)),
        biasEff: this.shapes.map((L) => c.float32(L.out)),
        error: c.float32(B),
        rowScale: c.float32(B),
        posRows: c.int32(B),
        negRows: c.int32(B),
        anyRows: c.int32(B),
      });
    }
    return { nets, shared };
  }
}

/** Non-zero inputs in the given rows of a batch. */
function batchNonZero(v: BatchView, rows: Int32Array, count: number): number {
  let n = 0;
  for (let c = 0; c < count; c++) n += v.end[rows[c]] - v.start[rows[c]];
  return n;
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
