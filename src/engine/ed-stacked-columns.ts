/**
 * The stacked layout's geometry (src/engine/ed-stacked.ts): how many networks share a band of columns, which
 * learn a sequence together; and a network's first layer between the rule's arrays (W⁺ rows, then W⁻ rows,
 * (2N, H)) and its stacked columns (W⁺ + W⁻ and W⁺, rows `ld` floats apart).
 */

/**
 * Bytes of stacked W⁺ + W⁻ and W⁺ columns that learn a sequence together online: wide enough for the wide-row
 * kernels, few enough to stay in cache. Measured on a machine with 1 MB of L2 cache per core (kaneko-mnist,
 * 10-class, one thread): groups of 5 networks of 64 (2 MB) ran faster than groups of 1 or 3; on the 2-core EPYC
 * of this project all 10 in one group ran faster on one thread, but a group is also a band of its own memory, and
 * two threads whose networks share a band slow each other down, so 5 (a band per thread on 2 threads) stays.
 */
const WIDE_BYTES = 2 * 2 ** 20;

/** Networks per band, for N inputs and H first-layer units (see StackedEd.bandSize). */
export function edBandSize(networks: number, inputs: number, units: number): number {
  return Math.min(networks, Math.max(1, Math.floor(WIDE_BYTES / (inputs * units * 8))));
}

/** Online: the groups [from, to) of networks [first, last) that learn a sequence together (they stop at band ends). */
export function edStackedGroups(first: number, last: number, band: number): [number, number][] {
  const groups: [number, number][] = [];
  for (let c = first; c < last; ) {
    const end = Math.min(last, (Math.floor(c / band) + 1) * band);
    groups.push([c, end]);
    c = end;
  }
  return groups;
}

/** W⁺ and W⁻ written into the stacked W⁺ + W⁻ and W⁺. */
export function toColumns(w0: Float32Array, sum: Float32Array, plus: Float32Array, N: number, H: number, ld: number) {
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < H; j++) {
      plus[i * ld + j] = w0[i * H + j];
      sum[i * ld + j] = w0[i * H + j] + w0[(N + i) * H + j];
    }
  }
}

/** W⁺ and W⁻ = (W⁺ + W⁻) − W⁺ read back from the stacked columns. */
export function fromColumns(w0: Float32Array, sum: Float32Array, plus: Float32Array, N: number, H: number, ld: number) {
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < H; j++) {
      w0[i * H + j] = plus[i * ld + j];
      w0[(N + i) * H + j] = sum[i * ld + j] - plus[i * ld + j];
    }
  }
}
