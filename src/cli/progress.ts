/** Progress on stderr: a bar on a terminal, one plain line per evaluation otherwise (logs, CI). */
import { SingleBar } from 'cli-progress';
import type { EpisodeRecord } from '../rl/loop.js';
import type { RlEvalRecord } from '../log/events.js';
import type { EvalRecord } from '../train/trainer.js';

export interface Progress {
  onUpdate(update: number, total: number): void;
  onEval(e: EvalRecord): void;
  stop(): void;
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

export function describeEval(e: EvalRecord): string {
  return (
    `epoch ${e.epoch.toFixed(2)}  update ${e.update}  val ${pct(e.valAccuracy)}  ` +
    `best ${pct(e.bestValAccuracy)} @${e.bestUpdate}  train ${pct(e.trainAccuracy)}  ${e.trainSeconds.toFixed(1)} s`
  );
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

export interface RlProgress {
  start(episodes: number): void;
  onEpisode(e: EpisodeRecord): void;
  onEval(e: RlEvalRecord): void;
  stop(): void;
}

/**
 * RL progress on stderr: a bar (episode, return, mean of the last 100) on a
 * terminal, a line every 50 episodes otherwise.
 */
export function createRlProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): RlProgress {
  const evalLine = (e: RlEvalRecord) =>
    `episode ${e.episode}  greedy validation accuracy ${pct(e.validationAccuracy)}  rewarded ${pct(e.rewardRate)}`;
  if (quiet) return { start() {}, onEpisode() {}, onEval() {}, stop() {} };
  if (!stream.isTTY) {
    return {
      start() {},
      onEpisode: (e) => {
        if (e.episode % 50 === 0 && e.length > 1)
          stream.write(
            `episode ${e.episode}  return ${e.return}  mean100 ${e.mean100.toFixed(1)}  ` +
              `ε ${e.epsilon.toFixed(3)}  ${e.seconds.toFixed(1)} s\n`,
          );
      },
      onEval: (e) => stream.write(evalLine(e) + '\n'),
      stop() {},
    };
  }
  const bar = new SingleBar({
    stream,
    format: 'rl [{bar}] episode {value}/{total} | return {ret} | mean100 {mean} | eta {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  let lastDraw = 0;
  return {
    start(episodes) {
      bar.start(episodes, 0, { ret: '-', mean: '-' });
      started = true;
    },
    onEpisode(e) {
      const now = Date.now();
      if (now - lastDraw > 100) {
        bar.update(e.episode, { ret: e.return.toFixed(0), mean: e.mean100.toFixed(e.length > 1 ? 1 : 3) });
        lastDraw = now;
      }
    },
    onEval(e) {
      bar.update(e.episode, { mean: pct(e.validationAccuracy) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
