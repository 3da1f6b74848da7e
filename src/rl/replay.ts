/**
 * Experience replay: a ring of the last `capacity` transitions (encoded features), and a second ring of the last
 * `failures` terminal transitions, kept apart so that they survive long stretches without a failure. A batch draws
 * each sample from the failure ring with probability failShare (once it holds any), else from the main ring.
 */
import type { Random } from '../random.js';

export class Replay {
  readonly states: Float32Array;
  readonly next: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** 1 when the next state is terminal (no bootstrap), 0 otherwise (a truncated episode still bootstraps). */
  readonly terminal: Uint8Array;
  private at = 0;
  private failAt = 0;
  size = 0;
  failSize = 0;

  constructor(
    readonly capacity: number,
    readonly features: number,
    readonly failures = 0,
  ) {
    const slots = capacity + failures;
    this.states = new Float32Array(slots * features);
    this.next = new Float32Array(slots * features);
    this.actions = new Int32Array(slots);
    this.rewards = new Float32Array(slots);
    this.terminal = new Uint8Array(slots);
  }

  push(state: Float32Array, action: number, reward: number, next: Float32Array, terminal: boolean): void {
    this.write(this.at, state, action, reward, next, terminal);
    this.at = (this.at + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    if (terminal && this.failures > 0) {
      this.write(this.capacity + this.failAt, state, action, reward, next, terminal);
      this.failAt = (this.failAt + 1) % this.failures;
      this.failSize = Math.min(this.failSize + 1, this.failures);
    }
  }

  private write(
    i: number,
    state: Float32Array,
    action: number,
    reward: number,
    next: Float32Array,
    terminal: boolean,
  ): void {
    this.states.set(state, i * this.features);
    this.next.set(next, i * this.features);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminal[i] = terminal ? 1 : 0;
  }

  /** `count` slots drawn uniformly with replacement, each from the failure ring with probability failShare. */
  sample(rng: Random, count: number, failShare: number, into: Int32Array): Int32Array {
    for (let b = 0; b < count; b++) {
      into[b] =
        this.failSize > 0 && failShare > 0 && rng.next() < failShare
          ? this.capacity + rng.int(this.failSize)
          : rng.int(this.size);
    }
    return into;
  }
}
