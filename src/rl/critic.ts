/**
 * The adaptive critic of Barto, Sutton & Anderson (1983) built from ED (docs/ed-method.md, "ed-columns with a
 * critic"): one ED column learns the value V(s) of a state, read through the value head (value-head.ts), by
 * TD(λ). Its TD error δ = r + γ·V(s′) − V(s), in output units, is computed before the update: V(s′) is 0 after a
 * terminating step and is bootstrapped after a truncated one (Gym's time limit does not end the task). The column
 * then takes the amine δ·λ^k at the state of k steps back in the episode (an eligibility trace of `length` states).
 */
import type { Columns } from './columns.js';
import type { ValueHead } from './value-head.js';

/** Trace terms below this share of the amine are not applied (λ^k has died out). */
export const TRACE_CUT = 1e-3;

export interface TdStep {
  features: Float32Array;
  reward: number;
  next: Float32Array;
  terminated: boolean;
  truncated: boolean;
}

/**
 * Applies amine[i] to column a at rows[i] of `rows` (n × features) as a sum over the rows: e_i = n·amine[i] under
 * the batch mean of the columns' rule (batchReduce 'mean'), as learnTargets' weight·(target − y) with target 1 or 0
 * by the amine's sign and the weight that makes the product the amine.
 */
export function pushAmine(columns: Columns, a: number, rows: Float32Array, picks: number[], amine: number[]): void {
  const n = picks.length;
  if (n === 0) return;
  const A = columns.actions;
  const y = columns.values(columns.load(rows, picks, n), new Float32Array(n * A));
  const targets = new Float32Array(n);
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const yi = y[i * A + a];
    targets[i] = amine[i] > 0 ? 1 : 0;
    weights[i] = (n * Math.abs(amine[i])) / Math.max(1e-6, Math.abs(targets[i] - yi));
  }
  columns.fit(a, columns.load(rows, picks, n), targets, weights);
}

export class Critic {
  /** The episode's recent states, most recent last (a ring of `length`). */
  private readonly states: Float32Array;
  private count = 0;
  private head = 0;
  private readonly one = new Float32Array(1);
  private readonly first = [0];

  constructor(
    readonly column: Columns,
    readonly values: ValueHead,
    readonly gamma: number,
    readonly lambda: number,
    readonly length: number,
  ) {
    this.states = new Float32Array(length * column.features);
  }

  /** V(s) as the column's output y (value-head units). */
  value(features: Float32Array): number {
    return this.column.values(this.column.load(features, this.first, 1), this.one)[0];
  }

  /** The TD target of a step in output units: r alone after termination, r + γ·V(s′) otherwise. */
  target(t: TdStep): number {
    const next = t.terminated ? 0 : this.value(t.next);
    return this.values.target(t.reward, this.gamma, next, t.terminated);
  }

  /** One TD(λ) step: returns δ (output units, before the update) and moves the traced states' values by δ·λ^k. */
  step(t: TdStep): number {
    const F = this.column.features;
    const delta = this.target(t) - this.value(t.features);
    this.states.set(t.features, this.head * F);
    this.head = (this.head + 1) % this.length;
    this.count = Math.min(this.count + 1, this.length);
    const picks: number[] = [];
    const amine: number[] = [];
    for (let k = 0; k < this.count; k++) {
      const decay = this.lambda ** k;
      if (decay < TRACE_CUT) break;
      picks.push((this.head - 1 - k + this.length) % this.length);
      amine.push(delta * decay);
    }
    if (delta !== 0) pushAmine(this.column, 0, this.states, picks, amine);
    if (t.terminated || t.truncated) this.count = 0;
    return delta;
  }
}
