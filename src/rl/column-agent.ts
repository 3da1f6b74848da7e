/**
 * ed-columns: Kaneko's six steps (docs/ed-method.md, "Reinforcement learning").
 * 1. the columns (one ED network per action) all respond to the state; 2. the column with the highest output
 * acts (a random one with probability ε); 3. the step earns a reinforcement signal; 4. the amine carries it to
 * the columns that acted in the last `trace` steps of the episode, k steps back scaled by traceDecay^k; 5–6. ED
 * raises (positive) or lowers (negative) each such column's response to the state it acted on.
 * Plain (Kaneko's): the signal is positive for a success (strength `success`), negative for a failure (strength
 * 1): e = strength·decay^k·(1 − y), e = decay^k·(0 − y).
 * With the critic (Barto, Sutton & Anderson 1983, built from ED; critic.ts): an ED critic column learns V(s) by
 * TD(λ) and its TD error δ is the signal. `amine` 'linear': the column that acted k steps back takes the amine
 * e = success·δ·decay^k (positive δ raises its response, negative lowers it; ED's two sign families carry the two
 * signs). 'bounded' (the second session's): e = s·decay^k·(0.9 − y) when δ > 0, s·decay^k·(0.1 − y) when δ < 0,
 * s = min(1, success·|δ|), averaged over the trace.
 */
import type { Random } from '../random.js';
import type { Agent, Transition } from './agent-types.js';
import type { Columns } from './columns.js';
import type { RlConfig } from './config.js';
import { EpsilonGreedy } from './actor.js';
import { type Critic, pushAmine, TRACE_CUT } from './critic.js';
import type { Settle } from './settle.js';
import { VALUE_MARGIN } from './value-head.js';

const FIRST = [0];

export class ColumnAgent extends EpsilonGreedy implements Agent {
  readonly name = 'ed-columns' as const;
  /** The episode's recent states and actions, most recent last (a ring of `trace`). */
  private readonly states: Float32Array;
  private readonly actions: Int32Array;
  private length = 0;
  private head = 0;
  private readonly scores: Float32Array;

  constructor(
    config: RlConfig,
    columns: Columns,
    rng: Random,
    private readonly critic?: Critic,
    private readonly settle?: Settle,
  ) {
    super(config, columns, rng);
    this.states = new Float32Array(config.trace * columns.features);
    this.actions = new Int32Array(config.trace);
    this.scores = new Float32Array(columns.actions);
  }

  /**
   * With `noise` σ > 0, exploring: each column's output plus Gaussian noise of sd σ competes (the stochastic
   * action of Barto, Sutton & Anderson): near a tie the choice is a coin, where one column leads by several σ it
   * is that column. ε-greedy still applies first.
   */
  override act(features: Float32Array, explore: boolean): number {
    const sigma = this.config.noise;
    if (!explore || sigma === 0) return super.act(features, explore);
    const A = this.columns.actions;
    if (this.rng.next() < this.epsilon) return this.rng.int(A);
    this.columns.values(this.columns.load(features, FIRST, 1), this.scores);
    let best = 0;
    let top = -Infinity;
    for (let a = 0; a < A; a++) {
      // Box–Muller: a standard normal from two uniforms.
      const z = Math.sqrt(-2 * Math.log(1 - this.rng.next())) * Math.cos(2 * Math.PI * this.rng.next());
      const v = this.scores[a] + sigma * z;
      if (v > top) [best, top] = [a, v];
    }
    return best;
  }

  observe(t: Transition): void {
    const { trace, traceDecay, success } = this.config;
    this.steps++;
    this.states.set(t.features, this.head * this.columns.features);
    this.actions[this.head] = t.action;
    this.head = (this.head + 1) % trace;
    this.length = Math.min(this.length + 1, trace);
    if (this.critic) {
      const delta = this.critic.step(t);
      if (delta !== 0 && this.config.amine !== 'bounded') this.push(success * delta, traceDecay);
      else if (delta !== 0) {
        // The second session's form: towards 0.9 or 0.1, inside the sigmoid's responsive range.
        const strength = Math.min(1, success * Math.abs(delta));
        this.reinforce(delta > 0 ? 1 - VALUE_MARGIN : VALUE_MARGIN, strength, traceDecay);
      }
    } else {
      const strength = t.failed ? 1 : success;
      if (strength > 0) this.reinforce(t.failed ? 0 : 1, strength, traceDecay);
    }
    if (t.terminated || t.truncated) this.length = 0;
    this.settle?.step(t.reward, t.terminated || t.truncated);
  }

  /**
   * The rows of the trace where column a acted, with decay^k of each (k steps back); with `others` ≠ 0 also the
   * rows where another column acted, with others·decay^k.
   */
  private traced(a: number, decay: number, others = 0): { rows: number[]; scale: number[] } {
    const { trace } = this.config;
    const rows: number[] = [];
    const scale: number[] = [];
    for (let k = 0; k < this.length; k++) {
      const d = decay ** k;
      if (d < TRACE_CUT) break;
      const slot = (this.head - 1 - k + trace) % trace;
      const own = this.actions[slot] === a;
      if (!own && others === 0) continue;
      rows.push(slot);
      scale.push(own ? d : others * d);
    }
    return { rows, scale };
  }

  /**
   * The amine `amine`·decay^k into every column that acted in the trace, summed over the trace; 'opponent': the
   * columns that did not act at that step take −amine·decay^k/(A − 1), so the preference moves and their sum not.
   */
  private push(amine: number, decay: number): void {
    const A = this.columns.actions;
    const others = this.config.amine === 'opponent' ? -1 / (A - 1) : 0;
    for (let a = 0; a < A; a++) {
      const { rows, scale } = this.traced(a, decay, others);
      pushAmine(
        this.columns,
        a,
        this.states,
        rows,
        scale.map((s) => amine * s),
      );
    }
  }

  /** The amine of every column that acted in the trace, towards `target`, the k-th most recent scaled by decay^k. */
  private reinforce(target: number, strength: number, decay: number): void {
    for (let a = 0; a < this.columns.actions; a++) {
      const { rows, scale } = this.traced(a, decay);
      if (rows.length === 0) continue;
      const batch = this.columns.load(this.states, rows, rows.length);
      const weights = Float32Array.from(scale, (s) => strength * s);
      this.columns.fit(a, batch, new Float32Array(rows.length).fill(target), weights);
    }
  }
}
