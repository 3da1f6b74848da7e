/**
 * The agents' networks: one independent network per action (Kaneko's columns), each a two-class rule from
 * train/build.ts whose output y ∈ (0, 1) is the column's response (a scaled action value for the DQN agents).
 * Feature rows go in as sparse rows (the zeros of the encoding are skipped), in the backend's memory.
 */
import type { Backend } from '../kernels/backend.js';
import type { Rule, SampleBatch } from '../rules/rule.js';

export class Columns {
  private readonly index: Int32Array;
  private readonly value: Float32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly scores: Float32Array;
  /** The labels of a batch whose caller gives none (no allocation per step). */
  private readonly noLabels: Float32Array;

  constructor(
    readonly rules: Rule[],
    readonly features: number,
    readonly maxBatch: number,
    backend: Backend,
  ) {
    this.index = backend.allocInt(maxBatch * features);
    this.value = backend.alloc(maxBatch * features);
    this.start = new Int32Array(maxBatch);
    this.end = new Int32Array(maxBatch);
    this.scores = new Float32Array(maxBatch * 2);
    this.noLabels = new Float32Array(maxBatch);
  }

  get actions(): number {
    return this.rules.length;
  }

  /** A batch of rows[picks[i]] (rows is (n, features) row-major); labels are the caller's. */
  load(
    rows: Float32Array,
    picks: ArrayLike<number>,
    count: number,
    labels: ArrayLike<number> = this.noLabels,
  ): SampleBatch {
    const F = this.features;
    let q = 0;
    for (let b = 0; b < count; b++) {
      this.start[b] = q;
      const base = picks[b] * F;
      // Branch-free: every feature is written, and the slot is kept only when it is not zero.
      for (let j = 0; j < F; j++) {
        const v = rows[base + j];
        this.index[q] = j;
        this.value[q] = v;
        q += v === 0 ? 0 : 1;
      }
      this.end[b] = q;
    }
    return { size: count, start: this.start, end: this.end, index: this.index, value: this.value, labels };
  }

  /** out[b·A + a] = column a's output for sample b of the batch. */
  values(batch: SampleBatch, out: Float32Array): Float32Array {
    const A = this.actions;
    this.rules.forEach((rule, a) => {
      rule.predict(batch, this.scores);
      for (let b = 0; b < batch.size; b++) out[b * A + a] = this.scores[b * 2 + 1];
    });
    return out;
  }

  /**
   * Moves column a's output towards targets[b] ∈ [0, 1] for every sample of the batch: ED with the amine
   * e = weight·(target − y) (learnTargets), backprop by one optimiser step on its loss with the target as label.
   */
  fit(a: number, batch: SampleBatch, targets: Float32Array, weights?: Float32Array): void {
    const rule = this.rules[a];
    if (rule.learnTargets) rule.learnTargets(batch, targets, weights);
    else {
      if (weights) throw new Error('Columns.fit: per-sample weights are for ED columns only');
      rule.learn({ ...batch, labels: targets });
    }
  }

  parameters(): Float32Array[] {
    return this.rules.flatMap((r) => r.parameters());
  }

  /** Copies another set of columns' weights into these (the DQN target networks). */
  copyFrom(other: Columns): void {
    this.rules.forEach((rule, a) => {
      rule.parameters().forEach((p, i) => p.set(other.rules[a].parameters()[i]));
      rule.parametersChanged();
    });
  }

  /** Writes stored parameters (a loaded agent file) into the columns, in parameters() order. */
  setParameters(params: Float32Array[]): void {
    let i = 0;
    for (const rule of this.rules) {
      for (const p of rule.parameters()) p.set(params[i++]);
      rule.parametersChanged();
    }
  }
}
