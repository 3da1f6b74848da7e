/**
 * The variants of the ED rule (docs/ed-method.md, "Options"), each chosen once when the rule is built and kept in
 * one place here: which source family learns from which sample (SOURCE_RULES), the kind of output unit
 * (OUTPUT_UNITS), and small array transforms (RMS normalisation, sign clamping, connectivity masks, ternary
 * forward weights). Plain loops: they touch each weight once per batch, far less than the kernels do.
 */
import type { EdOptions } from '../options/ed.js';
import { Random } from '../random.js';
import type { EdLayerShape } from './ed-shapes.js';

/**
 * The samples of a batch one network learns from, as rows of the batch. `pos`, `neg`, `any`: samples with e > 0,
 * e < 0, e ≠ 0 (filled per update); `all`: every sample. `exc`/`inh` are what a SourceRule picked: the rows the
 * synapses from excitatory (W⁺) and from inhibitory sources (W⁻) learn from.
 */
export interface FamilyRows {
  pos: Int32Array;
  nPos: number;
  neg: Int32Array;
  nNeg: number;
  any: Int32Array;
  nAny: number;
  all: Int32Array;
  batch: number;
  exc: Int32Array;
  nExc: number;
  inh: Int32Array;
  nInh: number;
}

/** Which source family learns from which sample: the article's open question of how to lower an output. */
export interface SourceRule {
  /** Sets r.exc/nExc and r.inh/nInh from the rows already sorted by the sign of e. */
  pick(r: FamilyRows): void;
  /** Whether the excitatory synapses stop at zero after an update (they may not change sign). */
  keepsSign: boolean;
}

export const SOURCE_RULES = {
  /** Kaneko: excitatory sources learn from the amine d⁺ (e > 0), inhibitory ones from d⁻ (e < 0); |w| only grows. */
  kaneko: {
    pick: (r) => {
      r.exc = r.pos;
      r.nExc = r.nPos;
      r.inh = r.neg;
      r.nInh = r.nNeg;
    },
    keepsSign: false,
  },
  /** Kaneko's weight-decrement mode: both families from every sample (Δw = α·z·f'·s_k·e); weights may flip. */
  decrement: {
    pick: (r) => {
      r.exc = r.all;
      r.nExc = r.batch;
      r.inh = r.all;
      r.nInh = r.batch;
    },
    keepsSign: false,
  },
  /** Lower an output by weakening excitatory synapses: that family learns from every e ≠ 0, the other never. */
  weaken: {
    pick: (r) => {
      r.exc = r.any;
      r.nExc = r.nAny;
      r.inh = r.neg;
      r.nInh = 0;
    },
    keepsSign: true,
  },
} satisfies Record<string, SourceRule>;

export function sourceRuleFor(o: EdOptions): SourceRule {
  if (o.weightDecrement) return SOURCE_RULES.decrement;
  return o.lowering === 'weaken-excitatory' ? SOURCE_RULES.weaken : SOURCE_RULES.kaneko;
}

/** The kind of output unit of every network. */
export interface OutputUnit {
  /** Linear (derivative 1) instead of the sigmoid f. */
  linear: boolean;
  /**
   * Whether the networks' errors are coupled: every network's forward pass, then every error (coupledErrors),
   * then every update; otherwise each network measures its own e = t − y.
   */
  coupled: boolean;
  /** Turns a sample's K outputs into its class scores, in place (omitted: the outputs are the scores). */
  scores?(row: Float32Array): void;
}

export const OUTPUT_UNITS = {
  /** Kaneko: a sigmoid output per network, one-vs-rest targets; the scores are the outputs. */
  sigmoid: { linear: false, coupled: false },
  /** Linear outputs coupled by a softmax: network k's amine is e_k = onehot_k − softmax_k. */
  softmax: { linear: true, coupled: true, scores: softmaxInPlace },
} satisfies Record<EdOptions['output'], OutputUnit>;

/**
 * The class scores of a batch from the K networks' outputs (batch each): one network decides two classes (its
 * output is P(class 1)); otherwise one score per class, as the output unit makes it.
 */
export function writeScores(
  outputs: Float32Array[],
  batch: number,
  scores: Float32Array,
  classes: number,
  unit: OutputUnit,
): void {
  const C = classes;
  if (outputs.length === 1) {
    const y = outputs[0];
    for (let b = 0; b < batch; b++) {
      scores[b * C] = 1 - y[b];
      scores[b * C + 1] = y[b];
    }
    return;
  }
  outputs.forEach((y, k) => {
    for (let b = 0; b < batch; b++) scores[b * C + k] = y[b];
  });
  if (unit.scores) for (let b = 0; b < batch; b++) unit.scores(scores.subarray(b * C, (b + 1) * C));
}

function softmaxInPlace(row: Float32Array): void {
  const max = Math.max(...row);
  let sum = 0;
  for (let k = 0; k < row.length; k++) sum += row[k] = Math.exp(row[k] - max);
  for (let k = 0; k < row.length; k++) row[k] /= sum;
}

/** Softmax-coupled errors of a batch: errors[k][b] = onehot_k − softmax_k over the K outputs[k][b]. */
export function softmaxErrors(
  outputs: Float32Array[],
  errors: Float32Array[],
  labels: ArrayLike<number>,
  batch: number,
): void {
  for (let b = 0; b < batch; b++) {
    let max = -Infinity;
    for (const y of outputs) max = Math.max(max, y[b]);
    let sum = 0;
    for (const y of outputs) sum += Math.exp(y[b] - max);
    outputs.forEach((y, k) => {
      errors[k][b] = (labels[b] === k ? 1 : 0) - Math.exp(y[b] - max) / sum;
    });
  }
}

/** Per sample, divides a layer's pre-activations by their root mean square (Fujita's per-layer normalisation). */
export function rmsNormalise(u: Float32Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += u[r * n + j] ** 2;
    const scale = 1 / Math.sqrt(sum / n + 1e-6);
    for (let j = 0; j < n; j++) u[r * n + j] *= scale;
  }
}

/** The first `rows` rows of w (sources of one family, sign `familySign`) may not cross zero: w·s_m·s_k ≥ 0. */
export function clampToSign(w: Float32Array, rows: number, n: number, outSign: Float32Array, familySign: number): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) if (w[r * n + j] * outSign[j] * familySign < 0) w[r * n + j] = 0;
  }
}

export function multiplyInPlace(w: Float32Array, mask: Float32Array): void {
  for (let i = 0; i < w.length; i++) w[i] *= mask[i];
}

/**
 * Ternary weights for the forward pass ("BitNet"): the fixed sign s_m·s_k where |w| / mean|w| > 0.5, else 0.
 * Rows below excRows have excitatory sources. Given `bias` (2, n) — row 0 from the excitatory bias unit — it is
 * quantised too, with the mean taken over weights and biases together: the seed author's bias units are two
 * more rows of the same matrix.
 */
export function ternarise(
  out: Float32Array,
  w: Float32Array,
  excRows: number,
  n: number,
  outSign: Float32Array,
  bias: { q: Float32Array; w: Float32Array } | null = null,
): void {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += Math.abs(w[i]);
  if (bias) for (let i = 0; i < bias.w.length; i++) sum += Math.abs(bias.w[i]);
  const threshold = 0.5 * (sum / Math.max(1, w.length + (bias?.w.length ?? 0)));
  const quantise = (q: Float32Array, v: Float32Array, exc: number) => {
    for (let i = 0; i < v.length; i++) {
      const typed = (Math.floor(i / n) < exc ? 1 : -1) * outSign[i % n];
      q[i] = Math.abs(v[i]) > threshold ? typed : 0;
    }
  };
  quantise(out, w, excRows);
  if (bias) quantise(bias.q, bias.w, 1);
}

/**
 * Fills the unit signs s_k of layer l and its units' factors in g: s_k × a fixed gain G^u, u ~ U[−1, 1) per hidden
 * unit (G = gainSpread, drawn from typeSeed so that every worker and a loaded model get the same gains); output
 * units and G = 1 (Kaneko) keep s_k alone.
 */
export function fillUnitSigns(
  shared: { outSign: Float32Array[]; unitFactor: Float32Array[] },
  o: EdOptions,
  shapes: EdLayerShape[],
  l: number,
): void {
  const L = shapes[l];
  const gains = new Random(o.typeSeed).fork(1000 + l);
  const hidden = l < shapes.length - 1 && o.gainSpread !== 1;
  for (let k = 0; k < L.out; k++) {
    shared.outSign[l][k] = k < L.outExc ? 1 : -1;
    shared.unitFactor[l][k] = shared.outSign[l][k] * (hidden ? o.gainSpread ** (2 * gains.next() - 1) : 1);
  }
}

/** A batch as sparse rows: sample b's non-zero inputs are index[start[b] … end[b]). */
interface SparseRows {
  start: Int32Array;
  end: Int32Array;
  index: Int32Array;
}

/** Non-zero inputs in the given rows of a batch. */
export function batchNonZero(v: SparseRows, rows: Int32Array, count: number): number {
  let n = 0;
  for (let c = 0; c < count; c++) n += v.end[rows[c]] - v.start[rows[c]];
  return n;
}

/**
 * connectivity < 1 after a sparse update of the input layer: the mask applied to the rows the update touched —
 * input i's row of W⁺ (row i) for the samples W⁺ learned from, of W⁻ (row N + i) for W⁻'s — instead of to the
 * whole matrix. A masked weight is 0 before the update, so this gives the same weights; a row touched twice is
 * masked twice, which changes nothing.
 */
export function maskTouchedRows(
  w: Float32Array,
  mask: Float32Array,
  v: SparseRows,
  r: FamilyRows,
  inputs: number,
  H: number,
): void {
  for (let family = 0; family < 2; family++) {
    const [samples, count, offset] = family === 0 ? [r.exc, r.nExc, 0] : [r.inh, r.nInh, inputs];
    for (let c = 0; c < count; c++) {
      const b = samples[c];
      for (let p = v.start[b]; p < v.end[b]; p++) {
        const at = (offset + v.index[p]) * H;
        for (let j = at; j < at + H; j++) if (mask[j] === 0) w[j] = 0;
      }
    }
  }
}

/** W⁺ + W⁻ of the input layer rebuilt on the rows the samples `rows` of a sparse batch touched (w is (2N, H)). */
export function refreshTouchedSums(
  weff: Float32Array,
  w: Float32Array,
  v: SparseRows,
  rows: Int32Array,
  count: number,
  inputs: number,
  H: number,
): void {
  for (let c = 0; c < count; c++) {
    const b = rows[c];
    for (let p = v.start[b]; p < v.end[b]; p++) {
      const i = v.index[p];
      for (let j = 0; j < H; j++) weff[i * H + j] = w[i * H + j] + w[(inputs + i) * H + j];
    }
  }
}
