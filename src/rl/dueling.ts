/**
 * Dueling columns (after Wang et al. 2016), each an independent network as Kaneko's columns are: column 0 learns
 * the state's value V(s), column 1 + a the advantage of action a, and Q(s, a) = V(s) + A_a(s) − mean_a′ A_a′(s) in
 * the value head's output space. An update of action a towards the TD target t shares the error δ = t − Q(s, a):
 * V moves towards V + δ/2 and A_a towards A_a + δ/2 (each clipped to a sigmoid's [0, 1]), so V learns from every
 * action's samples and the action gap is held by the advantage columns alone. With ED, δ/2 is each column's amine.
 */
import type { Backend } from '../kernels/backend.js';
import type { Rule, SampleBatch } from '../rules/rule.js';
import { Columns } from './columns.js';

export class DuelingColumns extends Columns {
  /** Every network's output per sample, (batch, 1 + actions). */
  private readonly raw: Float32Array;
  private readonly scores2: Float32Array;
  private readonly q: Float32Array;
  private readonly toV: Float32Array;
  private readonly toA: Float32Array;

  /**
   * rules[0] is the value network, rules[1 + a] action a's advantage network; bounded: sigmoid outputs, whose
   * targets are clipped to [0, 1] (a linear output, bp-dqn's, is not).
   */
  constructor(
    rules: Rule[],
    features: number,
    maxBatch: number,
    backend: Backend,
    private readonly bounded = true,
  ) {
    if (rules.length < 2) throw new RangeError('DuelingColumns: give a value network and at least one advantage');
    super(rules, features, maxBatch, backend);
    this.raw = new Float32Array(maxBatch * rules.length);
    this.scores2 = new Float32Array(maxBatch * 2);
    this.q = new Float32Array(maxBatch * (rules.length - 1));
    this.toV = new Float32Array(maxBatch);
    this.toA = new Float32Array(maxBatch);
  }

  override get actions(): number {
    return this.rules.length - 1;
  }

  /** out[b·A + a] = V + A_a − mean A for sample b. */
  override values(batch: SampleBatch, out: Float32Array): Float32Array {
    const n = this.rules.length;
    const A = n - 1;
    this.rules.forEach((rule, r) => {
      rule.predict(batch, this.scores2);
      for (let b = 0; b < batch.size; b++) this.raw[b * n + r] = this.scores2[b * 2 + 1];
    });
    for (let b = 0; b < batch.size; b++) {
      let mean = 0;
      for (let a = 0; a < A; a++) mean += this.raw[b * n + 1 + a];
      mean /= A;
      for (let a = 0; a < A; a++) out[b * A + a] = this.raw[b * n] + this.raw[b * n + 1 + a] - mean;
    }
    return out;
  }

  /** Moves Q(s, a) towards targets[b]: half the error to V, half to A_a. */
  override fit(a: number, batch: SampleBatch, targets: Float32Array, weights?: Float32Array): void {
    const n = this.rules.length;
    const A = n - 1;
    this.values(batch, this.q);
    for (let b = 0; b < batch.size; b++) {
      const half = (targets[b] - this.q[b * A + a]) / 2;
      this.toV[b] = this.clip(this.raw[b * n] + half);
      this.toA[b] = this.clip(this.raw[b * n + 1 + a] + half);
    }
    super.fit(0, batch, this.toV, weights);
    super.fit(1 + a, batch, this.toA, weights);
  }

  private clip(v: number): number {
    return this.bounded ? Math.min(1, Math.max(0, v)) : v;
  }
}
