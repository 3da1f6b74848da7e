/**
 * What Gym's classic-control environments share: a seeded random start, a step counter, termination by the
 * environment's own rule, truncation at the time limit (never both at once), and a clear error for a step after
 * the end or an action out of range. Each environment (cartpole.ts, acrobot.ts, mountaincar.ts) gives its start,
 * its dynamics, its reward and its observation.
 */
import { Random } from '../random.js';
import type { Env, StepResult } from './env.js';

export abstract class ClassicControl implements Env {
  abstract readonly name: string;
  abstract readonly observationSize: number;
  abstract readonly actions: number;
  abstract readonly maxReward: number;
  abstract readonly minReward: number;
  abstract readonly solvedAt: number;
  protected rng: Random;
  protected readonly state: Float64Array<ArrayBuffer>;
  private steps = 0;
  private done = true;

  /** `label` names the class in errors; `actionHelp` says what each action is ("0 (left) or 1 (right)"). */
  constructor(
    seed: number,
    stateSize: number,
    readonly horizon: number,
    private readonly label: string,
    private readonly actionHelp: string,
  ) {
    this.rng = new Random(seed);
    this.state = new Float64Array(stateSize);
  }

  reset(seed?: number): Float64Array {
    if (seed !== undefined) this.rng = new Random(seed);
    this.start(this.state, this.rng);
    this.steps = 0;
    this.done = false;
    return this.observe();
  }

  step(action: number): StepResult {
    if (this.done) throw new Error(`${this.label}.step: the episode is over; call reset() first`);
    if (!(Number.isInteger(action) && action >= 0 && action < this.actions))
      throw new RangeError(`${this.label}.step: action ${action}; expected ${this.actionHelp}`);
    const terminated = this.advance(action);
    this.steps++;
    const truncated = !terminated && this.steps >= this.horizon;
    this.done = terminated || truncated;
    return { state: this.observe(), reward: this.reward(terminated), terminated, truncated };
  }

  abstract failed(step: StepResult): boolean;

  /** Draws the initial state into `state`. */
  protected abstract start(state: Float64Array, rng: Random): void;
  /** Moves the state one step under `action`; whether the episode terminated. */
  protected abstract advance(action: number): boolean;
  protected abstract reward(terminated: boolean): number;

  /** What the agent sees of the state (a copy). */
  protected observe(): Float64Array {
    return Float64Array.from(this.state);
  }
}
