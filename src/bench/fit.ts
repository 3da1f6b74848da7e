/**
 * The public API's `fit` against the CLI's trainer (what `edlearn train` runs) on one epoch of 10-class
 * kaneko-mnist online, one thread, alternating A/B in one process (medians): issue 21's "fit within 10 % of
 * edlearn train". Both time training alone (the trainer's clock), not data loading.
 */
import { createModel } from '../api/node.js';
import type { Task } from '../data/tasks.js';
import { getBackend } from '../kernels/index.js';
import { buildRule, maxBatchFor } from '../train/build.js';
import { resolveConfig } from '../train/config.js';
import { train } from '../train/trainer.js';
import { median } from './stats.js';

export interface FitResult {
  case: string;
  backend: string;
  /** Seconds per epoch, one per repeat. */
  trainSeconds: number[];
  fitSeconds: number[];
  /** median(fit) ÷ median(train). */
  ratio: number;
}

export const FIT_CASE = '10-class, kaneko-mnist 64 per class, online, 1 thread: model.fit against edlearn train';

export async function benchFit(task: Task, backendName: string, repeats: number): Promise<FitResult> {
  const trainSeconds: number[] = [];
  const fitSeconds: number[] = [];
  const x = task.train.x;
  const y = task.train.labels;
  // One untimed round of each first (JIT), then alternating rounds.
  for (let r = 0; r <= repeats; r++) {
    const config = resolveConfig({ preset: 'kaneko-mnist', task: 'all', seed: r + 1, threads: 1 });
    const rule = buildRule(
      { config, inputs: task.inputs, classes: task.classes, maxBatch: maxBatchFor(1) },
      getBackend(backendName),
    );
    const cli = train(rule, task, { batch: 1, epochs: 1, seed: r + 1, order: 'shuffle' });
    const model = createModel({ preset: 'kaneko-mnist', seed: r + 1, threads: 1, backend: backendName as 'wasm' });
    const fit = await model.fit(x, y, { epochs: 1 });
    if (r === 0) continue;
    trainSeconds.push(cli.trainSeconds);
    fitSeconds.push(fit.history.seconds[0]);
  }
  return {
    case: FIT_CASE,
    backend: backendName,
    trainSeconds,
    fitSeconds,
    ratio: median(fitSeconds) / median(trainSeconds),
  };
}
