// WebAssembly SIMD kernels for edlearn, in AssemblyScript. Same names, arguments and meaning as the plain
// TypeScript reference in src/kernels/reference.ts (the definition); the parity suite holds them together.
// Every argument that is an array is a byte pointer into the imported (shared) memory; sizes are in elements.
// Kernels never allocate: the stub runtime has no heap in use.

// Fused multiply-add when built with relaxed SIMD, multiply then add otherwise: c + a·b.
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// The same for one lane, so that a column left over from the vector blocks is computed exactly as the lanes are.
// @ts-ignore: decorator
@inline function scalarMadd(a: f32, b: f32, c: f32): f32 {
  return f32x4.extract_lane(madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
}

// @ts-ignore: decorator
@inline function f32At(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function addr(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/**
 * The four-column blocks of a sparse forward pass, from column j on: o[j..] = Σ_q value[q] · b[index[q]·ld + j..];
 * returns the first column left (fewer than four remain).
 */
// @ts-ignore: decorator
@inline function forwardBy4(o: usize, b: usize, index: usize, value: usize, q0: i32, q1: i32, j: i32, n: i32, ld: i32): i32 {
  for (; j + 4 <= n; j += 4) {
    let c = f32x4.splat(0);
    for (let q = q0; q < q1; q++) c = madd(f32x4.splat(f32At(value, q)), v128.load(addr(b, i32At(index, q) * ld + j)), c);
    v128.store(addr(o, j), c);
  }
  return j;
}

/** The four-column blocks of a sparse update from sample row gr: w[index[q]·ld + j..] += value[q] · gr[j..]. */
// @ts-ignore: decorator
@inline function updateBy4(w: usize, gr: usize, index: usize, value: usize, q0: i32, q1: i32, j: i32, n: i32, ld: i32): i32 {
  for (; j + 4 <= n; j += 4) {
    const g0 = v128.load(addr(gr, j));
    for (let q = q0; q < q1; q++) {
      const pw = addr(w, i32At(index, q) * ld + j);
      v128.store(pw, madd(f32x4.splat(f32At(value, q)), g0, v128.load(pw)));
    }
  }
  return j;
}

/** out (m,n) = a (m,k) · b (k,n), all row-major. Blocks of 4 rows × 8 columns held in registers. */
export function gemm(out: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = addr(a, i * k);
    const a1 = addr(a0, k);
    const a2 = addr(a1, k);
    const a3 = addr(a2, k);
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const bp = addr(b, p * n + j);
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = f32x4.splat(f32At(a0, p));
        const x1 = f32x4.splat(f32At(a1, p));
        const x2 = f32x4.splat(f32At(a2, p));
        const x3 = f32x4.splat(f32At(a3, p));
        c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
        c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
        c20 = madd(x2, b0, c20); c21 = madd(x2, b1, c21);
        c30 = madd(x3, b0, c30); c31 = madd(x3, b1, c31);
      }
      const o0 = addr(out, i * n + j);
      const o1 = addr(o0, n);
      const o2 = addr(o1, n);
      const o3 = addr(o2, n);
      v128.store(o0, c00); v128.store(o0, c01, 16);
      v128.store(o1, c10); v128.store(o1, c11, 16);
      v128.store(o2, c20); v128.store(o2, c21, 16);
      v128.store(o3, c30); v128.store(o3, c31, 16);
    }
    for (; j + 4 <= n; j += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(addr(b, p * n + j));
        c0 = madd(f32x4.splat(f32At(a0, p)), b0, c0);
        c1 = madd(f32x4.splat(f32At(a1, p)), b0, c1);
        c2 = madd(f32x4.splat(f32At(a2, p)), b0, c2);
        c3 = madd(f32x4.splat(f32At(a3, p)), b0, c3);
      }
      v128.store(addr(out, i * n + j), c0);
      v128.store(addr(out, (i + 1) * n + j), c1);
      v128.store(addr(out, (i + 2) * n + j), c2);
      v128.store(addr(out, (i + 3) * n + j), c3);
    }
    for (; j < n; j++) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (let p = 0; p < k; p++) {
        const bv = f32At(b, p * n + j);
        s0 += f32At(a0, p) * bv;
        s1 += f32At(a1, p) * bv;
        s2 += f32At(a2, p) * bv;
        s3 += f32At(a3, p) * bv;
      }
      store<f32>(addr(out, i * n + j), s0);
      store<f32>(addr(out, (i + 1) * n + j), s1);
      store<f32>(addr(out, (i + 2) * n + j), s2);
      store<f32>(addr(out, (i + 3) * n + j), s3);
    }
  }
  for (; i < m; i++) {
    const ai = addr(a, i * k);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let c = f32x4.splat(0);
      for (let p = 0; p < k; p++) c = madd(f32x4.splat(f32At(ai, p)), v128.load(addr(b, p * n + j)), c);
      v128.store(addr(out, i * n + j), c);
    }
    for (; j < n; j++) {
      let s: f32 = 0;
      for (let p = 0; p < k; p++) s += f32At(ai, p) * f32At(b, p * n + j);
      store<f32>(addr(out, i * n + j), s);
    }
  }
}

/**
 * w (k,n) += Σ_c z[rows[c], zOff .. zOff+k)ᵀ · g[rows[c], 0..n); z is (·, ldz), g is (·, n).
 * Blocks of 4 rows of w × 8 columns stay in registers while the selected samples stream past.
 */
export function rankUpdate(w: usize, z: usize, g: usize, rows: usize, count: i32, k: i32, n: i32, ldz: i32, zOff: i32): void {
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const w0 = addr(w, p * n + j);
      const w1 = addr(w0, n);
      const w2 = addr(w1, n);
      const w3 = addr(w2, n);
      let c00 = v128.load(w0), c01 = v128.load(w0, 16), c10 = v128.load(w1), c11 = v128.load(w1, 16);
      let c20 = v128.load(w2), c21 = v128.load(w2, 16), c30 = v128.load(w3), c31 = v128.load(w3, 16);
      for (let c = 0; c < count; c++) {
        const r = i32At(rows, c);
        const zr = addr(z, r * ldz + zOff + p);
        const z0 = load<f32>(zr), z1 = load<f32>(zr, 4), z2 = load<f32>(zr, 8), z3 = load<f32>(zr, 12);
        if (z0 == 0 && z1 == 0 && z2 == 0 && z3 == 0) continue;
        const gr = addr(g, r * n + j);
        const g0 = v128.load(gr);
        const g1 = v128.load(gr, 16);
        const x0 = f32x4.splat(z0), x1 = f32x4.splat(z1), x2 = f32x4.splat(z2), x3 = f32x4.splat(z3);
        c00 = madd(x0, g0, c00); c01 = madd(x0, g1, c01);
        c10 = madd(x1, g0, c10); c11 = madd(x1, g1, c11);
        c20 = madd(x2, g0, c20); c21 = madd(x2, g1, c21);
        c30 = madd(x3, g0, c30); c31 = madd(x3, g1, c31);
      }
      v128.store(w0, c00); v128.store(w0, c01, 16);
      v128.store(w1, c10); v128.store(w1, c11, 16);
      v128.store(w2, c20); v128.store(w2, c21, 16);
      v128.store(w3, c30); v128.store(w3, c31, 16);
    }
    if (j < n) rankUpdateColumns(w, z, g, rows, count, p, p + 4, j, n, ldz, zOff);
  }
  // Leftover rows one at a time (k = 1 is every bias update), still four columns per vector.
  for (; p < k; p++) {
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const wp = addr(w, p * n + j);
      let acc = v128.load(wp);
      for (let c = 0; c < count; c++) {
        const r = i32At(rows, c);
        acc = madd(f32x4.splat(f32At(z, r * ldz + zOff + p)), v128.load(addr(g, r * n + j)), acc);
      }
      v128.store(wp, acc);
    }
    if (j < n) rankUpdateColumns(w, z, g, rows, count, p, p + 1, j, n, ldz, zOff);
  }
}

/** Scalar rest of rankUpdate: rows p0..p1 of w, columns j0..n. */
function rankUpdateColumns(w: usize, z: usize, g: usize, rows: usize, count: i32, p0: i32, p1: i32, j0: i32, n: i32, ldz: i32, zOff: i32): void {
  for (let p = p0; p < p1; p++) {
    for (let j = j0; j < n; j++) {
      let s = f32At(w, p * n + j);
      for (let c = 0; c < count; c++) {
        const r = i32At(rows, c);
        s += f32At(z, r * ldz + zOff + p) * f32At(g, r * n + j);
      }
      store<f32>(addr(w, p * n + j), s);
    }
  }
}

/** From this many columns on, the sparse kernels stream whole rows (…Rows); below, 32-column blocks win. */
const WIDE_ROW = 128;

/**
 * out (m,n) = X · the first n columns of b, whose rows are ldb floats apart (ldb = n: b is (k,n); the stacked
 * first layer: K networks side by side, b pointing at the first column wanted). Row i of X is sparse: values
 * value[q] at columns index[q] for q in start[i]..end[i); only the non-zero inputs are read (~20 % of an MNIST
 * image). Accumulators for 32 (then 16, then 4) columns stay in registers while the sample's inputs stream past.
 * Every column sums its inputs in order with the same multiply-add, whichever block (or leftover column) it falls
 * in, so a column's value depends neither on n nor on ldb (nor on how networks are split over threads).
 */
export function spmm(out: usize, start: usize, end: usize, index: usize, value: usize, b: usize, m: i32, n: i32, ldb: i32): void {
  if (n >= WIDE_ROW) {
    spmmRows(out, start, end, index, value, b, m, n, ldb);
    return;
  }
  for (let i = 0; i < m; i++) {
    const q0 = i32At(start, i);
    const q1 = i32At(end, i);
    const o = addr(out, i * n);
    let j = 0;
    for (; j + 32 <= n; j += 32) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
      for (let q = q0; q < q1; q++) {
        const v = f32x4.splat(f32At(value, q));
        const row = addr(b, i32At(index, q) * ldb + j);
        c0 = madd(v, v128.load(row), c0);
        c1 = madd(v, v128.load(row, 16), c1);
        c2 = madd(v, v128.load(row, 32), c2);
        c3 = madd(v, v128.load(row, 48), c3);
        c4 = madd(v, v128.load(row, 64), c4);
        c5 = madd(v, v128.load(row, 80), c5);
        c6 = madd(v, v128.load(row, 96), c6);
        c7 = madd(v, v128.load(row, 112), c7);
      }
      const oj = addr(o, j);
      v128.store(oj, c0); v128.store(oj, c1, 16); v128.store(oj, c2, 32); v128.store(oj, c3, 48);
      v128.store(oj, c4, 64); v128.store(oj, c5, 80); v128.store(oj, c6, 96); v128.store(oj, c7, 112);
    }
    if (j + 16 <= n) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      for (let q = q0; q < q1; q++) {
        const v = f32x4.splat(f32At(value, q));
        const row = addr(b, i32At(index, q) * ldb + j);
        c0 = madd(v, v128.load(row), c0);
        c1 = madd(v, v128.load(row, 16), c1);
        c2 = madd(v, v128.load(row, 32), c2);
        c3 = madd(v, v128.load(row, 48), c3);
      }
      const oj = addr(o, j);
      v128.store(oj, c0); v128.store(oj, c1, 16); v128.store(oj, c2, 32); v128.store(oj, c3, 48);
      j += 16;
    }
    j = forwardBy4(o, b, index, value, q0, q1, j, n, ldb);
    for (; j < n; j++) {
      let s: f32 = 0;
      for (let q = q0; q < q1; q++) s = scalarMadd(f32At(value, q), f32At(b, i32At(index, q) * ldb + j), s);
      store<f32>(addr(o, j), s);
    }
  }
}

/**
 * The sparse-input update into the first n columns of w, whose rows are ldw floats apart (ldw = n: w is (k,n);
 * the stacked first layer: K networks side by side): for each selected sample r and each of its non-zero inputs
 * q, w[index[q]·ldw + 0..n) += value[q] · g[r, 0..n). Inputs that are zero cost nothing; the sample's g row is
 * held in registers 32 (then 16, then 4) columns at a time. Every weight gets the same one multiply-add per sample
 * and input, whichever block (or leftover column) it falls in.
 */
export function spRankUpdate(w: usize, start: usize, end: usize, index: usize, value: usize, g: usize, rows: usize, count: i32, n: i32, ldw: i32): void {
  if (n >= WIDE_ROW) {
    spRankUpdateRows(w, start, end, index, value, g, rows, count, n, ldw);
    return;
  }
  for (let c = 0; c < count; c++) {
    const r = i32At(rows, c);
    spUpdateSample(w, addr(g, r * n), index, value, i32At(start, r), i32At(end, r), n, ldw);
  }
}

/** One sample's update in column blocks: w[index[q]·ldw + 0..n) += value[q] · gr[0..n), q in q0..q1. */
// @ts-ignore: decorator
@inline function spUpdateSample(w: usize, gr: usize, index: usize, value: usize, q0: i32, q1: i32, n: i32, ldw: i32): void {
  let j = 0;
  for (; j + 32 <= n; j += 32) {
    const gj = addr(gr, j);
    const g0 = v128.load(gj), g1 = v128.load(gj, 16), g2 = v128.load(gj, 32), g3 = v128.load(gj, 48);
    const g4 = v128.load(gj, 64), g5 = v128.load(gj, 80), g6 = v128.load(gj, 96), g7 = v128.load(gj, 112);
    for (let q = q0; q < q1; q++) {
      const v = f32x4.splat(f32At(value, q));
      const pw = addr(w, i32At(index, q) * ldw + j);
      v128.store(pw, madd(v, g0, v128.load(pw)));
      v128.store(pw, madd(v, g1, v128.load(pw, 16)), 16);
      v128.store(pw, madd(v, g2, v128.load(pw, 32)), 32);
      v128.store(pw, madd(v, g3, v128.load(pw, 48)), 48);
      v128.store(pw, madd(v, g4, v128.load(pw, 64)), 64);
      v128.store(pw, madd(v, g5, v128.load(pw, 80)), 80);
      v128.store(pw, madd(v, g6, v128.load(pw, 96)), 96);
      v128.store(pw, madd(v, g7, v128.load(pw, 112)), 112);
    }
  }
  if (j + 16 <= n) {
    const gj = addr(gr, j);
    const g0 = v128.load(gj), g1 = v128.load(gj, 16), g2 = v128.load(gj, 32), g3 = v128.load(gj, 48);
    for (let q = q0; q < q1; q++) {
      const v = f32x4.splat(f32At(value, q));
      const pw = addr(w, i32At(index, q) * ldw + j);
      v128.store(pw, madd(v, g0, v128.load(pw)));
      v128.store(pw, madd(v, g1, v128.load(pw, 16)), 16);
      v128.store(pw, madd(v, g2, v128.load(pw, 32)), 32);
      v128.store(pw, madd(v, g3, v128.load(pw, 48)), 48);
    }
    j += 16;
  }
  j = updateBy4(w, gr, index, value, q0, q1, j, n, ldw);
  for (; j < n; j++) {
    const gv = f32At(gr, j);
    for (let q = q0; q < q1; q++) {
      const pw = addr(w, i32At(index, q) * ldw + j);
      store<f32>(pw, scalarMadd(f32At(value, q), gv, load<f32>(pw)));
    }
  }
}

/** out (m,n) = a (m,k) · b (n,k)ᵀ: each output is a dot product of two rows (backprop's error to the layer below). */
export function gemmBT(out: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    const ai = addr(a, i * k);
    for (let j = 0; j < n; j++) {
      const bj = addr(b, j * k);
      let acc = f32x4.splat(0);
      let p = 0;
      for (; p + 4 <= k; p += 4) acc = madd(v128.load(addr(ai, p)), v128.load(addr(bj, p)), acc);
      let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (; p < k; p++) s += f32At(ai, p) * f32At(bj, p);
      store<f32>(addr(out, i * n + j), s);
    }
  }
}

/**
 * One Adam step as Keras 3 writes it: m += (g − m)(1 − β1); v += (g² − v)(1 − β2); w −= alpha · m / (√v + ε),
 * where alpha = lr · √(1 − β2^t) / (1 − β1^t) is computed by the caller.
 */
export function adam(w: usize, g: usize, m: usize, v: usize, len: i32, alpha: f32, beta1: f32, beta2: f32, epsilon: f32): void {
  const c1 = f32x4.splat(1 - beta1), c2 = f32x4.splat(1 - beta2), a = f32x4.splat(alpha), e = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const gi = v128.load(addr(g, i));
    let mi = v128.load(addr(m, i));
    let vi = v128.load(addr(v, i));
    mi = f32x4.add(mi, f32x4.mul(f32x4.sub(gi, mi), c1));
    vi = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), vi), c2));
    v128.store(addr(m, i), mi);
    v128.store(addr(v, i), vi);
    v128.store(addr(w, i), f32x4.sub(v128.load(addr(w, i)), f32x4.div(f32x4.mul(a, mi), f32x4.add(f32x4.sqrt(vi), e))));
  }
  for (; i < len; i++) {
    const gi = f32At(g, i);
    const mi = f32At(m, i) + (gi - f32At(m, i)) * (1 - beta1);
    const vi = f32At(v, i) + (gi * gi - f32At(v, i)) * (1 - beta2);
    store<f32>(addr(m, i), mi);
    store<f32>(addr(v, i), vi);
    store<f32>(addr(w, i), f32At(w, i) - alpha * mi / (Mathf.sqrt(vi) + epsilon));
  }
}

/** out (m,n) += v (n) on every row. */
export function addRow(out: usize, v: usize, m: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    const o = addr(out, i * n);
    let j = 0;
    for (; j + 4 <= n; j += 4) v128.store(addr(o, j), f32x4.add(v128.load(addr(o, j)), v128.load(addr(v, j))));
    for (; j < n; j++) store<f32>(addr(o, j), f32At(o, j) + f32At(v, j));
  }
}

/** out (len) = a + b. */
export function add(out: usize, a: usize, b: usize, len: i32): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) v128.store(addr(out, i), f32x4.add(v128.load(addr(a, i)), v128.load(addr(b, i))));
  for (; i < len; i++) store<f32>(addr(out, i), f32At(a, i) + f32At(b, i));
}

// exp(x) for x ≤ 0, four at a time: x = k·ln2 + r with |r| ≤ ln2/2, exp(r) by its degree-6 Taylor polynomial
// (relative error ≈ 1e-7), 2^k built in the exponent bits. Below −87 the result is clamped (≈ 1.6e-38).
// @ts-ignore: decorator
@inline function expNonPositive(x: v128): v128 {
  x = f32x4.max(x, f32x4.splat(-87));
  const k = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  let r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.0 / 720);
  p = madd(p, r, f32x4.splat(1.0 / 120));
  p = madd(p, r, f32x4.splat(1.0 / 24));
  p = madd(p, r, f32x4.splat(1.0 / 6));
  p = madd(p, r, f32x4.splat(0.5));
  p = madd(p, r, f32x4.splat(1));
  p = madd(p, r, f32x4.splat(1));
  // 2^k for the integer k in [−126, 0]: k + 2^23 + 127 is exact, and its low mantissa bits are k + 127 (the
  // biased exponent), shifted into place; the higher bits shift out. Cheaper than converting k to an integer.
  const scale = i32x4.shl(f32x4.add(k, f32x4.splat(8388735)), 23);
  return f32x4.mul(p, scale);
}

/** 1 / (1 + exp(−t)) of four lanes, from exp(−|t|) only, so nothing overflows: t ≥ 0: 1/(1+e); t < 0: e/(1+e). */
// @ts-ignore: decorator
@inline function sigmoidLanes(t: v128): v128 {
  const one = f32x4.splat(1);
  const e = expNonPositive(f32x4.neg(f32x4.abs(t)));
  const a = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(a, f32x4.mul(e, a), f32x4.ge(t, f32x4.splat(0)));
}

/**
 * out (len) = 1 / (1 + exp(−gain · x)). Four vectors per pass: each one's exp is a chain of dependent
 * multiply-adds, and four independent chains keep the core busy where one left it waiting (the same lanes, the
 * same bits; 0.4–0.9× the time of one vector per pass in alternating runs on a loaded machine).
 */
export function sigmoid(out: usize, x: usize, len: i32, gain: f32): void {
  const g = f32x4.splat(gain);
  let i = 0;
  for (; i + 16 <= len; i += 16) {
    const xi = addr(x, i), oi = addr(out, i);
    const t0 = f32x4.mul(g, v128.load(xi)), t1 = f32x4.mul(g, v128.load(xi, 16));
    const t2 = f32x4.mul(g, v128.load(xi, 32)), t3 = f32x4.mul(g, v128.load(xi, 48));
    const y0 = sigmoidLanes(t0), y1 = sigmoidLanes(t1), y2 = sigmoidLanes(t2), y3 = sigmoidLanes(t3);
    v128.store(oi, y0); v128.store(oi, y1, 16); v128.store(oi, y2, 32); v128.store(oi, y3, 48);
  }
  for (; i + 4 <= len; i += 4) v128.store(addr(out, i), sigmoidLanes(f32x4.mul(g, v128.load(addr(x, i)))));
  for (; i < len; i++) {
    const t = gain * f32At(x, i);
    const e = Mathf.exp(-Mathf.abs(t));
    const a = <f32>1 / (<f32>1 + e);
    store<f32>(addr(out, i), t >= 0 ? a : e * a);
  }
}

/** out (m,n) = rowScale[i] · colScale[j] · y (1 − y). */
export function sigmoidGrad(out: usize, y: usize, rowScale: usize, colScale: usize, m: i32, n: i32): void {
  const one = f32x4.splat(1);
  for (let i = 0; i < m; i++) {
    const s = f32At(rowScale, i);
    const sv = f32x4.splat(s);
    const yr = addr(y, i * n);
    const o = addr(out, i * n);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const v = v128.load(addr(yr, j));
      const d = f32x4.mul(v, f32x4.sub(one, v));
      v128.store(addr(o, j), f32x4.mul(f32x4.mul(sv, v128.load(addr(colScale, j))), d));
    }
    for (; j < n; j++) {
      const v = f32At(yr, j);
      store<f32>(addr(o, j), s * f32At(colScale, j) * (v * (1 - v)));
    }
  }
}

/** out (m,n) = the sparse rows start[i]..end[i) written densely (zeros elsewhere). */
export function densify(out: usize, start: usize, end: usize, index: usize, value: usize, m: i32, n: i32): void {
  memory.fill(out, 0, <usize>(m * n) << 2);
  for (let i = 0; i < m; i++) {
    const q1 = i32At(end, i);
    for (let q = i32At(start, i); q < q1; q++) store<f32>(addr(out, i * n + i32At(index, q)), f32At(value, q));
  }
}

/**
 * spmm for wide rows, the inputs outer: each input's row is streamed once, four rows at a time (then two,
 * then one), into the output (which stays in L1). Every column still sums its inputs in order, so the result is
 * the same, bit for bit, as the blocked loop's; on rows of 192–640 floats it ran 1.4–1.7× faster than it, and four
 * rows per pass over the output 5 % faster than two on kaneko-mnist (measured).
 */
function spmmRows(out: usize, start: usize, end: usize, index: usize, value: usize, b: usize, m: i32, n: i32, ldb: i32): void {
  for (let i = 0; i < m; i++) forwardRows(addr(out, i * n), b, index, value, i32At(start, i), i32At(end, i), n, ldb);
}

/** One sample's wide-row sums: o (n) = Σ_q value[q] · b[index[q]·ldb + 0..n), q in q0..q1, in order. */
// @ts-ignore: decorator
@inline function forwardRows(o: usize, b: usize, index: usize, value: usize, q0: i32, q1: i32, n: i32, ldb: i32): void {
  memory.fill(o, 0, <usize>n << 2);
  let q = q0;
  for (; q + 4 <= q1; q += 4) forward4Rows(o, b, index, value, q, n, ldb);
  for (; q + 2 <= q1; q += 2) forward2Rows(o, b, index, value, q, n, ldb);
  if (q < q1) forward1Row(o, b, index, value, q, n, ldb);
}

/** o += the rows of inputs q .. q+3, added in that order (one pass over o). */
// @ts-ignore: decorator
@inline function forward4Rows(o: usize, b: usize, index: usize, value: usize, q: i32, n: i32, ldb: i32): void {
  const a0 = f32At(value, q), a1 = f32At(value, q + 1), a2 = f32At(value, q + 2), a3 = f32At(value, q + 3);
  const v0 = f32x4.splat(a0), v1 = f32x4.splat(a1), v2 = f32x4.splat(a2), v3 = f32x4.splat(a3);
  const r0 = addr(b, i32At(index, q) * ldb), r1 = addr(b, i32At(index, q + 1) * ldb);
  const r2 = addr(b, i32At(index, q + 2) * ldb), r3 = addr(b, i32At(index, q + 3) * ldb);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const oj = addr(o, j);
    v128.store(oj, madd(v3, v128.load(addr(r3, j)), madd(v2, v128.load(addr(r2, j)), madd(v1, v128.load(addr(r1, j)), madd(v0, v128.load(addr(r0, j)), v128.load(oj))))));
  }
  for (; j < n; j++) store<f32>(addr(o, j), scalarMadd(a3, f32At(r3, j), scalarMadd(a2, f32At(r2, j), scalarMadd(a1, f32At(r1, j), scalarMadd(a0, f32At(r0, j), f32At(o, j))))));
}

/** o += the rows of inputs q, q+1, in that order. */
// @ts-ignore: decorator
@inline function forward2Rows(o: usize, b: usize, index: usize, value: usize, q: i32, n: i32, ldb: i32): void {
  const a0 = f32At(value, q), a1 = f32At(value, q + 1);
  const v0 = f32x4.splat(a0), v1 = f32x4.splat(a1);
  const r0 = addr(b, i32At(index, q) * ldb), r1 = addr(b, i32At(index, q + 1) * ldb);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const oj = addr(o, j);
    v128.store(oj, madd(v1, v128.load(addr(r1, j)), madd(v0, v128.load(addr(r0, j)), v128.load(oj))));
    v128.store(oj, madd(v1, v128.load(addr(r1, j), 16), madd(v0, v128.load(addr(r0, j), 16), v128.load(oj, 16))), 16);
  }
  for (; j + 4 <= n; j += 4) {
    const oj = addr(o, j);
    v128.store(oj, madd(v1, v128.load(addr(r1, j)), madd(v0, v128.load(addr(r0, j)), v128.load(oj))));
  }
  for (; j < n; j++) store<f32>(addr(o, j), scalarMadd(a1, f32At(r1, j), scalarMadd(a0, f32At(r0, j), f32At(o, j))));
}

/** o += the row of input q. */
// @ts-ignore: decorator
@inline function forward1Row(o: usize, b: usize, index: usize, value: usize, q: i32, n: i32, ldb: i32): void {
  const a0 = f32At(value, q);
  const v0 = f32x4.splat(a0);
  const r0 = addr(b, i32At(index, q) * ldb);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const oj = addr(o, j);
    v128.store(oj, madd(v0, v128.load(addr(r0, j)), v128.load(oj)));
  }
  for (; j < n; j++) store<f32>(addr(o, j), scalarMadd(a0, f32At(r0, j), f32At(o, j)));
}

/**
 * spRankUpdate for wide rows, the inputs outer: each input's row is streamed once, two rows at a time,
 * sharing the loads of g. Every weight gets the same one multiply-add as in the blocked loop. On kaneko-mnist (rows
 * of 320) it ran 5 % faster than the blocked loop, whose 32-column passes visit every row ten times; on rows of 64
 * it ran slower (measured).
 */
function spRankUpdateRows(w: usize, start: usize, end: usize, index: usize, value: usize, g: usize, rows: usize, count: i32, n: i32, ldw: i32): void {
  for (let c = 0; c < count; c++) {
    const r = i32At(rows, c);
    const q1 = i32At(end, r);
    let q = i32At(start, r);
    for (; q + 2 <= q1; q += 2) update2Rows(w, addr(g, r * n), index, value, q, n, ldw);
    if (q < q1) update1Row(w, addr(g, r * n), index, value, q, n, ldw);
  }
}

/** The rows of inputs q, q+1 += their values · gr (n). */
// @ts-ignore: decorator
@inline function update2Rows(w: usize, gr: usize, index: usize, value: usize, q: i32, n: i32, ldw: i32): void {
  const a0 = f32At(value, q), a1 = f32At(value, q + 1);
  const v0 = f32x4.splat(a0), v1 = f32x4.splat(a1);
  const r0 = addr(w, i32At(index, q) * ldw), r1 = addr(w, i32At(index, q + 1) * ldw);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const gj = v128.load(addr(gr, j));
    v128.store(addr(r0, j), madd(v0, gj, v128.load(addr(r0, j))));
    v128.store(addr(r1, j), madd(v1, gj, v128.load(addr(r1, j))));
  }
  for (; j < n; j++) {
    const gv = f32At(gr, j);
    store<f32>(addr(r0, j), scalarMadd(a0, gv, f32At(r0, j)));
    store<f32>(addr(r1, j), scalarMadd(a1, gv, f32At(r1, j)));
  }
}

/** The row of input q += its value · gr (n). */
// @ts-ignore: decorator
@inline function update1Row(w: usize, gr: usize, index: usize, value: usize, q: i32, n: i32, ldw: i32): void {
  const a0 = f32At(value, q);
  const v0 = f32x4.splat(a0);
  const r0 = addr(w, i32At(index, q) * ldw);
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(addr(r0, j), madd(v0, v128.load(addr(gr, j)), v128.load(addr(r0, j))));
  for (; j < n; j++) store<f32>(addr(r0, j), scalarMadd(a0, f32At(gr, j), f32At(r0, j)));
}

/**
 * One online step of a sparse layer and the next sample's sums, over the same rows: sample r's update
 * w[index[q]·ldw + 0..n) += value[q] · g[0..n) for q in start[r]..end[r), then out (n) = sample s's sums
 * Σ value[q] · w[index[q]·ldw + 0..n) for q in start[s]..end[s), over the updated weights. The same, bit for bit,
 * as spRankUpdate of sample r then spmm of sample s. On wide rows the two walk the inputs together: each of r's
 * rows is updated just before the first block of s's rows that could read it, so a row the two samples share
 * (about half of them on MNIST) comes from L2 once, not twice.
 */
export function spUpdateForward(out: usize, w: usize, start: usize, end: usize, index: usize, value: usize, g: usize, r: i32, s: i32, n: i32, ldw: i32): void {
  let p = i32At(start, r);
  const p1 = i32At(end, r);
  let q = i32At(start, s);
  const q1 = i32At(end, s);
  if (n < WIDE_ROW) {
    spUpdateSample(w, g, index, value, p, p1, n, ldw);
    spmm(out, addr(start, s), addr(end, s), index, value, w, 1, n, ldw);
    return;
  }
  memory.fill(out, 0, <usize>n << 2);
  for (; q + 4 <= q1; q += 4) {
    const first = i32At(index, q);
    p = updateRowsUpTo(w, g, index, value, p, p1, first - 1, n, ldw);
    // Four rows of both samples in a row (60 % of the blocks at Fashion-MNIST's density, 20 % at MNIST's): each
    // weight is loaded once, updated, stored and added into the sums.
    if (p + 4 <= p1 && i32At(index, p) == first && i32At(index, p + 1) == i32At(index, q + 1) &&
        i32At(index, p + 2) == i32At(index, q + 2) && i32At(index, p + 3) == i32At(index, q + 3)) {
      updateForward4Rows(out, w, g, index, value, p, q, n, ldw);
      p += 4;
      continue;
    }
    p = updateRowsUpTo(w, g, index, value, p, p1, i32At(index, q + 3), n, ldw);
    forward4Rows(out, w, index, value, q, n, ldw);
  }
  for (; q + 2 <= q1; q += 2) {
    p = updateRowsUpTo(w, g, index, value, p, p1, i32At(index, q + 1), n, ldw);
    forward2Rows(out, w, index, value, q, n, ldw);
  }
  if (q < q1) {
    p = updateRowsUpTo(w, g, index, value, p, p1, i32At(index, q), n, ldw);
    forward1Row(out, w, index, value, q, n, ldw);
  }
  updateRowsUpTo(w, g, index, value, p, p1, i32.MAX_VALUE, n, ldw);
}

/**
 * Rows q .. q+3 of the next sample, which are rows p .. p+3 of the updated one: each row += its update
 * value · g, then o += the updated rows times the next sample's values, in that order (forward4Rows' sums).
 */
// @ts-ignore: decorator
@inline function updateForward4Rows(o: usize, w: usize, g: usize, index: usize, value: usize, p: i32, q: i32, n: i32, ldw: i32): void {
  const a0 = f32At(value, p), a1 = f32At(value, p + 1), a2 = f32At(value, p + 2), a3 = f32At(value, p + 3);
  const b0 = f32At(value, q), b1 = f32At(value, q + 1), b2 = f32At(value, q + 2), b3 = f32At(value, q + 3);
  const u0 = f32x4.splat(a0), u1 = f32x4.splat(a1), u2 = f32x4.splat(a2), u3 = f32x4.splat(a3);
  const v0 = f32x4.splat(b0), v1 = f32x4.splat(b1), v2 = f32x4.splat(b2), v3 = f32x4.splat(b3);
  const r0 = addr(w, i32At(index, q) * ldw), r1 = addr(w, i32At(index, q + 1) * ldw);
  const r2 = addr(w, i32At(index, q + 2) * ldw), r3 = addr(w, i32At(index, q + 3) * ldw);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const gj = v128.load(addr(g, j));
    const w0 = madd(u0, gj, v128.load(addr(r0, j)));
    const w1 = madd(u1, gj, v128.load(addr(r1, j)));
    const w2 = madd(u2, gj, v128.load(addr(r2, j)));
    const w3 = madd(u3, gj, v128.load(addr(r3, j)));
    v128.store(addr(r0, j), w0); v128.store(addr(r1, j), w1); v128.store(addr(r2, j), w2); v128.store(addr(r3, j), w3);
    const oj = addr(o, j);
    v128.store(oj, madd(v3, w3, madd(v2, w2, madd(v1, w1, madd(v0, w0, v128.load(oj))))));
  }
  for (; j < n; j++) {
    const gv = f32At(g, j);
    const w0 = scalarMadd(a0, gv, f32At(r0, j)), w1 = scalarMadd(a1, gv, f32At(r1, j));
    const w2 = scalarMadd(a2, gv, f32At(r2, j)), w3 = scalarMadd(a3, gv, f32At(r3, j));
    store<f32>(addr(r0, j), w0); store<f32>(addr(r1, j), w1); store<f32>(addr(r2, j), w2); store<f32>(addr(r3, j), w3);
    store<f32>(addr(o, j), scalarMadd(b3, w3, scalarMadd(b2, w2, scalarMadd(b1, w1, scalarMadd(b0, w0, f32At(o, j))))));
  }
}

/** Updates the inputs from p on (before p1) whose index is at most `last`; returns the first input left. */
// @ts-ignore: decorator
@inline function updateRowsUpTo(w: usize, g: usize, index: usize, value: usize, p: i32, p1: i32, last: i32, n: i32, ldw: i32): i32 {
  for (; p + 2 <= p1 && i32At(index, p + 1) <= last; p += 2) update2Rows(w, g, index, value, p, n, ldw);
  if (p < p1 && i32At(index, p) <= last) {
    update1Row(w, g, index, value, p, n, ldw);
    p++;
  }
  return p;
}

/**
 * out[i] = Σ_p a[i·lda + p] · b[i·ldb + p] for i < m: one dot product per row pair (m independent one-output
 * layers). Summed in p order with a multiply then an add, as gemm sums a one-column output, so a row's dot is
 * the same, bit for bit, as gemm of that row with a one-column b.
 */
export function rowDots(out: usize, a: usize, b: usize, m: i32, k: i32, lda: i32, ldb: i32): void {
  for (let i = 0; i < m; i++) {
    const ai = addr(a, i * lda);
    const bi = addr(b, i * ldb);
    let s: f32 = 0;
    for (let p = 0; p < k; p++) s += f32At(ai, p) * f32At(bi, p);
    store<f32>(addr(out, i), s);
  }
}

/**
 * w[i·ldw + p] += s[i] · a[i·lda + p] for i < m, p < k; rows with s[i] = 0 are left as they are. A multiply
 * then an add, as rankUpdate updates a one-column w, so each weight changes exactly as it would there.
 */
export function rowsAxpy(w: usize, a: usize, s: usize, m: i32, k: i32, ldw: i32, lda: i32): void {
  for (let i = 0; i < m; i++) {
    const si = f32At(s, i);
    if (si == 0) continue;
    const sv = f32x4.splat(si);
    const wi = addr(w, i * ldw);
    const ai = addr(a, i * lda);
    let p = 0;
    for (; p + 4 <= k; p += 4) v128.store(addr(wi, p), f32x4.add(v128.load(addr(wi, p)), f32x4.mul(v128.load(addr(ai, p)), sv)));
    for (; p < k; p++) store<f32>(addr(wi, p), f32At(wi, p) + f32At(ai, p) * si);
  }
}

// The plan of a plain ED network for edLearn, in 32-bit words (written by src/engine/ed-plan.ts, which names
// them): a header, then PLAN_LAYER words per layer, then f64s: β and each layer's step (α ÷ divisor …).
const PLAN_HEAD = 16;
const PLAN_LAYER = 12;

// @ts-ignore: decorator
@inline function word(p: usize, i: i32): usize {
  return <usize>i32At(p, i);
}

/**
 * A plain ED network (src/rules/ed.ts: Kaneko's source rule, sigmoid units, no variant transforms, sparse
 * inputs) learns batches [u0, u1) of a sequence of `size` samples, `batch` per update: per batch the forward
 * pass, e = t − y, its outputs and errors recorded into outputs/errors[k·size + sample], then every layer's
 * update; with `stats` (one network only), each batch's Σ |e| and right answers as two f64s. It makes the same
 * kernel calls as the rule, in the same order, with the same float operations (f64 where the rule computes in
 * JavaScript numbers), so the weights are the same bit for bit; the JavaScript between the ~30 calls of a batch,
 * which a fresh process runs slowly until V8 has warmed it up, is gone.
 */
export function edLearn(plan: usize, start: usize, end: usize, labels: usize, index: usize, value: usize, outputs: usize, errors: usize, size: i32, batch: i32, u0: i32, u1: i32, k: i32, single: i32, mean: i32, gain: f32, stats: usize): void {
  const L = i32At(plan, 0);
  const inputs = i32At(plan, 1);
  const weff = word(plan, 2), error = word(plan, 3), rowScale = word(plan, 4);
  const pos = word(plan, 5), neg = word(plan, 6), any = word(plan, 7), betaColumn = word(plan, 8), lrScale = word(plan, 9);
  const f64s = plan + (<usize>(PLAN_HEAD + PLAN_LAYER * L) << 2);
  const beta = load<f64>(f64s);
  const last = plan + (<usize>(PLAN_HEAD + PLAN_LAYER * (L - 1)) << 2);
  for (let u = u0; u < u1; u++) {
    const b0 = u * batch;
    const B = min(size, b0 + batch) - b0;
    const st = addr(start, b0), en = addr(end, b0);
    for (let l = 0; l < L; l++) {
      const lp = plan + (<usize>(PLAN_HEAD + PLAN_LAYER * l) << 2);
      const out = i32At(lp, 2), act = word(lp, 3), bias = word(lp, 6), biasEff = word(lp, 8);
      if (l > 0) gemm(act, word(lp - (PLAN_LAYER << 2), 3), word(lp, 4), B, i32At(lp, 0) + i32At(lp, 1), out);
      else spmm(act, st, en, index, value, weff, B, out, out);
      for (let j = 0; j < out; j++) store<f32>(addr(biasEff, j), <f32>(beta * (<f64>f32At(bias, j) + <f64>f32At(bias, out + j))));
      addRow(act, biasEff, B, out);
      sigmoid(act, act, B * out, gain);
    }
    const y = word(last, 3);
    let nPos = 0, nNeg = 0, nAny = 0;
    // One network deciding two classes: the batch's Σ |e| (in f64, in order) and right answers (class 1 when
    // y > 1 − y in float32, as the arg-max of the scores [1 − y, y] decides), for the trainer's statistics.
    let absError: f64 = 0;
    let correct = 0;
    for (let b = 0; b < B; b++) {
      const label = i32At(labels, b0 + b);
      const target: f32 = single ? <f32>label : <f32>(label == k ? 1 : 0);
      const e = target - f32At(y, b);
      store<f32>(addr(error, b), e);
      store<f32>(addr(outputs, k * size + b0 + b), f32At(y, b));
      store<f32>(addr(errors, k * size + b0 + b), e);
      if (e > 0) store<i32>(addr(pos, nPos++), b);
      else if (e < 0) store<i32>(addr(neg, nNeg++), b);
      if (e != 0) store<i32>(addr(any, nAny++), b);
      const yb = f32At(y, b);
      absError += <f64>abs(e);
      if ((yb > <f32>1 - yb ? 1 : 0) == label) correct++;
    }
    if (stats) {
      store<f64>(stats + (<usize>u << 4), absError);
      store<f64>(stats + (<usize>u << 4), <f64>correct, 8);
    }
    const reduce: f64 = mean ? 1 / <f64>B : 1;
    for (let l = 0; l < L; l++) {
      const lp = plan + (<usize>(PLAN_HEAD + PLAN_LAYER * l) << 2);
      const srcExc = i32At(lp, 0), srcInh = i32At(lp, 1), out = i32At(lp, 2);
      const act = word(lp, 3), w = word(lp, 4), wInh = word(lp, 5), g = word(lp, 9);
      const amine = load<f64>(f64s + (<usize>(1 + l) << 3)) * load<f64>(lrScale) * reduce;
      for (let b = 0; b < B; b++) store<f32>(addr(rowScale, b), <f32>(amine * <f64>f32At(error, b)));
      sigmoidGrad(g, act, rowScale, word(lp, 10), B, out);
      if (l == 0) {
        if (nPos > 0) spRankUpdate(w, st, en, index, value, g, pos, nPos, out, out);
        if (nNeg > 0) spRankUpdate(wInh, st, en, index, value, g, neg, nNeg, out, out);
      } else {
        const below = word(lp - (PLAN_LAYER << 2), 3);
        if (nPos > 0) rankUpdate(w, below, g, pos, nPos, srcExc, out, srcExc + srcInh, 0);
        if (nNeg > 0) rankUpdate(wInh, below, g, neg, nNeg, srcInh, out, srcExc + srcInh, srcExc);
      }
      if (nPos > 0) rankUpdate(word(lp, 6), betaColumn, g, pos, nPos, 1, out, 1, 0);
      if (nNeg > 0) rankUpdate(word(lp, 7), betaColumn, g, neg, nNeg, 1, out, 1, 0);
      if (l > 0) continue;
      // W⁺ + W⁻ follows: the batch's own change where it touches fewer than all input rows, else rebuilt.
      let nonZero = 0;
      for (let c = 0; c < nAny; c++) {
        const r = i32At(any, c);
        nonZero += i32At(en, r) - i32At(st, r);
      }
      if (nonZero < inputs) {
        if (nAny > 0) spRankUpdate(weff, st, en, index, value, g, any, nAny, out, out);
      } else add(weff, w, wInh, srcExc * out);
    }
  }
}

// The plan of a stacked ED classifier for edLearnStacked, in 32-bit words (written by src/engine/ed-plan.ts,
// writeStackedPlan, which names them): a header, then STACK_NET words per network, then f64s: β, and the steps
// of layers 0 and 1.
const STACK_HEAD = 24;
const STACK_NET = 4;
/** Floats between the group rows of consecutive networks (ROW_SCALE_STRIDE in src/engine/ed-stacked-top.ts). */
const LINE = 16;

/**
 * w (n) += value[q] · gr (n) for q in q0..q1: spRankUpdate of one sample, by the loop its width takes. A function
 * of its own, not inlined: it tiers up to optimised code on its own, while a fresh process's first call of
 * edLearnStacked (a whole run of samples) still runs the baseline compiler's code.
 */
function updateOne(w: usize, gr: usize, index: usize, value: usize, q0: i32, q1: i32, n: i32, ldw: i32): void {
  if (n >= WIDE_ROW) {
    let q = q0;
    for (; q + 2 <= q1; q += 2) update2Rows(w, gr, index, value, q, n, ldw);
    if (q < q1) update1Row(w, gr, index, value, q, n, ldw);
  } else spUpdateSample(w, gr, index, value, q0, q1, n, ldw);
}

/**
 * Networks [from, to) of a stacked classifier (src/engine/ed-stacked.ts: one band, one hidden layer, sigmoid
 * output units, the plain rule) learn samples 0..size of a sequence online, as one wide row of (to − from)·H
 * first-layer units: what learnOnlineStacked and learnTop do per sample, the same kernels on the same arrays in
 * the same order, with the same float operations (f64 where they compute in JavaScript numbers), so the weights
 * are the same bit for bit. Each sample's update of W⁺ + W⁻ computes the next sample's sums on the way
 * (spUpdateForward). Outputs and errors are recorded into outputs/errors[k·size + sample].
 */
export function edLearnStacked(plan: usize, from: i32, to: i32, start: usize, end: usize, labels: usize, index: usize, value: usize, outputs: usize, errors: usize, size: i32, gain: f32): void {
  const K = i32At(plan, 0), H = i32At(plan, 1), srcExc = i32At(plan, 2), srcInh = i32At(plan, 3);
  const topLd = i32At(plan, 4), single = i32At(plan, 5);
  const m = to - from;
  const n = m * H;
  const act = word(plan, 6) + (<usize>(from * H) << 2);
  const wideBias = word(plan, 7) + (<usize>(from * H) << 2);
  const grad = word(plan, 8) + (<usize>(from * H) << 2);
  const rowScale = word(plan, 9) + (<usize>(from * LINE) << 2);
  const topW = word(plan, 10) + (<usize>(from * topLd) << 2);
  const topBias = word(plan, 11) + (<usize>(from * LINE) << 2);
  const rows = word(plan, 12) + (<usize>(from * LINE) << 2);
  const block = <usize>(K * LINE) << 2; // the top's rows: sums/outputs, bias, scales, g, g of e > 0, g of e < 0
  const z = rows, topBiasEff = rows + block, scale = rows + 2 * block, g = rows + 3 * block;
  const pos = rows + 4 * block, neg = rows + 5 * block;
  const betaColumn = word(plan, 13), unitFactor = word(plan, 15), outSign = word(plan, 16), lrScale = word(plan, 17);
  const nets = plan + (<usize>(STACK_HEAD + STACK_NET * from) << 2);
  const sum = word(nets, 0), ld = i32At(nets, 2);
  const f64s = plan + (<usize>(STACK_HEAD + STACK_NET * K) << 2);
  const beta = load<f64>(f64s);
  let summed = false;
  for (let at = 0; at < size; at++) {
    const q0 = i32At(start, at), q1 = i32At(end, at);
    if (!summed) spmm(act, addr(start, at), addr(end, at), index, value, sum, 1, n, ld);
    for (let i = 0; i < m; i++) {
      const bias = word(nets + (<usize>(STACK_NET * i) << 2), 3);
      const into = wideBias + (<usize>(i * H) << 2);
      for (let j = 0; j < H; j++) store<f32>(addr(into, j), <f32>(beta * (<f64>f32At(bias, j) + <f64>f32At(bias, H + j))));
    }
    addRow(act, wideBias, 1, n);
    if (H % 4 == 0) sigmoid(act, act, n, gain);
    else for (let i = 0; i < m; i++) sigmoid(act + (<usize>(i * H) << 2), act + (<usize>(i * H) << 2), H, gain);
    // The output units (learnTop).
    rowDots(z, act, topW, m, srcExc + srcInh, H, topLd);
    for (let i = 0; i < m; i++) {
      const b = topBias + (<usize>(i * LINE) << 2);
      store<f32>(addr(topBiasEff, i), <f32>(beta * (<f64>f32At(b, 0) + <f64>f32At(b, 1))));
    }
    addRow(z, topBiasEff, 1, m);
    for (let i = 0; i < m; i++) sigmoid(addr(z, i), addr(z, i), 1, gain);
    const amineTop = load<f64>(f64s, 16) * load<f64>(lrScale);
    const label = i32At(labels, at);
    for (let i = 0; i < m; i++) {
      const k = from + i;
      const y = f32At(z, i);
      const target: f32 = single ? <f32>label : <f32>(label == k ? 1 : 0);
      const e = target - y;
      store<f32>(addr(outputs, k * size + at), y);
      store<f32>(addr(errors, k * size + at), e);
      store<f32>(addr(scale, i), <f32>(amineTop * <f64>e));
    }
    sigmoidGrad(g, z, scale, outSign, m, 1);
    for (let i = 0; i < m; i++) {
      const e = f32At(errors, (from + i) * size + at);
      store<f32>(addr(pos, i), e > 0 ? f32At(g, i) : 0);
      store<f32>(addr(neg, i), e < 0 ? f32At(g, i) : 0);
    }
    rowsAxpy(topW, act, pos, m, srcExc, topLd, H);
    rowsAxpy(topW + (<usize>srcExc << 2), act + (<usize>srcExc << 2), neg, m, srcInh, topLd, H);
    rowsAxpy(topBias, betaColumn, pos, m, 1, LINE, 0);
    rowsAxpy(topBias + 4, betaColumn, neg, m, 1, LINE, 0);
    // The first layer.
    const amine = load<f64>(f64s, 8) * load<f64>(lrScale);
    let learns = false;
    for (let i = 0; i < m; i++) {
      const e = f32At(errors, (from + i) * size + at);
      store<f32>(addr(rowScale, i), <f32>(amine * <f64>e));
      learns = learns || e != 0;
    }
    summed = false;
    if (!learns) continue; // saturated outputs (e = 0 exactly) change nothing
    sigmoidGrad(grad, act, rowScale, unitFactor, m, H);
    if (at + 1 < size) {
      spUpdateForward(act, sum, start, end, index, value, grad, at, at + 1, n, ld);
      summed = true;
    } else updateOne(sum, grad, index, value, q0, q1, n, ld);
    for (let i = 0; i < m; i++) {
      const e = f32At(errors, (from + i) * size + at);
      const net = nets + (<usize>(STACK_NET * i) << 2);
      const gi = grad + (<usize>(i * H) << 2);
      if (e > 0) updateOne(word(net, 1), gi, index, value, q0, q1, H, ld);
      if (e != 0) rankUpdate(word(net, 3) + (e > 0 ? 0 : <usize>H << 2), betaColumn, gi, allRowsOf(plan), 1, 1, H, 1, 0);
    }
  }
}

// @ts-ignore: decorator
@inline function allRowsOf(plan: usize): usize {
  return word(plan, 14);
}
