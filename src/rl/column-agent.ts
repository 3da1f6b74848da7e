/**
 * ed-columns: Kaneko's six steps, without value functions (docs/ed-method.md, "Reinforcement learning").
 * 1. the columns (one ED network per action) all respond to the state; 2. the column with the highest output
 * acts (a random one with probability ε); 3. the step earns a reinforcement signal — positive for a success
 * (strength `success`), negative for a failure (strength 1), as the environment defines them; 4. the amine carries
 * it to the columns that acted in the last `trace` steps of the episode, k steps back scaled by traceDecay^k;
 * 5–6. ED raises (positive) or lowers (negative) each such column's response to the state it acted on: the amine
 * is e = strength·decay^k·(1 − y) for a success and e = decay^k·(0 − y) for a failure.
 */
import type { Random } from '../random.js';
import type { Agent, Transition } from './agent.js';
import type { Columns } from './columns.js';
import type { RlConfig } from './config.js';
import { EpsilonGreedy } from './actor.js';

export class ColumnAgent extends EpsilonGreedy implements Agent {
  readonly name = 'ed-columns' as const;
  /** The episode's recent states and actions, most recent last (a ring of `trace`). */
  private readonly states: Float32Array;
  private readonly actions: Int32Array;
  private length = 0;
  private head = 0;

  constructor(config: RlConfig, columns: Columns, rng: Random) {
    super(config, columns, rng);
    this.states = new Float32Array(config.trace * columns.features);
    this.actions = new Int32Array(config.trace);
  }

  observe(t: Transition): void {
    const { trace, traceDecay, success } = this.config;
    this.steps++;
    this.states.set(t.features, this.head * this.columns.features);
    this.actions[this.head] = t.action;
    this.head = (this.head + 1) % trace;
    this.length = Math.min(this.length + 1, trace);
    const strength = t.failed ? 1 : success;
    if (strength > 0) this.reinforce(t.failed ? 0 : 1, strength, traceDecay);
    if (t.terminated || t.truncated) this.length = 0;
  }

  /** The amine of every column that acted in the trace, towards `target`, the k-th most recent scaled by decay^k. */
  private reinforce(target: number, strength: number, decay: number): void {
    const { trace } = this.config;
    for (let a = 0; a < this.columns.actions; a++) {
      const rows: number[] = [];
      const weights: number[] = [];
      for (let k = 0; k < this.length; k++) {
        const slot = (this.head - 1 - k + trace) % trace;
        if (this.actions[slot] !== a) continue;
        rows.push(slot);
        weights.push(strength * decay ** k);
      }
      if (rows.length === 0) continue;
      const batch = this.columns.load(this.states, rows, rows.length);
      this.columns.fit(a, batch, new Float32Array(rows.length).fill(target), Float32Array.from(weights));
    }
  }
}
