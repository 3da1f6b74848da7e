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
 * one storage (see layout()); given the same storage, another instance sees the same arrays, which is how the
 * engine (src/engine/) runs a range of networks on another thread. The rule itself never sees a thread.
 * Inputs arrive as sparse rows; the first layer uses sparse kernels unless the batch is dense enough.
 */
import type { Backend } from '../kernels/backend.js';
import { Carver } from '../kernels/carve.js';
import { Random } from '../random.js';
import { type EdOptions, updateDivisor, validateEdOptions } from '../options/ed.js';
import { argmaxRow, type LearnStats, loadBatch, type Rule, type SampleBatch } from './rule.js';
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
}

/** The two allocations every array of a classifier lives in (see layout()). */
export interface EdStorage {
  floats: Float32Array;
  ints: Int32Array;
}

/** What runNetwork does: the forward pass, applying errors already computed, or both with the network's own error. */
export type NetworkOp = 'learn' | 'predict' | 'update';
/** Runs runNetwork(op, k, …) for every network k in [0, count), possibly on several threads; returns when all are done. */
export type NetworkRunner = (op: NetworkOp, count: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array) => void;

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
  /** The learning-rate schedule: α·lrDecay^epochs (1 for Kaneko's constant α). */
  private lrScale = 1;
  /** Set by the engine to run networks elsewhere (a worker pool); null runs them one by one here. */
  private runner: NetworkRunner | null = null;

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
    const fresh = init instanceof Random;
    const measure = new Carver();
    this.layout(measure);
    this.storage = fresh ? { floats: backend.alloc(measure.floatCount), ints: backend.allocInt(measure.intCount) } : init.storage;
    const { nets, shared } = this.layout(new Carver(this.storage.floats, this.storage.ints));
    this.nets = nets;
    this.shared = shared;
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
      this.initWeights(init);
    }
  }

  /**
   * Effective input weights of hidden unit `unit` of network `k`, one per input: W⁺ + W⁻ from the excitatory
   * (rows 0…N−1) and inhibitory (rows N…2N−1) copies of each input in w[0], which is (2N, out).
   */
  unitInputWeights(k: number, unit: number): Float32Array {
    const { out } = this.shapes[0];
    const w0 = this.nets[k].w[0];
    const N = this.inputs;
    return Float32Array.from({ length: N }, (_, i) => w0[i * out + unit] + w0[(N + i) * out + unit]);
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

  epochEnded(): void {
    this.lrScale *= this.options.lrDecay;
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
   * One network's share of a batch already loaded (called per thread): 'predict' is the forward pass, 'update'
   * applies the errors already in net.error, 'learn' is forward, own error, update.
   */
  runNetwork(op: NetworkOp, k: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    if (op !== 'update') this.forward(k, batch, dense, index, value);
    if (op === 'predict') return;
    if (op === 'learn') this.computeError(k, batch);
    this.update(k, batch, dense, index, value);
  }

  private runAll(op: NetworkOp, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    if (this.runner) this.runner(op, this.networks, batch, dense, index, value);
    else for (let k = 0; k < this.networks; k++) this.runNetwork(op, k, batch, dense, index, value);
  }

  /** Copies the batch's row offsets and labels into shared memory; densifies it when that is faster. */
  private loadBatch(batch: SampleBatch): boolean {
    return loadBatch(this.backend, batch, this.shared, this.inputs, this.maxBatch);
  }

  private forward(k: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    const be = this.backend;
    const o = this.options;
    const net = this.nets[k];
    const s = this.shared;
    const gain = 2 / o.u0;
    const last = this.shapes.length - 1;
    for (let l = 0; l <= last; l++) {
      const L = this.shapes[l];
      const act = net.act[l];
      const w = o.ternary ? net.wq[l] : net.w[l];
      const bias = o.ternary && o.ternaryBias ? net.biasQ[l] : net.bias[l];
      if (l === 0 && dense) be.gemm(act, s.xDense, net.weff, batch, L.srcExc, L.out);
      else if (l === 0) be.spmm(act, s.start, s.end, index, value, net.weff, batch, L.out);
      else be.gemm(act, net.act[l - 1], w, batch, L.srcExc + L.srcInh, L.out);
      for (let j = 0; j < L.out; j++) net.biasEff[l][j] = o.beta * (bias[j] + bias[L.out + j]);
      be.addRow(act, net.biasEff[l], batch, L.out);
      if (o.rmsNorm && l < last) rmsNormalise(act, batch, L.out);
      if (l < last || o.output === 'sigmoid') be.sigmoid(act, act, batch * L.out, gain);
    }
  }

  /** e = t − y for network k: one-hot targets, or the label itself when one network decides two classes. */
  private computeError(k: number, batch: number): void {
    const net = this.nets[k];
    const y = net.act[this.shapes.length - 1];
    const labels = this.shared.labels;
    const single = this.networks === 1;
    for (let b = 0; b < batch; b++) {
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
  private update(k: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    const { backend: be, options: o } = this;
    const net = this.nets[k];
    const s = this.shared;
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
    const [excRows, excCount] = o.weightDecrement ? [s.allRows, batch] : weaken ? [net.anyRows, nAny] : [net.posRows, nPos];
    const [inhRows, inhCount] = o.weightDecrement ? [s.allRows, batch] : weaken ? [net.negRows, 0] : [net.negRows, nNeg];
    // The plain rule: every sample changes exactly one family, by the same Σ x·g it would add to W⁺ + W⁻.
    const plain = !o.weightDecrement && !weaken && !o.ternary && o.connectivity === 1;
    const last = this.shapes.length - 1;
    // The sum of the batch's updates, or their mean (÷ the samples in this batch).
    const reduce = o.batchReduce === 'mean' ? 1 / batch : 1;
    for (let l = 0; l <= last; l++) {
      const L = this.shapes[l];
      const amine = this.layerStep[l] * this.lrScale * reduce;
      for (let b = 0; b < batch; b++) net.rowScale[b] = amine * net.error[b];
      const g = net.grad[l];
      if (l === last && o.output === 'softmax') {
        // Linear output unit: its derivative is 1.
        for (let b = 0; b < batch; b++) g[b] = net.rowScale[b] * s.outSign[l][0];
      } else be.sigmoidGrad(g, net.act[l], net.rowScale, s.outSign[l], batch, L.out);
      const w = net.w[l];
      const wInh = w.subarray(L.srcExc * L.out);
      if (l === 0 && !dense) {
        be.spRankUpdate(w, s.start, s.end, index, value, g, excRows, excCount, L.out);
        be.spRankUpdate(wInh, s.start, s.end, index, value, g, inhRows, inhCount, L.out);
      } else {
        const src = l === 0 ? s.xDense : net.act[l - 1];
        const ldz = L.paired ? L.srcExc : L.srcExc + L.srcInh;
        be.rankUpdate(w, src, g, excRows, excCount, L.srcExc, L.out, ldz, 0);
        be.rankUpdate(wInh, src, g, inhRows, inhCount, L.srcInh, L.out, ldz, L.paired ? 0 : L.srcExc);
      }
      const bias = net.bias[l];
      be.rankUpdate(bias, s.betaColumn, g, excRows, excCount, 1, L.out, 1, 0);
      be.rankUpdate(bias.subarray(L.out), s.betaColumn, g, inhRows, inhCount, 1, L.out, 1, 0);
      if (weaken) {
        // Weakening stops at zero: a synapse keeps its sign.
        clampToSign(w, L.srcExc, L.out, s.outSign[l], 1);
        clampToSign(bias, 1, L.out, s.outSign[l], 1);
      }
      if (o.connectivity < 1) multiplyInPlace(w, net.mask[l]);
      if (L.paired && !dense && plain && this.batchNonZero(net.anyRows, nAny) < L.srcExc) {
        // A small sparse batch (online learning) touches few input rows: add its update to W⁺ + W⁻ directly
        // (each sample changed exactly one family by Σ x·g) instead of re-adding all N rows.
        be.spRankUpdate(net.weff, s.start, s.end, index, value, g, net.anyRows, nAny, L.out);
      } else this.refreshForwardWeights(k, l);
    }
  }

  /** Non-zero inputs in the given rows of the loaded batch. */
  private batchNonZero(rows: Int32Array, count: number): number {
    let n = 0;
    for (let c = 0; c < count; c++) n += this.shared.end[rows[c]] - this.shared.start[rows[c]];
    return n;
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
    if (L.paired) this.backend.add(net.weff, forward, forward.subarray(n), n);
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
  private layout(c: Carver): { nets: EdNetworkView[]; shared: BatchState } {
    const B = this.maxBatch;
    const shared: BatchState = {
      outSign: this.shapes.map((L) => c.float32(L.out)),
      betaColumn: c.float32(B),
      allRows: c.int32(B),
      start: c.int32(B),
      end: c.int32(B),
      labels: c.int32(B),
      xDense: c.float32(B * this.inputs),
    };
    const nets: EdNetworkView[] = [];
    for (let k = 0; k < this.networks; k++) {
      nets.push({
        w: this.shapes.map((L) => c.float32((L.srcExc + L.srcInh) * L.out)),
        bias: this.shapes.map((L) => c.float32(2 * L.out)),
        weff: c.float32(this.inputs * this.shapes[0].out),
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
