/** Experience replay: a ring of the last `capacity` transitions (encoded features), sampled uniformly. */
import type { Random } from '../random.js';

export class Replay {
  readonly states: Float32Array;
  readonly next: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** 1 when the next state is terminal (no bootstrap), 0 otherwise (a truncated episode still bootstraps). */
  readonly terminal: Uint8Array;
  private at = 0;
  size = 0;

  constructor(readonly capacity: number, readonly features: number) {
    this.states = new Float32Array(capacity * features);
    this.next = new Float32Array(capacity * features);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminal = new Uint8Array(capacity);
  }

  push(state: Float32Array, action: number, reward: number, next: Float32Array, terminal: boolean): void {
    const i = this.at;
    this.states.set(state, i * this.features);
    this.next.set(next, i * this.features);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminal[i] = terminal ? 1 : 0;
    this.at = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** `count` indices drawn uniformly with replacement. */
  sample(rng: Random, count: number, into: Int32Array): Int32Array {
    for (let b = 0; b < count; b++) into[b] = rng.int(this.size);
    return into;
  }
}
