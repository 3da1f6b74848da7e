/**
 * connectivity < 1 on the stacked layout. After an update, the weights a mask cuts must be 0 again; each sample
 * changed one family by what it added to W⁺ + W⁻, so only that family's cut weights on the input rows the sample
 * touched moved: W⁺ learned → those W⁺ are set to 0 and the sum to W⁻ = (W⁺ + W⁻) − W⁺; W⁻ learned → the sum is
 * set back to W⁺. The cut columns of each row are listed once (maskCuts), so the work is the cut weights of the
 * touched rows, with no branch on the mask per weight. This gives the per-network layout's weights
 * (maskTouchedRows) within the float rounding of the derived W⁻.
 */

/** A batch's sparse rows: sample b's non-zero inputs are index[start[b] … end[b]). */
interface SparseSamples {
  start: Int32Array;
  end: Int32Array;
  index: Int32Array;
}

/** Per input row i, the columns the mask cuts: cols[start[i] … start[i + 1]), for W⁺ (plus) and W⁻ (minus). */
interface MaskCuts {
  plus: { start: Int32Array; cols: Int32Array };
  minus: { start: Int32Array; cols: Int32Array };
}

/** The cut columns of an input layer's mask, (2N, H): row i for W⁺ of input i, row N + i for its W⁻. */
function maskCuts(mask: Float32Array, inputs: number, H: number): MaskCuts {
  const family = (offset: number) => {
    const start = new Int32Array(inputs + 1);
    const cols: number[] = [];
    for (let i = 0; i < inputs; i++) {
      for (let j = 0; j < H; j++) if (mask[(offset + i) * H + j] === 0) cols.push(j);
      start[i + 1] = cols.length;
    }
    return { start, cols: Int32Array.from(cols) };
  };
  return { plus: family(0), minus: family(inputs) };
}

/**
 * Sample b of v changed W⁺ (plusLearned) or W⁻ by what it added to the sum (sum and plus: rows `ld` apart): the
 * cut weights of that family on the rows it touched back to 0.
 */
function cutTouchedRows(
  sum: Float32Array,
  plus: Float32Array,
  ld: number,
  cuts: MaskCuts,
  v: SparseSamples,
  b: number,
  plusLearned: boolean,
): void {
  const { start, cols } = plusLearned ? cuts.plus : cuts.minus;
  for (let p = v.start[b]; p < v.end[b]; p++) {
    const i = v.index[p];
    const row = i * ld;
    if (plusLearned) {
      for (let c = start[i]; c < start[i + 1]; c++) {
        const at = row + cols[c];
        sum[at] -= plus[at];
        plus[at] = 0;
      }
    } else for (let c = start[i]; c < start[i + 1]; c++) sum[row + cols[c]] = plus[row + cols[c]];
  }
}

/** Each network's cut columns, listed once; sum and plus are network k's stacked columns, rows `ld` apart. */
export class StackedMasks {
  private readonly cuts: MaskCuts[];

  /** `nets[k].mask[0]`: network k's input layer mask. */
  constructor(nets: { mask: Float32Array[] }[], inputs: number, H: number) {
    this.cuts = nets.map((net) => maskCuts(net.mask[0], inputs, H));
  }

  /** Sample b of v changed network k's W⁺ (plusLearned) or W⁻. */
  sample(
    k: number,
    sum: Float32Array,
    plus: Float32Array,
    ld: number,
    v: SparseSamples,
    b: number,
    plusLearned: boolean,
  ) {
    cutTouchedRows(sum, plus, ld, this.cuts[k], v, b, plusLearned);
  }

  /** Network k learned a batch: W⁺ from the samples `exc`, W⁻ from `inh`. */
  batch(k: number, sum: Float32Array, plus: Float32Array, ld: number, v: SparseSamples, r: FamilyRows): void {
    for (let c = 0; c < r.nExc; c++) cutTouchedRows(sum, plus, ld, this.cuts[k], v, r.exc[c], true);
    for (let c = 0; c < r.nInh; c++) cutTouchedRows(sum, plus, ld, this.cuts[k], v, r.inh[c], false);
  }
}

interface FamilyRows {
  exc: Int32Array;
  nExc: number;
  inh: Int32Array;
  nInh: number;
}
