import type { Backend } from './backend.js';

/**
 * The reference backend: plain TypeScript, the living definition of every kernel. The fast backends must agree
 * with it (see test/kernels.test.ts). Kept simple on purpose; the only concession to speed is skipping zero
 * inputs, which are ~80 % of MNIST pixels and contribute nothing to a product.
 */
export const referenceBackend: Backend = {
  name: 'reference',

  alloc: (length) => new Float32Array(length),
  allocInt: (length) => new Int32Array(length),

  gemm(out, a, b, m, k, n) {
    out.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      const o = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p];
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) out[o + j] += aip * b[bp + j];
      }
    }
  },

  spmm(out, start, end, index, value, b, m, n, ldb = n) {
    out.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      for (let q = start[i]; q < end[i]; q++) {
        const v = value[q];
        const bp = index[q] * ldb;
        for (let j = 0; j < n; j++) out[i * n + j] += v * b[bp + j];
      }
    }
  },

  rankUpdate(w, z, g, rows, count, k, n, ldz, zOff) {
    for (let c = 0; c < count; c++) {
      const r = rows[c];
      const zr = r * ldz + zOff;
      const gr = r * n;
      for (let p = 0; p < k; p++) {
        const zv = z[zr + p];
        if (zv === 0) continue;
        const wp = p * n;
        for (let j = 0; j < n; j++) w[wp + j] += zv * g[gr + j];
      }
    }
  },

  spRankUpdate(w, start, end, index, value, g, rows, count, n, ldw = n) {
    for (let c = 0; c < count; c++) {
      const r = rows[c];
      for (let q = start[r]; q < end[r]; q++) {
        const v = value[q];
        const wp = index[q] * ldw;
        for (let j = 0; j < n; j++) w[wp + j] += v * g[r * n + j];
      }
    }
  },

  spUpdateForward(out, w, start, end, index, value, g, r, s, n, ldw = n) {
    for (let q = start[r]; q < end[r]; q++) {
      const v = value[q];
      const wp = index[q] * ldw;
      for (let j = 0; j < n; j++) w[wp + j] += v * g[j];
    }
    out.fill(0, 0, n);
    for (let q = start[s]; q < end[s]; q++) {
      const v = value[q];
      const wp = index[q] * ldw;
      for (let j = 0; j < n; j++) out[j] += v * w[wp + j];
    }
  },

  // These two round as gemm and rankUpdate do here on one column (a float32 sum after every input).
  rowDots(out, a, b, m, k, lda, ldb) {
    for (let i = 0; i < m; i++) {
      out[i] = 0;
      for (let p = 0; p < k; p++) if (a[i * lda + p] !== 0) out[i] += a[i * lda + p] * b[i * ldb + p];
    }
  },

  rowsAxpy(w, a, s, m, k, ldw, lda) {
    for (let i = 0; i < m; i++) {
      if (s[i] === 0) continue;
      for (let p = 0; p < k; p++) if (a[i * lda + p] !== 0) w[i * ldw + p] += a[i * lda + p] * s[i];
    }
  },

  gemmBT(out, a, b, m, k, n) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[i * k + p] * b[j * k + p];
        out[i * n + j] = sum;
      }
    }
  },

  adam(w, g, m, v, len, alpha, beta1, beta2, epsilon) {
    for (let i = 0; i < len; i++) {
      m[i] += (g[i] - m[i]) * (1 - beta1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
      w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + epsilon);
    }
  },

  addRow(out, v, m, n) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) out[i * n + j] += v[j];
    }
  },

  add(out, a, b, len) {
    for (let i = 0; i < len; i++) out[i] = a[i] + b[i];
  },

  sigmoid(out, x, len, gain) {
    for (let i = 0; i < len; i++) {
      const t = gain * x[i];
      // exp of a non-positive number only: no overflow however large |t| is.
      if (t >= 0) out[i] = 1 / (1 + Math.exp(-t));
      else {
        const e = Math.exp(t);
        out[i] = e / (1 + e);
      }
    }
  },

  sigmoidGrad(out, y, rowScale, colScale, m, n) {
    for (let i = 0; i < m; i++) {
      const s = rowScale[i];
      for (let j = 0; j < n; j++) {
        const v = y[i * n + j];
        out[i * n + j] = s * colScale[j] * v * (1 - v);
      }
    }
  },

  densify(out, start, end, index, value, m, n) {
    out.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      for (let q = start[i]; q < end[i]; q++) out[i * n + index[q]] = value[q];
    }
  },
};
