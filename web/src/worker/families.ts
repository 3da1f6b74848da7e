/**
 * ED's two synapse families of one class network: W⁺, the weights from excitatory sources (the excitatory copy of
 * every input, excitatory hidden units, the excitatory bias unit), and W⁻, those from inhibitory sources. One
 * sample's update changes one family only, chosen by the sign of its error e = t − y (docs/ed-method.md: "applied
 * only to the family s_m = sign(e)"). Read from rule.parameters(): per network, per layer, the weights
 * ((srcExc + srcInh) rows × out, excitatory rows first) and the bias (2 rows: excitatory, then inhibitory).
 * Imports types only, so that a Node test can use it.
 */
import type { EdClassifier } from 'edlearn/browser';
import type { FamilyChange } from '../protocol';

export interface Families {
  /** Every weight of the family, layer by layer (weights, then the family's bias row). */
  plus: Float32Array;
  minus: Float32Array;
  /**
   * Per weight of the first layer, |W⁺| + |W⁻| of its input's pair (elsewhere 0): the engine's online layout
   * stores W⁺ + W⁻ and W⁺ and derives W⁻ as their difference, so a change below float32 rounding of that pair
   * is no change (see changedWeights).
   */
  pairSize: Float32Array;
}

/** Copies of network `k`'s two families, in one fixed order. */
export function familiesOf(rule: EdClassifier, k: number): Families {
  const L = rule.shapes.length;
  const params = rule.parameters().slice(2 * L * k, 2 * L * (k + 1));
  const size = rule.shapes.reduce((n, s) => n + (s.srcExc + 1) * s.out, 0);
  const sizeInh = rule.shapes.reduce((n, s) => n + (s.srcInh + 1) * s.out, 0);
  const plus = new Float32Array(size);
  const minus = new Float32Array(sizeInh);
  const pairSize = new Float32Array(Math.max(size, sizeInh));
  let p = 0;
  let m = 0;
  rule.shapes.forEach((s, l) => {
    const w = params[2 * l];
    const bias = params[2 * l + 1];
    const split = s.srcExc * s.out;
    // The first layer has an excitatory and an inhibitory copy of every input: rows i and N + i are a pair.
    // So are its two bias rows.
    if (s.paired) {
      for (let i = 0; i < split; i++) pairSize[p + i] = Math.abs(w[i]) + Math.abs(w[split + i]);
      for (let u = 0; u < s.out; u++) pairSize[p + split + u] = Math.abs(bias[u]) + Math.abs(bias[s.out + u]);
    }
    plus.set(w.subarray(0, split), p);
    plus.set(bias.subarray(0, s.out), p + split);
    p += split + s.out;
    minus.set(w.subarray(split), m);
    minus.set(bias.subarray(s.out, 2 * s.out), m + w.length - split);
    m += w.length - split + s.out;
  });
  return { plus, minus, pairSize };
}

/** Float32 rounding of a stored sum, with room for the subtraction that derives W⁻ (a few units in the last place). */
const ROUNDING = 2 ** -20;

/** How many weights of `before` differ in `after` by more than rounding, and the largest difference. */
export function changedWeights(
  before: Float32Array,
  after: Float32Array,
  pairSize: Float32Array,
): { count: number; largest: number } {
  let count = 0;
  let largest = 0;
  for (let i = 0; i < before.length; i++) {
    const d = Math.abs(after[i] - before[i]);
    if (d > ROUNDING * pairSize[i]) {
      count++;
      largest = Math.max(largest, d);
    }
  }
  return { count, largest };
}

/** Runs `learn` (one update; it returns how many samples it learned) and says which family of `net` it changed. */
export function familyChangeBy(rule: EdClassifier, net: number, learn: () => number): FamilyChange {
  const k = Math.min(Math.max(0, Math.trunc(net)), rule.networks - 1);
  const before = familiesOf(rule, k);
  const samples = learn();
  const after = familiesOf(rule, k);
  return {
    net: k,
    plus: changedWeights(before.plus, after.plus, before.pairSize),
    minus: changedWeights(before.minus, after.minus, before.pairSize),
    errors: Array.from(rule.nets[k].error.subarray(0, samples)),
  };
}
