/**
 * The settle schedule of ed-columns (as ed-dqn's, docs/ed-method.md "Settle"): the step size of every column,
 * the critic's too, is α·(1 − settle·p), p the share of the last SETTLE_WINDOW training episodes whose return
 * reached the solved threshold. A policy that holds stops changing; each episode that falls short gives back 1/20
 * of the step. It reads only training returns.
 */
import type { Columns } from './columns.js';

/** Training episodes the settle schedule looks back on. */
export const SETTLE_WINDOW = 20;

/** The last SETTLE_WINDOW episodes' shares of the solved threshold (a ring) and the step-size scale they set. */
export class SettleWindow {
  private readonly shares = new Float64Array(SETTLE_WINDOW);
  private at = 0;
  private sum = 0;

  constructor(readonly settle: number) {}

  /** 1 − settle·(the mean share of the window). */
  get scale(): number {
    return 1 - (this.settle * this.sum) / SETTLE_WINDOW;
  }

  /** Records one episode's share (1 held, 0 not, or graded between) and returns the new scale. */
  push(share: number): number {
    this.sum += share - this.shares[this.at];
    this.shares[this.at] = share;
    this.at = (this.at + 1) % SETTLE_WINDOW;
    return this.scale;
  }
}

/** ed-columns' settle: the episode's return kept here, every network's step rescaled at its end. */
export class Settle {
  private episodeReturn = 0;
  private readonly window: SettleWindow;

  constructor(
    readonly settle: number,
    readonly solvedAt: number | undefined,
    readonly networks: Columns[],
  ) {
    this.window = new SettleWindow(settle);
  }

  /** The current step-size scale. */
  get scale(): number {
    return this.window.scale;
  }

  /** Adds a step's reward; at the episode's end, records whether it held and rescales every network's step. */
  step(reward: number, ended: boolean): void {
    this.episodeReturn += reward;
    if (!ended) return;
    const held = this.solvedAt !== undefined && this.episodeReturn >= this.solvedAt ? 1 : 0;
    this.episodeReturn = 0;
    if (this.settle === 0 || this.solvedAt === undefined) return;
    const scale = this.window.push(held);
    for (const columns of this.networks) for (const rule of columns.rules) rule.setLearningRateScale?.(scale);
  }
}
