/** What the agents share: their columns, the ε schedule over their steps, and ε-greedy action choice. */
import type { Random } from '../random.js';
import { argmaxRow } from '../rules/rule.js';
import type { Columns } from './columns.js';
import { epsilonAt, type RlConfig } from './config.js';

export abstract class EpsilonGreedy {
  /** Steps observed so far (the ε schedule's clock). */
  protected steps = 0;
  private readonly one: Float32Array;
  private readonly first = new Int32Array(1);

  constructor(
    protected readonly config: RlConfig,
    readonly columns: Columns,
    protected readonly rng: Random,
  ) {
    this.one = new Float32Array(columns.actions);
  }

  get epsilon(): number {
    return epsilonAt(this.config.epsilon, this.steps);
  }

  /** The highest column's action, or with probability ε (when exploring) a uniformly random one. */
  act(features: Float32Array, explore: boolean): number {
    if (explore && this.rng.next() < this.epsilon) return this.rng.int(this.columns.actions);
    this.columns.values(this.columns.load(features, this.first, 1), this.one);
    return argmaxRow(this.one, 0, this.columns.actions);
  }
}
