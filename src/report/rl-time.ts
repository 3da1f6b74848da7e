/**
 * How long the RL runs took: the training seconds their logs record (time inside the episodes, without the greedy
 * evaluation), summed per environment and agent and in total — the README's time line of `experiment rl`.
 */
import type { RlRunLog } from './rl-read.js';

export function rlTimeLine(runs: RlRunLog[]): string {
  if (runs.length === 0) return '';
  const sums = new Map<string, number>();
  for (const r of runs) {
    const key = `${r.start.config.env} ${r.start.config.agent}`;
    sums.set(key, (sums.get(key) ?? 0) + r.end.trainSeconds);
  }
  const min = (s: number) => `${(s / 60).toFixed(1)} min`;
  const total = [...sums.values()].reduce((a, b) => a + b, 0);
  const parts = [...sums.entries()].map(([k, s]) => `${k} ${min(s)}`);
  return `*Training time (the logs' training seconds, summed over seeds): ${parts.join(', ')}; in all ${min(total)}.*`;
}
