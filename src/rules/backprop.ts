/**
 * Backpropagation baseline: a plain multi-layer perceptron on the same kernels as ED, set up like the article's
 * Keras models — Dense layers with Glorot-uniform weights and zero biases, sigmoid or ReLU hidden units, a sigmoid
 * output with binary cross-entropy (or MSE) for two classes (or a linear output with the Huber loss, for values),
 * softmax with cross-entropy for more, and Adam with
 * Keras's defaults (lr 0.001, β1 0.9, β2 0.999, ε 1e-7) or plain SGD. Losses are means over the batch, as in Keras.
 */
import type { Backend } from '../kernels/backend.js';
import type { Random } from '../random.js';
import { type BackpropOptions, validateBackpropOptions } from '../options/backprop.js';
import { argmaxRow, type LearnStats, loadBatch, type Rule, type SampleBatch } from './rule.js';

interface Layer {
  inputs: number;
  out: number;
  w: Float32Array; // (inputs, out)
  b: Float32Array; // (out)
  gw: Float32Array;
  gb: Float32Array;
  /** Adam moments of w and b. */
  mw: Float32Array;
  vw: Float32Array;
  mb: Float32Array;
  vb: Float32Array;
  act: Float32Array; // (maxBatch, out): activations after the non-linearity
  delta: Float32Array; // (maxBatch, out): dL/d(pre-activation)
}

/** Lengths of the arrays parameters() returns ([w, b] per layer), computed without allocating. */
export function backpropParameterShapes(o: BackpropOptions, inputs: number, classes: number): number[] {
  const outputs = classes === 2 ? 1 : classes;
  const shapes: number[] = [];
  let fanIn = inputs;
  for (let l = 0; l <= o.layers; l++) {
    const out = l === o.layers ? outputs : o.units;
    shapes.push(fanIn * out, out);
    fanIn = out;
  }
  return shapes;
}

export class BackpropClassifier implements Rule {
  readonly layers: Layer[] = [];
  private readonly outputs: number;
  private readonly allRows: Int32Array;
  private readonly ones: Float32Array;
  readonly xDense: Float32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  private readonly scores: Float32Array;
  private steps = 0;
  /** The RL agents' α schedule (setLearningRateScale); 1 otherwise. */
  private lrScale = 1;

  constructor(
    readonly options: BackpropOptions,
    readonly inputs: number,
    readonly classes: number,
    readonly backend: Backend,
    rng: Random,
    readonly maxBatch = 512,
  ) {
    validateBackpropOptions(options);
    this.outputs = classes === 2 ? 1 : classes;
    const be = backend;
    let fanIn = inputs;
    for (let l = 0; l <= options.layers; l++) {
      const out = l === options.layers ? this.outputs : options.units;
      const layer: Layer = {
        inputs: fanIn,
        out,
        w: be.alloc(fanIn * out),
        b: be.alloc(out),
        gw: be.alloc(fanIn * out),
        gb: be.alloc(out),
        mw: be.alloc(fanIn * out),
        vw: be.alloc(fanIn * out),
        mb: be.alloc(out),
        vb: be.alloc(out),
        act: be.alloc(maxBatch * out),
        delta: be.alloc(maxBatch * out),
      };
      // Keras Dense: Glorot uniform, limit √(6 / (fan_in + fan_out)); biases zero.
      const limit = Math.sqrt(6 / (fanIn + out));
      for (let i = 0; i < layer.w.length; i++) layer.w[i] = (rng.next() * 2 - 1) * limit;
      this.layers.push(layer);
      fanIn = out;
    }
    this.allRows = be.allocInt(maxBatch);
    this.allRows.set(Array.from({ length: maxBatch }, (_, i) => i));
    this.ones = be.alloc(maxBatch).fill(1);
    this.xDense = be.alloc(maxBatch * inputs);
    this.start = be.allocInt(maxBatch);
    this.end = be.allocInt(maxBatch);
    this.scores = new Float32Array(maxBatch * classes);
  }

  predict(batch: SampleBatch, scores: Float32Array): void {
    this.forward(batch, this.loadBatch(batch));
    this.writeScores(batch.size, scores);
  }

  learn(batch: SampleBatch): LearnStats {
    const B = batch.size;
    const dense = this.loadBatch(batch);
    this.forward(batch, dense);
    this.writeScores(B, this.scores);
    let correct = 0;
    let absError = 0;
    const C = this.classes;
    for (let b = 0; b < B; b++) {
      if (argmaxRow(this.scores, b, C) === batch.labels[b]) correct++;
      if (this.outputs === 1) absError += Math.abs(batch.labels[b] - this.scores[b * C + 1]);
      else for (let k = 0; k < C; k++) absError += Math.abs((batch.labels[b] === k ? 1 : 0) - this.scores[b * C + k]);
    }
    this.outputDelta(batch);
    this.backward(batch, dense);
    this.step();
    return { absError, correct };
  }

  /** Mean loss of the batch (for the gradient check and logs). */
  loss(batch: SampleBatch): number {
    this.forward(batch, this.loadBatch(batch));
    const y = this.layers[this.layers.length - 1].act;
    const B = batch.size;
    let sum = 0;
    for (let b = 0; b < B; b++) {
      const t = batch.labels[b];
      if (this.outputs > 1) sum -= Math.log(Math.max(y[b * this.outputs + t], 1e-30));
      else if (this.options.loss === 'mse') sum += (t - y[b]) ** 2;
      else if (this.options.loss === 'huber')
        sum += Math.abs(t - y[b]) <= 1 ? 0.5 * (t - y[b]) ** 2 : Math.abs(t - y[b]) - 0.5;
      else sum -= t ? Math.log(Math.max(y[b], 1e-30)) : Math.log(Math.max(1 - y[b], 1e-30));
    }
    return sum / B;
  }

  /** Computes the gradients of the mean loss into each layer's gw/gb without updating (for the gradient check). */
  gradients(batch: SampleBatch): void {
    const dense = this.loadBatch(batch);
    this.forward(batch, dense);
    this.outputDelta(batch);
    this.backward(batch, dense);
  }

  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.length, 0);
  }

  parameters(): Float32Array[] {
    return this.layers.flatMap((L) => [L.w, L.b]);
  }

  parametersChanged(): void {}

  private loadBatch(batch: SampleBatch): boolean {
    return loadBatch(this.backend, batch, this, this.inputs, this.maxBatch);
  }

  private forward(batch: SampleBatch, dense: boolean): void {
    const be = this.backend;
    const B = batch.size;
    const last = this.layers.length - 1;
    this.layers.forEach((L, l) => {
      if (l === 0 && dense) be.gemm(L.act, this.xDense, L.w, B, L.inputs, L.out);
      else if (l === 0) be.spmm(L.act, this.start, this.end, batch.index, batch.value, L.w, B, L.out);
      else be.gemm(L.act, this.layers[l - 1].act, L.w, B, L.inputs, L.out);
      be.addRow(L.act, L.b, B, L.out);
      const n = B * L.out;
      if (l === last) {
        // Huber: a linear output (a value, not a probability); otherwise a sigmoid.
        if (this.outputs > 1) softmaxRows(L.act, B, L.out);
        else if (this.options.loss !== 'huber') be.sigmoid(L.act, L.act, n, 1);
      } else if (this.options.activation === 'sigmoid') be.sigmoid(L.act, L.act, n, 1);
      else for (let i = 0; i < n; i++) if (L.act[i] < 0) L.act[i] = 0;
    });
  }

  /** dL/d(output pre-activation) of the mean loss. */
  private outputDelta(batch: SampleBatch): void {
    const L = this.layers[this.layers.length - 1];
    const B = batch.size;
    const K = this.outputs;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        const y = L.act[b * K + k];
        const t = K === 1 ? batch.labels[b] : batch.labels[b] === k ? 1 : 0;
        // Sigmoid + BCE and softmax + CE both give y − t; MSE through a sigmoid adds 2·y(1 − y); Huber on a
        // linear output is y − t clipped to ±1.
        const huber = K === 1 && this.options.loss === 'huber';
        const d =
          K === 1 && this.options.loss === 'mse'
            ? 2 * (y - t) * y * (1 - y)
            : huber
              ? Math.max(-1, Math.min(1, y - t))
              : y - t;
        L.delta[b * K + k] = d / B;
      }
    }
  }

  private backward(batch: SampleBatch, dense: boolean): void {
    const be = this.backend;
    const B = batch.size;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l];
      L.gw.fill(0);
      L.gb.fill(0);
      if (l === 0 && !dense)
        be.spRankUpdate(L.gw, this.start, this.end, batch.index, batch.value, L.delta, this.allRows, B, L.out);
      else
        be.rankUpdate(
          L.gw,
          l === 0 ? this.xDense : this.layers[l - 1].act,
          L.delta,
          this.allRows,
          B,
          L.inputs,
          L.out,
          L.inputs,
          0,
        );
      be.rankUpdate(L.gb, this.ones, L.delta, this.allRows, B, 1, L.out, 1, 0);
      if (l === 0) break;
      const below = this.layers[l - 1];
      be.gemmBT(below.delta, L.delta, L.w, B, L.out, L.inputs);
      const n = B * below.out;
      const a = below.act;
      if (this.options.activation === 'sigmoid') for (let i = 0; i < n; i++) below.delta[i] *= a[i] * (1 - a[i]);
      else for (let i = 0; i < n; i++) if (a[i] <= 0) below.delta[i] = 0;
    }
  }

  /** Scales the step size from now on (the RL agents' α schedules). */
  setLearningRateScale(scale: number): void {
    this.lrScale = scale;
  }

  private step(): void {
    const o = this.options;
    this.steps++;
    if (o.optimizer === 'adam') {
      const alpha = (this.lrScale * o.lr * Math.sqrt(1 - o.beta2 ** this.steps)) / (1 - o.beta1 ** this.steps);
      for (const L of this.layers) {
        this.backend.adam(L.w, L.gw, L.mw, L.vw, L.w.length, alpha, o.beta1, o.beta2, o.epsilon);
        this.backend.adam(L.b, L.gb, L.mb, L.vb, L.b.length, alpha, o.beta1, o.beta2, o.epsilon);
      }
      return;
    }
    for (const L of this.layers) {
      for (let i = 0; i < L.w.length; i++) L.w[i] -= this.lrScale * o.lr * L.gw[i];
      for (let i = 0; i < L.b.length; i++) L.b[i] -= this.lrScale * o.lr * L.gb[i];
    }
  }

  private writeScores(batch: number, scores: Float32Array): void {
    const y = this.layers[this.layers.length - 1].act;
    const C = this.classes;
    for (let b = 0; b < batch; b++) {
      if (this.outputs === 1) {
        scores[b * C] = 1 - y[b];
        scores[b * C + 1] = y[b];
      } else for (let k = 0; k < C; k++) scores[b * C + k] = y[b * C + k];
    }
  }
}

/** Row-wise softmax in place, shifted by the row maximum so exp never overflows. */
function softmaxRows(x: Float32Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, x[r * n + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(x[r * n + j] - max);
      x[r * n + j] = e;
      sum += e;
    }
    for (let j = 0; j < n; j++) x[r * n + j] /= sum;
  }
}
