/**
 * The reward-only MNIST task ("operant conditioning"): the state is an image, the agent picks one of the
 * classes, the reward is 1 if the action is the image's class and 0 otherwise. The label is never shown; every
 * episode is one step. Images come in a seeded shuffled order, a new order after each pass.
 */
import type { Split } from '../data/tasks.js';
import { Random } from '../random.js';
import type { Env, StepResult } from './env.js';

export class RewardOnlyMnist implements Env {
  readonly name: string;
  readonly observationSize: number;
  readonly horizon = 1;
  readonly maxReward = 1;
  readonly minReward = 0;
  readonly solvedAt = null;
  private rng: Random;
  private order: Int32Array;
  private next = 0;
  private current = -1;

  /** `split` holds the images (bytes × scale = pixel values in 0…1); `shuffle` false keeps the split's order. */
  constructor(
    private readonly split: Split,
    readonly actions: number,
    private readonly scale: number,
    seed = 0,
    private readonly shuffle = true,
    name = 'reward-only MNIST',
  ) {
    this.name = name;
    this.observationSize = split.x.length / Math.max(1, split.count);
    this.rng = new Random(seed);
    this.order = Int32Array.from({ length: split.count }, (_, i) => i);
    if (shuffle) this.rng.shuffle(this.order);
  }

  /** Images in one pass. */
  get count(): number {
    return this.split.count;
  }

  reset(seed?: number): Float64Array {
    if (seed !== undefined) {
      this.rng = new Random(seed);
      this.order = Int32Array.from({ length: this.split.count }, (_, i) => i);
      if (this.shuffle) this.rng.shuffle(this.order);
      this.next = 0;
    }
    if (this.next === this.order.length) {
      if (this.shuffle) this.rng.shuffle(this.order);
      this.next = 0;
    }
    this.current = this.order[this.next++];
    const n = this.observationSize;
    const state = new Float64Array(n);
    const x = this.split.x;
    for (let j = 0; j < n; j++) state[j] = x[this.current * n + j] * this.scale;
    return state;
  }

  step(action: number): StepResult {
    if (this.current < 0) throw new Error('RewardOnlyMnist.step: the episode is over; call reset() first');
    if (!Number.isInteger(action) || action < 0 || action >= this.actions)
      throw new RangeError(`RewardOnlyMnist.step: action ${action}; expected 0…${this.actions - 1}`);
    const reward = this.split.labels[this.current] === action ? 1 : 0;
    this.current = -1;
    return { state: new Float64Array(this.observationSize), reward, terminated: true, truncated: false };
  }

  failed(step: StepResult): boolean {
    return step.reward === 0;
  }
}
