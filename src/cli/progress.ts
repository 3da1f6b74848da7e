/** Progress on stderr: a bar on a terminal, one plain line per evaluation otherwise (logs, CI). */
import { SingleBar } from 'cli-progress';
import type { EvalRecord } from '../train/trainer.js';

export interface Progress {
  onUpdate(update: number, total: number): void;
  onEval(e: EvalRecord): void;
  stop(): void;
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

export function describeEval(e: EvalRecord): string {
  return `epoch ${e.epoch.toFixed(2)}  update ${e.update}  val ${pct(e.valAccuracy)}  best ${pct(e.bestValAccuracy)} @${e.bestUpdate}  train ${pct(e.trainAccuracy)}  ${e.trainSeconds.toFixed(1)} s`;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { onUpdate() {}, onEval() {}, stop() {} };
  if (!stream.isTTY) {
    return { onUpdate() {}, onEval: (e) => stream.write(describeEval(e) + '\n'), stop() {} };
  }
  const bar = new SingleBar({
    stream,
    format: 'train [{bar}] {percentage}% | update {value}/{total} | val {val} | best {best} | eta {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  let lastDraw = 0;
  return {
    onUpdate(update, total) {
      if (!started) {
        bar.start(total, 0, { val: '-', best: '-' });
        started = true;
      }
      const now = Date.now();
      if (now - lastDraw > 100 || update === total) {
        bar.update(update);
        lastDraw = now;
      }
    },
    onEval(e) {
      bar.update(e.update, { val: pct(e.valAccuracy), best: pct(e.bestValAccuracy) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
