/** Evaluation throughput: the whole MNIST test split predicted by a 10-class kaneko-mnist model (median time). */
import type { Task } from '../data/tasks.js';
import { toSparseRows } from '../data/sparse.js';
import { spreadNetworks } from '../engine/threads.js';
import { getBackend } from '../kernels/index.js';
import { buildRule, maxBatchFor } from '../train/build.js';
import { resolveConfig } from '../train/config.js';
import { predictRows } from '../train/predict.js';
import { timeIt } from './stats.js';

export interface EvaluationResult {
  model: string;
  backend: string;
  threads: number;
  images: number;
  milliseconds: number;
  imagesPerSecond: number;
}

export async function benchEvaluation(task: Task, backendName: string, threads: number): Promise<EvaluationResult> {
  const backend = getBackend(backendName);
  const config = resolveConfig({ preset: 'kaneko-mnist', task: 'all' });
  const rule = buildRule(
    { config, inputs: task.inputs, classes: task.classes, maxBatch: maxBatchFor(config.train.batch) },
    backend,
  );
  const rows = toSparseRows(task.test, task.inputs, task.scale, backend);
  const pool = spreadNetworks(rule, threads, config.train.batch);
  try {
    const { seconds } = timeIt(() => predictRows(rule, rows), { repeats: 5, warmup: 1, minSeconds: 0 });
    return {
      model: '10-class kaneko-mnist (64 per class)',
      backend: backendName,
      threads: pool?.threads ?? 1,
      images: rows.count,
      milliseconds: seconds * 1000,
      imagesPerSecond: rows.count / seconds,
    };
  } finally {
    await pool?.close();
  }
}
