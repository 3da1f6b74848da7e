/**
 * An ensemble as one rule: its members' class scores averaged. It predicts and is saved and loaded like any model
 * (the parameters are the members' arrays one after the other); it does not learn — each member was trained
 * alone (train/ensemble.ts). Browser-safe.
 */
import type { Backend } from '../kernels/backend.js';
import type { LearnStats, Rule, SampleBatch } from '../rules/rule.js';

export class EnsembleRule implements Rule {
  readonly classes: number;
  readonly inputs: number;
  readonly maxBatch: number;
  readonly backend: Backend;
  private readonly scratch: Float32Array;

  constructor(readonly members: Rule[]) {
    if (members.length < 1) throw new Error('EnsembleRule: no members');
    const [first] = members;
    if (members.some((m) => m.classes !== first.classes || m.inputs !== first.inputs || m.backend !== first.backend)) {
      throw new Error('EnsembleRule: members differ in classes, inputs or backend');
    }
    this.classes = first.classes;
    this.inputs = first.inputs;
    this.backend = first.backend;
    this.maxBatch = Math.min(...members.map((m) => m.maxBatch));
    this.scratch = new Float32Array(this.maxBatch * this.classes);
  }

  /** The mean of the members' scores. */
  predict(batch: SampleBatch, scores: Float32Array): void {
    const n = batch.size * this.classes;
    scores.fill(0, 0, n);
    for (const m of this.members) {
      m.predict(batch, this.scratch);
      for (let i = 0; i < n; i++) scores[i] += this.scratch[i];
    }
    const k = this.members.length;
    for (let i = 0; i < n; i++) scores[i] /= k;
  }

  learn(): LearnStats {
    throw new Error('EnsembleRule: an ensemble does not learn as one; train its members (train/ensemble.ts)');
  }

  parameterCount(): number {
    return this.members.reduce((n, m) => n + m.parameterCount(), 0);
  }

  parameters(): Float32Array[] {
    return this.members.flatMap((m) => m.parameters());
  }

  parametersChanged(): void {
    for (const m of this.members) m.parametersChanged();
  }
}
