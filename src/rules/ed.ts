/**
 * Kaneko's ED method (Error Diffusion learning). The derivation, and which symbol is which identifier, are in
 * docs/ed-method.md; the spec is shared/docs/ed-spec.md.
 *
 * One EdNetwork per output. Every unit is excitatory (+1) or inhibitory (−1); the weight from unit m to unit k
 * always has the sign s_m·s_k. The output error e = t − y is broadcast to every layer as the amine d⁺ = max(e, 0),
 * d⁻ = max(−e, 0), and each weight moves by
 *     Δw_km = α · z_m · f'(y_k) · s_k · e     but only when s_m = sign(e)
 * (d⁺ feeds the synapses from excitatory sources, d⁻ those from inhibitory ones), which always grows |w|.
 *
 * Storage, per layer: source units are ordered [excitatory family, inhibitory family], so the update of one sign
 * family is one rank-B product over one block of rows. The input layer is "paired": each pixel x_i is both an
 * excitatory and an inhibitory source with the same value, so the forward pass uses Weff = W⁺ + W⁻ (N rows, not
 * 2N). Each layer also has two bias sources of value β, one per family.
 */
import type { Backend } from '../kernels/backend.js';
import type { Random } from '../random.js';
import { type EdOptions, updateDivisor, validateEdOptions } from './ed-options.js';
import { argmaxRow, type LearnStats, type Rule } from './rule.js';

interface EdLayer {
  /** Source units per family; equal for the paired input layer. */
  srcExc: number;
  srcInh: number;
  /** Paired input layer: both families read the same N values. */
  paired: boolean;
  /** Units in this layer; the first `outExc` are excitatory. */
  out: number;
  outExc: number;
  /** s_k per unit (+1 / −1). */
  outSign: Float32Array;
  /** Weights ((srcExc + srcInh), out): excitatory-source rows first. */
  w: Float32Array;
  /** Bias weights (2, out): row 0 from the excitatory bias unit, row 1 from the inhibitory one. */
  bias: Float32Array;
  /** Paired layer only: W⁺ + W⁻, (N, out). */
  weff: Float32Array | null;
}

export class EdNetwork {
  readonly layers: EdLayer[] = [];
  private capacity = 0;
  private act: Float32Array[] = [];
  private grad = new Float32Array(0);
  private rowScale = new Float32Array(0);
  private betaColumn = new Float32Array(0);
  private posRows = new Int32Array(0);
  private negRows = new Int32Array(0);
  private allRows = new Int32Array(0);
  private biasEff = new Float32Array(0);

  constructor(readonly options: EdOptions, readonly inputs: number, private readonly backend: Backend, rng: Random) {
    const o = options;
    const hiddenExc = o.firstHidden === 'inhibitory' ? Math.floor(o.units / 2) : Math.ceil(o.units / 2);
    const initRange = o.initPerUnit ? o.initMax / o.units : o.initMax;
    let srcExc = inputs;
    let srcInh = inputs;
    for (let l = 0; l <= o.layers; l++) {
      const isOutput = l === o.layers;
      const out = isOutput ? 1 : o.units;
      const outExc = isOutput ? 1 : hiddenExc;
      const layer: EdLayer = {
        srcExc, srcInh, paired: l === 0, out, outExc,
        outSign: Float32Array.from({ length: out }, (_, k) => (k < outExc ? 1 : -1)),
        w: new Float32Array((srcExc + srcInh) * out),
        bias: new Float32Array(2 * out),
        weff: l === 0 ? new Float32Array(inputs * out) : null,
      };
      initSigned(layer.w, srcExc, out, layer.outSign, initRange, rng);
      initSigned(layer.bias, 1, out, layer.outSign, initRange, rng);
      if (layer.weff) this.refreshWeff(layer);
      this.layers.push(layer);
      this.biasEff = new Float32Array(Math.max(this.biasEff.length, out));
      srcExc = outExc;
      srcInh = out - outExc;
    }
  }

  /** The network's output y (batch) for x (batch, inputs); activations are kept for learn(). */
  forward(x: Float32Array, batch: number): Float32Array {
    this.ensureCapacity(batch);
    const { backend: be } = this;
    const beta = this.options.beta;
    const gain = 2 / this.options.u0;
    let src = x;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const act = this.act[l];
      if (L.weff) be.gemm(act, src, L.weff, batch, L.srcExc, L.out);
      else be.gemm(act, src, L.w, batch, L.srcExc + L.srcInh, L.out);
      for (let k = 0; k < L.out; k++) this.biasEff[k] = beta * (L.bias[k] + L.bias[L.out + k]);
      be.addRow(act, this.biasEff, batch, L.out);
      be.sigmoid(act, act, batch * L.out, gain);
      src = act;
    }
    return this.act[this.layers.length - 1];
  }

  /**
   * Applies the summed update of a batch whose forward() has just run, given e = t − y (batch). Every layer
   * receives the same amine (times u1 for hidden layers).
   */
  learn(x: Float32Array, error: Float32Array, batch: number): void {
    const { backend: be, options: o } = this;
    let nPos = 0;
    let nNeg = 0;
    for (let b = 0; b < batch; b++) {
      if (error[b] > 0) this.posRows[nPos++] = b;
      else if (error[b] < 0) this.negRows[nNeg++] = b;
    }
    // Weight-decrement mode: both families learn from every sample (Δw = α·z·f'·s_k·e for all m).
    const excRows = o.weightDecrement ? this.allRows : this.posRows;
    const inhRows = o.weightDecrement ? this.allRows : this.negRows;
    const excCount = o.weightDecrement ? batch : nPos;
    const inhCount = o.weightDecrement ? batch : nNeg;
    const step = (o.lr / updateDivisor(o)) * (o.derivative === 'true' ? 2 / o.u0 : 1);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const L = this.layers[l];
      const amine = l === last ? step : step * o.u1;
      for (let b = 0; b < batch; b++) this.rowScale[b] = amine * error[b];
      be.sigmoidGrad(this.grad, this.act[l], this.rowScale, L.outSign, batch, L.out);
      const src = l === 0 ? x : this.act[l - 1];
      const ldz = L.paired ? L.srcExc : L.srcExc + L.srcInh;
      const inhOff = L.paired ? 0 : L.srcExc;
      const wInh = L.w.subarray(L.srcExc * L.out);
      be.rankUpdate(L.w, src, this.grad, excRows, excCount, L.srcExc, L.out, ldz, 0);
      be.rankUpdate(wInh, src, this.grad, inhRows, inhCount, L.srcInh, L.out, ldz, inhOff);
      be.rankUpdate(L.bias, this.betaColumn, this.grad, excRows, excCount, 1, L.out, 1, 0);
      be.rankUpdate(L.bias.subarray(L.out), this.betaColumn, this.grad, inhRows, inhCount, 1, L.out, 1, 0);
      if (L.weff) this.refreshWeff(L);
    }
  }

  parameterCount(): number {
    return this.layers.reduce((n, L) => n + L.w.length + L.bias.length, 0);
  }

  private refreshWeff(L: EdLayer): void {
    const n = L.srcExc * L.out;
    this.backend.add(L.weff!, L.w.subarray(0, n), L.w.subarray(n), n);
  }

  private ensureCapacity(batch: number): void {
    if (batch <= this.capacity) return;
    this.capacity = batch;
    this.act = this.layers.map((L) => new Float32Array(batch * L.out));
    const widest = Math.max(...this.layers.map((L) => L.out));
    this.grad = new Float32Array(batch * widest);
    this.rowScale = new Float32Array(batch);
    this.betaColumn = new Float32Array(batch).fill(this.options.beta);
    this.posRows = new Int32Array(batch);
    this.negRows = new Int32Array(batch);
    this.allRows = Int32Array.from({ length: batch }, (_, i) => i);
  }
}

/** |w| ~ U[0, range) with the sign s_m·s_k: the first `excRows` rows have excitatory sources. */
function initSigned(w: Float32Array, excRows: number, out: number, outSign: Float32Array, range: number, rng: Random) {
  for (let i = 0; i < w.length; i++) {
    const row = Math.floor(i / out);
    const srcSign = row < excRows ? 1 : -1;
    w[i] = srcSign * outSign[i % out] * rng.next() * range;
  }
}

/**
 * An ED classifier: one independent network per output (Kaneko). Two classes need one network (its output is
 * the probability of class 1); C > 2 classes use C one-vs-rest networks and the arg-max.
 */
export class EdClassifier implements Rule {
  readonly networks: EdNetwork[];
  private error = new Float32Array(0);
  private outputs: Float32Array[] = [];

  constructor(readonly options: EdOptions, readonly inputs: number, readonly classes: number, backend: Backend, rng: Random) {
    validateEdOptions(options);
    const count = classes === 2 ? 1 : classes;
    this.networks = Array.from({ length: count }, (_, k) => new EdNetwork(options, inputs, backend, rng.fork(k)));
  }

  predict(x: Float32Array, batch: number, scores: Float32Array): void {
    this.forwardAll(x, batch);
    this.writeScores(batch, scores);
  }

  learn(x: Float32Array, labels: ArrayLike<number>, batch: number): LearnStats {
    this.forwardAll(x, batch);
    const scores = new Float32Array(batch * this.classes);
    this.writeScores(batch, scores);
    let correct = 0;
    for (let b = 0; b < batch; b++) if (argmaxRow(scores, b, this.classes) === labels[b]) correct++;
    if (this.error.length < batch) this.error = new Float32Array(batch);
    let absError = 0;
    const single = this.networks.length === 1;
    for (let k = 0; k < this.networks.length; k++) {
      const y = this.outputs[k];
      for (let b = 0; b < batch; b++) {
        const target = single ? labels[b] : labels[b] === k ? 1 : 0;
        this.error[b] = target - y[b];
        absError += Math.abs(this.error[b]);
      }
      this.networks[k].learn(x, this.error, batch);
    }
    return { absError, correct };
  }

  parameterCount(): number {
    return this.networks.reduce((n, net) => n + net.parameterCount(), 0);
  }

  private forwardAll(x: Float32Array, batch: number): void {
    this.outputs = this.networks.map((net) => net.forward(x, batch));
  }

  private writeScores(batch: number, scores: Float32Array): void {
    const C = this.classes;
    if (this.networks.length === 1) {
      const y = this.outputs[0];
      for (let b = 0; b < batch; b++) {
        scores[b * C] = 1 - y[b];
        scores[b * C + 1] = y[b];
      }
      return;
    }
    for (let k = 0; k < C; k++) {
      const y = this.outputs[k];
      for (let b = 0; b < batch; b++) scores[b * C + k] = y[b];
    }
  }
}
