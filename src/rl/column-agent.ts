/**
 * ed-columns: Kaneko's six steps (docs/ed-method.md, "Reinforcement learning").
 * 1. the columns (one ED network per action) all respond to the state; 2. the column with the highest output
 * acts (a random one with probability ε); 3. the step earns a reinforcement signal; 4. the amine carries it to
 * the columns that acted in the last `trace` steps of the episode, k steps back scaled by traceDecay^k; 5–6. ED
 * raises (positive) or lowers (negative) each such column's response to the state it acted on.
 * Plain (Kaneko's): the signal is positive for a success (strength `success`), negative for a failure (strength
 * 1): e = strength·decay^k·(1 − y), e = decay^k·(0 − y).
 * With the critic (Barto, Sutton & Anderson 1983, built from ED): one more ED column learns V(s) through the value
 * head by TD(0) (no bootstrap from a terminal state, a bootstrap through truncation); its TD error δ (in output
 * units) is the signal: e = s·decay^k·(0.9 − y) when δ > 0, e = s·decay^k·(0.1 − y) when δ < 0,
 * s = min(1, success·|δ|): targets inside the sigmoid's responsive range, so that no column saturates.
 */
import type { Random } from '../random.js';
import type { Agent, Transition } from './agent-types.js';
import type { Columns } from './columns.js';
import type { RlConfig } from './config.js';
import { EpsilonGreedy } from './actor.js';
import { VALUE_MARGIN, type ValueHead } from './value-head.js';

export class ColumnAgent extends EpsilonGreedy implements Agent {
  readonly name = 'ed-columns' as const;
  /** The episode's recent states and actions, most recent last (a ring of `trace`). */
  private readonly states: Float32Array;
  private readonly actions: Int32Array;
  private length = 0;
  private head = 0;
  private readonly v = new Float32Array(1);
  private readonly target1 = new Float32Array(1);

  constructor(
    config: RlConfig,
    columns: Columns,
    rng: Random,
    private readonly critic?: Columns,
    private readonly values?: ValueHead,
  ) {
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
    if (this.critic && this.values) {
      const delta = this.criticStep(t, this.critic, this.values);
      // δ is small against the value range (≈ (1 − γ)·0.8 per step): `success` amplifies it, capped at 1. The
      // columns move towards 0.9 or 0.1, not 1 or 0: inside the sigmoid's responsive range, as the value head's.
      const strength = Math.min(1, success * Math.abs(delta));
      if (delta !== 0) this.reinforce(delta > 0 ? 1 - VALUE_MARGIN : VALUE_MARGIN, strength, traceDecay);
    } else {
      const strength = t.failed ? 1 : success;
      if (strength > 0) this.reinforce(t.failed ? 0 : 1, strength, traceDecay);
    }
    if (t.terminated || t.truncated) this.length = 0;
  }

  /** The critic's TD(0) step on (s, r, s′); its TD error in output units, before the step. */
  private criticStep(t: Transition, critic: Columns, head: ValueHead): number {
    let next = 0;
    if (!t.terminated) next = critic.values(critic.load(t.next, [0], 1), this.v)[0];
    const target = head.target(t.reward, this.config.gamma, next, t.terminated);
    const now = critic.values(critic.load(t.features, [0], 1), this.v)[0];
    this.target1[0] = target;
    critic.fit(0, critic.load(t.features, [0], 1), this.target1);
    return target - now;
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
