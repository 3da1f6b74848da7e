/**
 * Kaneko's ED method (Error Diffusion learning), in its plain form. The derivation, and which symbol is which
 * identifier, are in docs/ed-method.md; the rule is that of Kaneko's 1999 C sample, which it matches to float32
 * rounding. The engine's faster layouts (src/engine/) are subclasses that learn the same weights.
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
 * not 2N). Each layer also has two bias sources of value β, one per family. Inputs arrive as sparse rows; the
 * first layer uses sparse kernels unless the batch is dense enough. The variants of the article's open questions
 * are chosen once, in the constructor (src/rules/ed-variants.ts).
 */
// biome-ignore-all format: laid out by hand to be read in one sitting (≤ 400 lines; test/house-rules.test.ts)
import type { Backend } from '../kernels/backend.js';
import { Carver } from '../kernels/carve.js';
import { type EdOptions, updateDivisor, validateEdOptions } from '../options/ed.js';
import { Random } from '../random.js';
import { carveEd, type EdNetworkView, type EdShared, type EdStorage, edStorageSize } from './ed-arrays.js';
import { type EdLayerShape, edLayerShapes, edNetworkCount, edPlain } from './ed-shapes.js';
import {
  batchNonZero, clampToSign, fillUnitSigns, maskTouchedRows, multiplyInPlace, OUTPUT_UNITS, refreshTouchedSums, type OutputUnit, rmsNormalise, softmaxErrors, type SourceRule, sourceRuleFor, ternarise, writeScores,
} from './ed-variants.js';
import { argmaxRow, type LearnStats, loadBatch, type Rule, type SampleBatch } from './rule.js';

export type { EdNetworkView, EdStorage } from './ed-arrays.js';
export { type EdLayerShape, edLayerShapes, edNetworkCount, edParameterShapes } from './ed-shapes.js';

/** What runNetwork does: the forward pass, applying errors already computed, or both with the network's own error. */
export type NetworkOp = 'learn' | 'predict' | 'update';

/** One batch as the per-network code reads it: samples as sparse rows (and densely in xDense when `dense`). */
export interface BatchView {
  size: number;
  start: Int32Array;
  end: Int32Array;
  labels: Int32Array;
  dense: boolean;
  index: Int32Array;
  value: Float32Array;
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
  protected readonly shared: EdShared;
  /** The storage after the rule's own arrays, for a layout of the engine (see carveLayout). */
  protected readonly layoutStorage: EdStorage;
  /** Which source family learns from which sample, and the kind of output unit: variants, chosen once. */
  protected readonly sources: SourceRule;
  protected readonly output: OutputUnit;
  /**
   * Per layer, the factor of every weight change: α ÷ the layer's update divisor, × 2/u0 with the true derivative
   * (sigmoid units only: a linear output's derivative is 1), × u1 for hidden layers (the amine's diffusion).
   */
  protected readonly layerStep: number[];
  /** Whether an update may add to W⁺ + W⁻ in place (each sample changes one family by what it adds to the sum). */
  private readonly plain: boolean;
  private readonly scores: Float32Array;

  /**
   * A classifier with initial weights drawn from `init`, or, given `init.storage`, a view of the classifier that
   * already lives there (the same options, sizes and maxBatch; nothing is initialised).
   */
  constructor(
    readonly options: EdOptions, readonly inputs: number, readonly classes: number, readonly backend: Backend,
    init: Random | { storage: EdStorage }, readonly maxBatch = 512,
  ) {
    validateEdOptions(options);
    this.networks = edNetworkCount(options, classes);
    this.shapes = edLayerShapes(options, inputs);
    this.sources = sourceRuleFor(options);
    this.output = OUTPUT_UNITS[options.output];
    this.plain = edPlain(options);
    const dims = { options, shapes: this.shapes, inputs, networks: this.networks, maxBatch, inputSum: this.keepsInputSum() };
    const size = edStorageSize(dims, (c) => this.carveLayout(c));
    const fresh = init instanceof Random;
    this.storage = fresh ? { floats: backend.alloc(size.floats), ints: backend.allocInt(size.ints) } : init.storage;
    const { floats, ints } = this.storage;
    ({ nets: this.nets, shared: this.shared } = carveEd(new Carver(floats, ints), dims));
    this.layoutStorage = { floats: floats.subarray(size.ruleFloats), ints: ints.subarray(size.ruleInts) };
    this.scores = new Float32Array(maxBatch * classes);
    const last = this.shapes.length - 1;
    this.layerStep = this.shapes.map((L, l) => {
      const sigmoid = l < last || !this.output.linear;
      const step = (options.lr / updateDivisor(options, L.out)) * (options.derivative === 'true' && sigmoid ? 2 / options.u0 : 1);
      return l === last ? step : step * options.u1;
    });
    if (fresh) {
      this.shapes.forEach((_, l) => fillUnitSigns(this.shared, options, this.shapes, l));
      this.shared.betaColumn.fill(options.beta);
      this.shared.allRows.set(Array.from({ length: maxBatch }, (_, i) => i));
      this.shared.lrScale[0] = 1;
      this.initWeights(init);
    }
  }

  /** Effective input weights of hidden unit `unit` of network `k`, one per input: W⁺ + W⁻ (w[0] is (2N, out)). */
  unitInputWeights(k: number, unit: number): Float32Array {
    const { out } = this.shapes[0];
    const N = this.inputs;
    const w0 = this.nets[k].w[0];
    return Float32Array.from({ length: N }, (_, i) => w0[i * out + unit] + w0[(N + i) * out + unit]);
  }

  predict(batch: SampleBatch, scores: Float32Array): void {
    const dense = this.loadBatch(batch);
    this.runAll('predict', batch.size, dense, batch.index, batch.value);
    this.writeScores(batch.size, scores);
  }

  learn(batch: SampleBatch): LearnStats {
    const B = batch.size;
    const dense = this.loadBatch(batch);
    if (this.output.coupled) {
      // Every network's forward pass first, then the coupled errors, then every update.
      this.runAll('predict', B, dense, batch.index, batch.value);
      const last = this.shapes.length - 1;
      softmaxErrors(this.nets.map((n) => n.act[last]), this.nets.map((n) => n.error), this.shared.labels, B);
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
   * weight leaves that output unchanged), then every update — the coupled outputs' sequence. Returns the outputs
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
    return this.nets.flatMap((net) => this.shapes.flatMap((_, l) => [net.w[l], net.bias[l]]));
  }

  parametersChanged(): void {
    for (let k = 0; k < this.networks; k++) this.shapes.forEach((_, l) => this.refreshForwardWeights(k, l));
  }

  /**
   * One network's share of a batch already loaded (the engine may call it from another thread): 'predict' is
   * the forward pass, 'update' applies the errors already in net.error, 'learn' is forward, own error, update.
   */
  runNetwork(op: NetworkOp, k: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    const s = this.shared;
    const v: BatchView = { size: batch, start: s.start, end: s.end, labels: s.labels, dense, index, value };
    if (op !== 'update') this.forward(k, v);
    if (op === 'predict') return;
    if (op === 'learn') this.computeError(k, v);
    this.update(k, v);
  }

  /** Runs `op` on every network, one after another (the engine may spread them over threads). */
  protected runAll(op: NetworkOp, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    for (let k = 0; k < this.networks; k++) this.runNetwork(op, k, batch, dense, index, value);
  }

  /** Copies the batch's row offsets and labels into shared memory; densifies it when that is faster. */
  protected loadBatch(batch: SampleBatch): boolean {
    return loadBatch(this.backend, batch, this.shared, this.inputs, this.maxBatch);
  }

  /** The forward pass of network k from layer `first` on; `sumsDone`: layer 0's input sums are already in act[0]. */
  protected forward(k: number, v: BatchView, first = 0, sumsDone = false): void {
    const { backend: be, options: o } = this;
    const net = this.nets[k];
    const last = this.shapes.length - 1;
    for (let l = first; l <= last; l++) {
      const L = this.shapes[l];
      const act = net.act[l];
      const w = o.ternary ? net.wq[l] : net.w[l];
      const bias = o.ternary && o.ternaryBias ? net.biasQ[l] : net.bias[l];
      if (l > 0) be.gemm(act, net.act[l - 1], w, v.size, L.srcExc + L.srcInh, L.out);
      else if (!sumsDone) this.inputSums(k, v, act);
      // β·(w from the excitatory bias unit + w from the inhibitory one)
      for (let j = 0; j < L.out; j++) net.biasEff[l][j] = o.beta * (bias[j] + bias[L.out + j]);
      be.addRow(act, net.biasEff[l], v.size, L.out);
      if (o.rmsNorm && l < last) rmsNormalise(act, v.size, L.out);
      // y = f(u) = 1 / (1 + exp(−2u/u0))
      if (l < last || !this.output.linear) be.sigmoid(act, act, v.size * L.out, 2 / o.u0);
    }
  }

  /** The input layer's sums x·(W⁺ + W⁻) of a batch, (batch, H): sparse rows, or dense ones when the batch is dense. */
  protected inputSums(k: number, v: BatchView, act: Float32Array): void {
    const net = this.nets[k];
    const H = this.shapes[0].out;
    if (v.dense) this.backend.gemm(act, this.shared.xDense, net.weff, v.size, this.inputs, H);
    else this.backend.spmm(act, v.start, v.end, v.index, v.value, net.weff, v.size, H);
  }

  /** e = t − y for network k: one-hot targets, or the label itself when one network decides two classes. */
  protected computeError(k: number, v: BatchView): void {
    const net = this.nets[k];
    const y = net.act[this.shapes.length - 1];
    const single = this.networks === 1;
    for (let b = 0; b < v.size; b++) {
      const target = single ? v.labels[b] : v.labels[b] === k ? 1 : 0;
      net.error[b] = target - y[b];
    }
  }

  /**
   * Applies the summed update of the batch, from layer `first` on. Every layer receives the same amine e (times
   * u1 for hidden layers, in layerStep); the source rule decides which sign family learns from which sample.
   */
  protected update(k: number, v: BatchView, first = 0): void {
    const { backend: be, shared: s } = this;
    const net = this.nets[k];
    const batch = v.size;
    const r = net.rows;
    r.nPos = r.nNeg = r.nAny = 0;
    r.batch = batch;
    for (let b = 0; b < batch; b++) {
      if (net.error[b] > 0) r.pos[r.nPos++] = b; // d⁺ = e > 0
      else if (net.error[b] < 0) r.neg[r.nNeg++] = b; // d⁻ = −e > 0
      if (net.error[b] !== 0) r.any[r.nAny++] = b;
    }
    this.sources.pick(r);
    const last = this.shapes.length - 1;
    // The sum of the batch's updates, or their mean (÷ the samples in this batch).
    const reduce = this.options.batchReduce === 'mean' ? 1 / batch : 1;
    for (let l = first; l <= last; l++) {
      const L = this.shapes[l];
      const amine = this.layerStep[l] * s.lrScale[0] * reduce;
      for (let b = 0; b < batch; b++) net.rowScale[b] = amine * net.error[b];
      // g = α'·e·s_k·f'(y): a linear output's derivative is 1.
      const g = net.grad[l];
      const unit = this.unitFactor(k, l);
      if (l === last && this.output.linear) for (let b = 0; b < batch; b++) g[b] = net.rowScale[b] * unit[0];
      else be.sigmoidGrad(g, net.act[l], net.rowScale, unit, batch, L.out);
      if (l === 0) this.learnInputWeights(k, v, g);
      else this.learnDense(net.w[l], net.wInh[l], net.act[l - 1], g, r, L, L.srcExc + L.srcInh, L.srcExc);
      // The bias units: a source of value β in each family.
      be.rankUpdate(net.bias[l], s.betaColumn, g, r.exc, r.nExc, 1, L.out, 1, 0);
      be.rankUpdate(net.biasInh[l], s.betaColumn, g, r.inh, r.nInh, 1, L.out, 1, 0);
      if (this.sources.keepsSign) {
        clampToSign(net.w[l], L.srcExc, L.out, s.outSign[l], 1);
        clampToSign(net.bias[l], 1, L.out, s.outSign[l], 1);
      }
      // connectivity < 1: a sparse update touched few input rows (online learning), and only they are masked.
      if (this.options.connectivity < 1 && l === 0 && !v.dense) maskTouchedRows(net.w[0], net.mask[0], v, r, this.inputs, L.out);
      else if (this.options.connectivity < 1) multiplyInPlace(net.w[l], net.mask[l]);
      this.weightsUpdated(k, l, v);
    }
  }

  /**
   * Each unit's factor in g beyond the amine and f': its sign s_k (Kaneko: every unit of a layer receives the same
   * amine), × its gain with gainSpread. A rule built on this one may modulate it per unit (docs/extending.md).
   */
  protected unitFactor(_k: number, l: number): Float32Array {
    return this.shared.unitFactor[l];
  }

  /** W⁺ (excitatory sources' rows) and W⁻ of the input layer learn a batch: sparse rows, or dense ones. */
  protected learnInputWeights(k: number, v: BatchView, g: Float32Array): void {
    const net = this.nets[k];
    const r = net.rows;
    const L = this.shapes[0];
    if (v.dense) this.learnDense(net.w[0], net.wInh[0], this.shared.xDense, g, r, L, L.srcExc, 0);
    else {
      this.backend.spRankUpdate(net.w[0], v.start, v.end, v.index, v.value, g, r.exc, r.nExc, L.out);
      this.backend.spRankUpdate(net.wInh[0], v.start, v.end, v.index, v.value, g, r.inh, r.nInh, L.out);
    }
  }

  /** W[exc rows] += Z[exc samples, exc cols]ᵀ·G and W[inh rows] likewise: z (batch, ldz), inhibitory columns from inhAt. */
  private learnDense(
    w: Float32Array, wInh: Float32Array, z: Float32Array, g: Float32Array, r: EdNetworkView['rows'], L: EdLayerShape, ldz: number, inhAt: number,
  ): void {
    this.backend.rankUpdate(w, z, g, r.exc, r.nExc, L.srcExc, L.out, ldz, 0);
    this.backend.rankUpdate(wInh, z, g, r.inh, r.nInh, L.srcInh, L.out, ldz, inhAt);
  }

  /** After layer l learned a batch: what the forward pass reads from it follows. */
  protected weightsUpdated(k: number, l: number, v: BatchView): void {
    const net = this.nets[k];
    const r = net.rows;
    const masked = this.options.connectivity < 1 && !this.options.ternary;
    if (l === 0 && !v.dense && (this.plain || masked) && batchNonZero(v, r.any, r.nAny) < this.inputs) {
      // A small sparse batch (online learning) touches few input rows: add its update to W⁺ + W⁻ directly
      // (each sample changed exactly one family by Σ x·g), or, with a mask, re-add those rows alone.
      if (masked) refreshTouchedSums(net.weff, net.w[0], v, r.any, r.nAny, this.inputs, this.shapes[0].out);
      else this.backend.spRankUpdate(net.weff, v.start, v.end, v.index, v.value, net.grad[0], r.any, r.nAny, this.shapes[0].out);
    } else this.refreshForwardWeights(k, l);
  }

  /** Rebuilds what the forward pass reads from layer l's weights: W⁺ + W⁻ for the input layer, ternary copies. */
  protected refreshForwardWeights(k: number, l: number): void {
    const net = this.nets[k];
    const L = this.shapes[l];
    const n = L.srcExc * L.out;
    if (this.options.ternary) {
      const bias = this.options.ternaryBias ? { q: net.biasQ[l], w: net.bias[l] } : null;
      ternarise(net.wq[l], net.w[l], L.srcExc, L.out, this.shared.outSign[l], bias);
    }
    const forward = this.options.ternary ? net.wq[l] : net.w[l];
    if (L.paired) this.backend.add(net.weff, forward, forward.subarray(n), n);
  }

  /** The class scores of a batch from the networks' outputs. */
  protected writeScores(batch: number, scores: Float32Array): void {
    const last = this.shapes.length - 1;
    writeScores(this.nets.map((n) => n.act[last]), batch, scores, this.classes, this.output);
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

  /** Whether each network keeps W⁺ + W⁻ of its input layer (an engine layout with its own answers false). */
  protected keepsInputSum(): boolean {
    return true;
  }

  /**
   * An engine layout's own arrays, carved after the rule's in the same storage (called to measure, with no
   * storage, while the rule is being built; the layout carves layoutStorage the same way once built).
   */
  protected carveLayout(_c: Carver): void {}
}
