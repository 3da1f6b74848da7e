/**
 * Small array transforms behind the ED rule's options (docs/ed-method.md, "Options"): RMS normalisation, sign
 * clamping for 'weaken-excitatory', connectivity masks, ternary forward weights. Plain loops: they touch each
 * weight once per batch, far less than the kernels do.
 */

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
  out: Float32Array, w: Float32Array, excRows: number, n: number, outSign: Float32Array,
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
