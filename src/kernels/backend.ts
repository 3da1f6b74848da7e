/**
 * The dense operations the learning rules need, as one small interface. A rule calls only these; which
 * implementation runs (plain TypeScript reference, WebAssembly SIMD, threads) is chosen once at start-up.
 *
 * Conventions (llm.c style): output first, then inputs, then sizes. Every matrix is a flat row-major
 * Float32Array; "a is (m,k)" means m rows of k floats. Kernels never allocate, print or know what a network is.
 */
export interface Backend {
  /** Name recorded in every log: "reference", "wasm-simd", ... */
  readonly name: string;

  /** out (m,n) = a (m,k) · b (k,n). */
  gemm(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void;

  /**
   * The rank-B weight update over a subset of a batch:
   *   w (k,n) += Σ_{r in rows[0..count)} z[r, zOff .. zOff+k)ᵀ · g[r, 0..n)
   * z is (B, ldz) and g is (B, n). `rows` selects the samples (one sign family of the ED rule), `zOff` the columns
   * of the source units of that family.
   */
  rankUpdate(
    w: Float32Array, z: Float32Array, g: Float32Array, rows: Int32Array, count: number,
    k: number, n: number, ldz: number, zOff: number,
  ): void;

  /** out (m,n) += v (n), broadcast over rows. */
  addRow(out: Float32Array, v: Float32Array, m: number, n: number): void;

  /** out (len) = a + b. */
  add(out: Float32Array, a: Float32Array, b: Float32Array, len: number): void;

  /** out (len) = 1 / (1 + exp(−gain · x)), numerically stable for any |x|. */
  sigmoid(out: Float32Array, x: Float32Array, len: number, gain: number): void;

  /** out (m,n) = rowScale[i] · colScale[j] · y (1 − y), the ED update factor of each unit for each sample. */
  sigmoidGrad(
    out: Float32Array, y: Float32Array, rowScale: Float32Array, colScale: Float32Array, m: number, n: number,
  ): void;
}
