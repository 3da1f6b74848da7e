/**
 * Kaneko's ED method (Error Diffusion learning). The derivation, and which symbol is which identifier, are in
 * docs/ed-method.md; the spec is shared/docs/ed-spec.md.
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
 * one allocation (see layout()), so a range of networks can be trained by another thread on shared memory.
 * Inputs arrive as sparse rows; the first layer uses sparse kernels unless the batch is dense enough.
 */
import type { Backend } from '../kernels/backend.js';
import { Carver } from '../kernels/carve.js';
import type { Random } from '../random.js';
import { type EdOptions, updateDivisor, validateEdOptions } from './ed-options.js';
import { argmaxRow, type LearnStats, type Rule, type SampleBatch } from './rule.js';

/** Above this fraction of non-zero inputs, the first layer runs dense kernels (measured: bench/kernels). */
export const DENSE_ABOVE = 0.5;

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
  /** Paired input layer: W⁺ + W⁻, (N, out). */
  weff: Float32Array;
  act: Float32Array[];
  grad: Float32Array[];
  biasEff: Float32Array[];
  error: Float32Array;
  rowScale: Float32Array;
  posRows: Int32Array;
  negRows: Int32Array;
}

interface Shared {
  outSign: Float32Array[];
  betaColumn: Float32Array;
  allRows: Int32Array;
  start: Int32Array;
  end: Int32Array;
  labels: Int32Array;
  xDense: Float32Array;
}

/** What a worker thread needs to attach to a classifier living in shared memory. */
export interface EdAttachment {
  options: EdOptions;
  inputs: number;
  classes: number;
  maxBatch: number;
  floatOffset: number;
  floatLength: number;
  intOffset: number;
  intLength: number;
}

/** Runs step(k) for every network k in [0, count), possibly on several threads; returns when all are done. */
export type NetworkRunner = (op: 'learn' | 'predict', count: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array) => void;

export function edLayerShapes(o: EdOptions, inputs: number): EdLayerShape[] {
  const hiddenExc = o.firstHidden === 'inhibitory' ? Math.floor(o.units / 2) : Math.ceil(o.units / 2);
  const shapes: EdLayerShape[] = [];
  let srcExc = inputs;
  let srcInh = inputs;
  for (let l = 0; l <= o.layers; l++) {
    const isOutput = l === o.layers;
    const out = isOutput ? 1 : o.units;
    const outExc = isOutput ? 1 : hiddenExc;
    shapes.push({ srcExc, srcInh, paired: l === 0, out, outExc });
    srcExc = outExc;
    srcInh = out - outExc;
  }
  return shapes;
}

/**
 * An ED classifier: one independent network per output (Kaneko). Two classes need one network (its output is
 * the probability of class 1); C > 2 classes use C one-vs-rest networks and the arg-max.
 */
export class EdClassifier implements Rule {
  readonly networks: number;
  readonly shapes: EdLayerShape[];
  readonly nets: EdNetworkView[];
  private readonly shared: Shared;
  private readonly floats: Float32Array;
  private readonly ints: Int32Array;
  private readonly scores: Float32Array;
  private readonly step: number;
  /** Set by enableThreads(): runs networks on a worker pool. */
  private runner: NetworkRunner | null = null;

  constructor(
    readonly options: EdOptions, readonly inputs: number, readonly classes: number, readonly backend: Backend,
    rng: Random | null, readonly maxBatch = 512, attach?: { floats: Float32Array; ints: Int32Array },
  ) {
    validateEdOptions(options);
    this.networks = classes === 2 ? 1 : classes;
    this.shapes = edLayerShapes(options, inputs);
    const measure = new Carver();
    this.layout(measure);
    this.floats = attach?.floats ?? backend.alloc(measure.floats);
    this.ints = attach?.ints ?? backend.allocInt(measure.ints);
    const { nets, shared } = this.layout(new Carver(this.floats, this.ints));
    this.nets = nets;
    this.shared = shared;
    this.scores = new Float32Array(maxBatch * classes);
    this.step = (options.lr / updateDivisor(options)) * (options.derivative === 'true' ? 2 / options.u0 : 1);
    if (!attach) {
      this.shapes.forEach((L, l) => shared.outSign[l].set(Array.from({ length: L.out }, (_, k) => (k < L.outExc ? 1 : -1))));
      shared.betaColumn.fill(options.beta);
      shared.allRows.set(Array.from({ length: maxBatch }, (_, i) => i));
      if (!rng) throw new Error('EdClassifier: a new classifier needs a Random for its initial weights');
      this.initWeights(rng);
    }
  }

  /** What a worker needs to attach to this classifier's memory (WebAssembly backends only). */
  attachment(): EdAttachment {
    return {
      options: this.options, inputs: this.inputs, classes: this.classes, maxBatch: this.maxBatch,
      floatOffset: this.floats.byteOffset, floatLength: this.floats.length,
      intOffset: this.ints.byteOffset, intLength: this.ints.length,
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
    this.runAll('learn', B, dense, batch.index, batch.value);
    // The output layer still holds the forward pass made before the update.
    this.writeScores(B, this.scores);
    let correct = 0;
    for (let b = 0; b < B; b++) if (argmaxRow(this.scores, b, this.classes) === batch.labels[b]) correct++;
    let absError = 0;
    for (const net of this.nets) for (let b = 0; b < B; b++) absError += Math.abs(net.error[b]);
    return { absError, correct };
  }

  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.length, 0);
  }

  parameters(): Float32Array[] {
    return this.nets.flatMap((net) => this.shapes.flatMap((_, l) => [net.w[l], net.bias[l]]));
  }

  parametersChanged(): void {
    const L = this.shapes[0];
    for (const net of this.nets) this.backend.add(net.weff, net.w[0], net.w[0].subarray(L.srcExc * L.out), L.srcExc * L.out);
  }

  /** Forward pass, error and update of network k for the batch already loaded (called per thread). */
  runNetwork(op: 'learn' | 'predict', k: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    this.forward(k, batch, dense, index, value);
    if (op === 'predict') return;
    this.computeError(k, batch);
    this.update(k, batch, dense, index, value);
  }

  private runAll(op: 'learn' | 'predict', batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    if (this.runner) this.runner(op, this.networks, batch, dense, index, value);
    else for (let k = 0; k < this.networks; k++) this.runNetwork(op, k, batch, dense, index, value);
  }

  /** Copies the batch's row offsets and labels into shared memory; densifies it when that is faster. */
  private loadBatch(batch: SampleBatch): boolean {
    const B = batch.size;
    if (B > this.maxBatch) throw new RangeError(`EdClassifier: batch of ${B} exceeds maxBatch ${this.maxBatch}`);
    const s = this.shared;
    let nonZero = 0;
    for (let b = 0; b < B; b++) {
      s.start[b] = batch.start[b];
      s.end[b] = batch.end[b];
      s.labels[b] = batch.labels[b];
      nonZero += batch.end[b] - batch.start[b];
    }
    const dense = nonZero > DENSE_ABOVE * B * this.inputs;
    if (dense) this.backend.densify(s.xDense, s.start, s.end, batch.index, batch.value, B, this.inputs);
    return dense;
  }

  private forward(k: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    const be = this.backend;
    const net = this.nets[k];
    const s = this.shared;
    const beta = this.options.beta;
    const gain = 2 / this.options.u0;
    for (let l = 0; l < this.shapes.length; l++) {
      const L = this.shapes[l];
      const act = net.act[l];
      if (l === 0 && dense) be.gemm(act, s.xDense, net.weff, batch, L.srcExc, L.out);
      else if (l === 0) be.spmm(act, s.start, s.end, index, value, net.weff, batch, L.out);
      else be.gemm(act, net.act[l - 1], net.w[l], batch, L.srcExc + L.srcInh, L.out);
      const bias = net.bias[l];
      for (let j = 0; j < L.out; j++) net.biasEff[l][j] = beta * (bias[j] + bias[L.out + j]);
      be.addRow(act, net.biasEff[l], batch, L.out);
      be.sigmoid(act, act, batch * L.out, gain);
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

  /** Applies the summed update of the batch; every layer receives the same amine (times u1 for hidden layers). */
  private update(k: number, batch: number, dense: boolean, index: Int32Array, value: Float32Array): void {
    const { backend: be, options: o } = this;
    const net = this.nets[k];
    const s = this.shared;
    let nPos = 0;
    let nNeg = 0;
    for (let b = 0; b < batch; b++) {
      if (net.error[b] > 0) net.posRows[nPos++] = b;
      else if (net.error[b] < 0) net.negRows[nNeg++] = b;
    }
    // Weight-decrement mode: both families learn from every sample (Δw = α·z·f'·s_k·e for all m).
    const excRows = o.weightDecrement ? s.allRows : net.posRows;
    const inhRows = o.weightDecrement ? s.allRows : net.negRows;
    const excCount = o.weightDecrement ? batch : nPos;
    const inhCount = o.weightDecrement ? batch : nNeg;
    const last = this.shapes.length - 1;
    for (let l = 0; l <= last; l++) {
      const L = this.shapes[l];
      const amine = l === last ? this.step : this.step * o.u1;
      for (let b = 0; b < batch; b++) net.rowScale[b] = amine * net.error[b];
      const g = net.grad[l];
      be.sigmoidGrad(g, net.act[l], net.rowScale, s.outSign[l], batch, L.out);
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
      if (L.paired) be.add(net.weff, w, wInh, L.srcExc * L.out);
    }
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
  }

  /** |w| ~ U[0, range) with the sign s_m·s_k, network by network in storage order. */
  private initWeights(rng: Random): void {
    const o = this.options;
    const range = o.initPerUnit ? o.initMax / o.units : o.initMax;
    for (let k = 0; k < this.networks; k++) {
      const r = rng.fork(k);
      const net = this.nets[k];
      this.shapes.forEach((L, l) => {
        const sign = this.shared.outSign[l];
        const fill = (w: Float32Array, excRows: number) => {
          for (let i = 0; i < w.length; i++) {
            const srcSign = Math.floor(i / L.out) < excRows ? 1 : -1;
            w[i] = srcSign * sign[i % L.out] * r.next() * range;
          }
        };
        fill(net.w[l], L.srcExc);
        fill(net.bias[l], 1);
        if (L.paired) this.backend.add(net.weff, net.w[l], net.w[l].subarray(L.srcExc * L.out), L.srcExc * L.out);
      });
    }
  }

  /** The fixed order of every array; measuring and carving both run through here. */
  private layout(c: Carver): { nets: EdNetworkView[]; shared: Shared } {
    const B = this.maxBatch;
    const shared: Shared = {
      outSign: this.shapes.map((L) => c.f(L.out)),
      betaColumn: c.f(B),
      allRows: c.i(B),
      start: c.i(B),
      end: c.i(B),
      labels: c.i(B),
      xDense: c.f(B * this.inputs),
    };
    const nets: EdNetworkView[] = [];
    for (let k = 0; k < this.networks; k++) {
      nets.push({
        w: this.shapes.map((L) => c.f((L.srcExc + L.srcInh) * L.out)),
        bias: this.shapes.map((L) => c.f(2 * L.out)),
        weff: c.f(this.inputs * this.shapes[0].out),
        act: this.shapes.map((L) => c.f(B * L.out)),
        grad: this.shapes.map((L) => c.f(B * L.out)),
        biasEff: this.shapes.map((L) => c.f(L.out)),
        error: c.f(B),
        rowScale: c.f(B),
        posRows: c.i(B),
        negRows: c.i(B),
      });
    }
    return { nets, shared };
  }
}
