/**
 * The dense and sparse operations the learning rules need, as one small interface. A rule calls only these;
 * which implementation runs (plain TypeScript reference, WebAssembly SIMD or relaxed SIMD) is chosen once at
 * start-up.
 *
 * Conventions (llm.c style): output first, then inputs, then sizes. Every matrix is a flat row-major
 * Float32Array; "a is (m,k)" means m rows of k floats. A sparse batch of m rows is given as start/end offsets
 * into index/value arrays: row i has value[q] at column index[q] for q in start[i] .. end[i).
 * Kernels never allocate, print or know what a network is. Arrays passed to a backend's kernels must come from
 * that backend's alloc/allocInt (for WebAssembly they are views into its memory; no copies are made).
 */
/** The kernel sets, fastest first; 'auto' picks the fastest this runtime accepts, 'wasm' the best WebAssembly one. */
export const BACKEND_NAMES = ['wasm-relaxed-simd', 'wasm-simd', 'reference'] as const;
export const BACKEND_CHOICES = ['auto', 'wasm', ...BACKEND_NAMES] as const;
export type BackendName = (typeof BACKEND_CHOICES)[number];

export interface Backend {
  /** Name recorded in every log: "reference", "wasm-simd", "wasm-relaxed-simd". */
  readonly name: string;
  /** The WebAssembly memory behind alloc, when there is one (shared with worker threads). */
  readonly memory?: WebAssembly.Memory;

  /** Zero-filled arrays the kernels accept. */
  alloc(length: number): Float32Array;
  allocInt(length: number): Int32Array;

  /** out (m,n) = a (m,k) · b (k,n). */
  gemm(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void;

  /**
   * out (m,n) = X · the first n columns of b, X's m rows sparse; only the non-zero inputs are read. b's rows are
   * ldb floats apart (default n: b is (k,n)); the stacked ED first layer (K networks side by side, one row of K·H
   * weights per input) passes ldb = K·H and b from the first column wanted (network k: k·H).
   */
  spmm(
    out: Float32Array,
    start: Int32Array,
    end: Int32Array,
    index: Int32Array,
    value: Float32Array,
    b: Float32Array,
    m: number,
    n: number,
    ldb?: number,
  ): void;

  /**
   * The rank-B weight update over a subset of a batch:
   *   w (k,n) += Σ_{c < count} z[rows[c], zOff .. zOff+k)ᵀ · g[rows[c], 0..n)
   * z is (B, ldz) and g is (B, n). `rows` selects the samples (one sign family of the ED rule), `zOff` the columns
   * of the source units of that family.
   */
  rankUpdate(
    w: Float32Array,
    z: Float32Array,
    g: Float32Array,
    rows: Int32Array,
    count: number,
    k: number,
    n: number,
    ldz: number,
    zOff: number,
  ): void;

  /**
   * The same update with sparse sources: w[index[q]·ldw + 0..n) += value[q] · g[r, 0..n) for each selected row r;
   * w's rows are ldw floats apart (default n), as spmm's b.
   */
  spRankUpdate(
    w: Float32Array,
    start: Int32Array,
    end: Int32Array,
    index: Int32Array,
    value: Float32Array,
    g: Float32Array,
    rows: Int32Array,
    count: number,
    n: number,
    ldw?: number,
  ): void;

  /**
   * One online step of a sparse layer and the next sample's sums: sample r's update w[index[q]·ldw + 0..n) +=
   * value[q] · g[0..n) (q in start[r] .. end[r)), then out (n) = sample s's sums over the updated weights,
   * Σ value[q] · w[index[q]·ldw + 0..n) (q in start[s] .. end[s)). The same as spRankUpdate of r then spmm of s;
   * a fast backend walks the two samples' rows together, reading a row they share once.
   */
  spUpdateForward(
    out: Float32Array,
    w: Float32Array,
    start: Int32Array,
    end: Int32Array,
    index: Int32Array,
    value: Float32Array,
    g: Float32Array,
    r: number,
    s: number,
    n: number,
    ldw?: number,
  ): void;

  /**
   * m one-output layers at once: out[i] = row i of a · row i of b (k floats each, rows lda and ldb apart), each
   * summed as gemm sums a one-column output.
   */
  rowDots(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, lda: number, ldb: number): void;

  /**
   * Their updates: row i of w (k floats, rows ldw apart) += s[i] · row i of a (rows lda apart), as rankUpdate does one
   * column; rows with s[i] = 0 unchanged.
   */
  rowsAxpy(w: Float32Array, a: Float32Array, s: Float32Array, m: number, k: number, ldw: number, lda: number): void;

  /** out (m,n) = a (m,k) · b (n,k)ᵀ. */
  gemmBT(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void;

  /**
   * One Adam step (Keras 3): m += (g − m)(1 − β1); v += (g² − v)(1 − β2); w −= alpha · m / (√v + ε), with
   * alpha = lr · √(1 − β2^t) / (1 − β1^t) computed by the caller.
   */
  adam(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    len: number,
    alpha: number,
    beta1: number,
    beta2: number,
    epsilon: number,
  ): void;

  /** out (m,n) += v (n), broadcast over rows. */
  addRow(out: Float32Array, v: Float32Array, m: number, n: number): void;

  /** out (len) = a + b. */
  add(out: Float32Array, a: Float32Array, b: Float32Array, len: number): void;

  /** out (len) = 1 / (1 + exp(−gain · x)), numerically stable for any |x|. */
  sigmoid(out: Float32Array, x: Float32Array, len: number, gain: number): void;

  /** out (m,n) = rowScale[i] · colScale[j] · y (1 − y), the ED update factor of each unit for each sample. */
  sigmoidGrad(
    out: Float32Array,
    y: Float32Array,
    rowScale: Float32Array,
    colScale: Float32Array,
    m: number,
    n: number,
  ): void;

  /** out (m,n) = the m sparse rows written densely. */
  densify(
    out: Float32Array,
    start: Int32Array,
    end: Int32Array,
    index: Int32Array,
    value: Float32Array,
    m: number,
    n: number,
  ): void;

  /**
   * Optional, WebAssembly only: a plain ED network learns batches [u0, u1) of a sequence in one call, the same
   * kernel calls and float operations as the rule makes one by one (assembly/kernels.ts, edLearn; its plan words
   * are written by src/engine/ed-plan.ts). Without it, the rule's own calls are the path (and the definition).
   */
  edLearn?(
    plan: Int32Array,
    seq: FusedSequence,
    u0: number,
    u1: number,
    k: number,
    single: boolean,
    gain: number,
  ): void;

  /**
   * Optional, WebAssembly only: networks [from, to) of a stacked classifier (one band, one hidden layer) learn a
   * whole sequence online in one call, the same kernel calls and float operations as its JavaScript path
   * (src/engine/ed-stacked.ts, learnOnlineStacked; its plan words are written by src/engine/ed-plan.ts).
   */
  edLearnStacked?(plan: Int32Array, from: number, to: number, seq: Omit<FusedSequence, 'mean'>, gain: number): void;
}

/** A sequence as edLearn reads it: `size` samples, `batch` per update; outputs/errors are (networks, size). */
export interface FusedSequence {
  size: number;
  batch: number;
  /** Whether an update is the batch's mean (else its sum). */
  mean: boolean;
  start: Int32Array;
  end: Int32Array;
  labels: Int32Array;
  index: Int32Array;
  value: Float32Array;
  outputs: Float32Array;
  errors: Float32Array;
  /** One network only, if given: each batch's Σ |e| and right answers, two f64s per batch. */
  stats?: Float64Array;
}
