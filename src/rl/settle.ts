/**
 * The settle schedule of ed-columns (as ed-dqn's, docs/ed-method.md "Settle"): the step size of every column,
 * the critic's too, is α·(1 − settle·p), p the share of the last SETTLE_WINDOW training episodes whose return
 * reached the solved threshold. A policy that holds stops changing; each episode that falls short gives back 1/20
 * of the step. It reads only training returns.
 */
import type { Columns } from './columns.js';
import { SETTLE_WINDOW } from './dqn.js';

export class Settle {
  private episodeReturn = 0;
  private readonly held = new Uint8Array(SETTLE_WINDOW);
  private at = 0;
  private count = 0;

  constructor(
    readonly settle: number,
    readonly solvedAt: number | undefined,
    readonly networks: Columns[],
  ) {}

  /** The current step-size scale. */
  get scale(): number {
    return 1 - (this.settle * this.count) / SETTLE_WINDOW;
  }

  /** Adds a step's reward; at the episode's end, records whether it held and rescales every network's step. */
  step(reward: number, ended: boolean): void {
    this.episodeReturn += reward;
    if (!ended) return;
    const held = this.solvedAt !== undefined && this.episodeReturn >= this.solvedAt ? 1 : 0;
    this.episodeReturn = 0;
    if (this.settle === 0 || this.solvedAt === undefined) return;
    this.count += held - this.held[this.at];
    this.held[this.at] = held;
    this.at = (this.at + 1) % SETTLE_WINDOW;
    for (const columns of this.networks) for (const rule of columns.rules) rule.setLearningRateScale?.(this.scale);
  }
}
