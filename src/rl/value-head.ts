/**
 * How a sigmoid column holds an action value (docs/ed-method.md, "Value heads"). A return lies in
 * [min, max] = [min(0, r_min), max(0, r_max)] / (1 − γ): with truncation bootstrapping (as Gym), a policy that
 * never fails has the fixed point r_max / (1 − γ), not the return of one time-limited episode. That range maps
 * affinely onto [lo, hi] = [MARGIN, 1 − MARGIN] of the output y, and every TD target is clipped to the range before
 * it is mapped, so no target can ask the sigmoid for more than hi: the fixed point sits where σ′ is still
 * ≥ hi·(1 − hi) (0.09 for a margin of 0.1, against 0.0066 at 0.993), and the action gap stays visible.
 * A linear output (bp-dqn with the Huber loss) holds the value itself; targets are still clipped to the range.
 * A one-step task (the MNIST task) never bootstraps, so it has no fixed point to exceed: its margin is 0 and the
 * targets are the rewards 0 and 1 themselves, as a classifier's.
 */

/** Share of the sigmoid's range left free at each end. */
export const VALUE_MARGIN = 0.1;

export class ValueHead {
  /** The outputs that stand for min and max: [0.1, 0.9] for a sigmoid; [min, max] itself for a linear output. */
  readonly lo: number;
  readonly hi: number;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly linear = false,
    margin = VALUE_MARGIN,
  ) {
    if (!(max > min)) throw new RangeError(`ValueHead: the value range [${min}, ${max}] is empty`);
    this.lo = linear ? min : margin;
    this.hi = linear ? max : 1 - margin;
  }

  /**
   * The range of returns of rewards in [minReward, maxReward] discounted by γ, bootstrapping through truncation;
   * a one-step task (horizon 1, the MNIST task: every episode terminates) never bootstraps.
   */
  static of(minReward: number, maxReward: number, gamma: number, horizon: number): ValueHead {
    const f = horizon === 1 ? 1 : 1 / (1 - gamma);
    const lo = Math.min(0, minReward) * f;
    const hi = Math.max(0, maxReward) * f;
    return new ValueHead(lo, hi === lo ? lo + 1 : hi, false, horizon === 1 ? 0 : VALUE_MARGIN);
  }

  /** The column output that stands for value q (q clipped to the range first). */
  toY(q: number): number {
    const c = Math.min(this.max, Math.max(this.min, q));
    return this.lo + ((this.hi - this.lo) * (c - this.min)) / (this.max - this.min);
  }

  /** The value a column output stands for. */
  toQ(y: number): number {
    return this.min + ((y - this.lo) * (this.max - this.min)) / (this.hi - this.lo);
  }

  /** The TD target as an output: r, plus γ·v′ unless the next state is terminal (a truncated one bootstraps). */
  target(reward: number, gamma: number, nextY: number, terminal: boolean): number {
    return this.toY(terminal ? reward : reward + gamma * this.toQ(nextY));
  }
}
