/**
 * The training loop: seeded shuffling, mini-batches, evaluation on the held-out test split every N updates,
 * best-so-far tracking (ED accuracy can peak and then drift), and an optional stop on Kaneko's criterion.
 * It reports through callbacks and never prints.
 */
import { check } from '../errors.js';
import { Random } from '../random.js';
import { argmaxRow, type Rule, type SampleBatch } from '../rules/rule.js';
import { type SparseRows, toSparseRows } from '../data/sparse.js';
import type { Task } from '../data/tasks.js';

export interface TrainOptions {
  batch: number;
  /** Length of training: whole epochs, or a number of updates (one update = one batch). */
  epochs?: number;
  updates?: number;
  /** Seed of the shuffling order. */
  seed: number;
  /** 'shuffle': a new seeded order every epoch; 'fixed': the dataset's order (Kaneko). */
  order: 'shuffle' | 'fixed';
  /** Evaluate every this many updates (default: once per epoch). The end of training is always evaluated. */
  evalEvery?: number;
  /** Stop as soon as the Σ|e| of one epoch, measured before each update, falls below this (Kaneko: 0.1). */
  stopAtError?: number;
  /** Keep a copy of the weights at the best evaluation and restore it at the end (ED accuracy can drift). */
  keepBest?: boolean;
  onEval?: (e: EvalRecord) => void;
  /** Called after every update, for progress bars. */
  onUpdate?: (update: number, totalUpdates: number) => void;
}

export interface EvalRecord {
  update: number;
  epoch: number;
  samples: number;
  /** Seconds spent learning so far (evaluation excluded). */
  trainSeconds: number;
  /** Training accuracy and mean |e| per sample over the updates since the previous evaluation (before each update). */
  trainAccuracy: number;
  trainError: number;
  valAccuracy: number;
  /** Mean recall over the classes: what accuracy hides on imbalanced data. */
  valBalancedAccuracy: number;
  bestValAccuracy: number;
  bestUpdate: number;
}

export interface TrainResult {
  updates: number;
  epochs: number;
  samples: number;
  trainSeconds: number;
  wallSeconds: number;
  samplesPerSecond: number;
  finalValAccuracy: number;
  finalValBalancedAccuracy: number;
  bestValAccuracy: number;
  bestUpdate: number;
  /** With stopAtError: the 1-based epoch whose error sum fell below the threshold, or null if none did. */
  convergedEpoch: number | null;
  /** Σ|e| of each completed epoch (measured before each update). */
  epochErrors: number[];
  history: EvalRecord[];
}

export function train(rule: Rule, task: Task, o: TrainOptions): TrainResult {
  check(Number.isInteger(o.batch) && o.batch >= 1 && o.batch <= rule.maxBatch,
    `--batch: expected an integer 1…${rule.maxBatch}, got ${o.batch}`);
  check((o.epochs === undefined) !== (o.updates === undefined), 'train: give either --epochs or --updates, not both');
  const perEpoch = Math.ceil(task.train.count / o.batch);
  const total = o.updates ?? (o.epochs as number) * perEpoch;
  check(Number.isInteger(total) && total >= 1, `--epochs/--updates: expected a positive whole number of updates, got ${total}`);
  const evalEvery = o.evalEvery ?? perEpoch;
  check(Number.isInteger(evalEvery) && evalEvery >= 1, `--eval-every: expected an integer ≥ 1, got ${evalEvery}`);

  const rng = new Random(o.seed);
  const order = Int32Array.from({ length: task.train.count }, (_, i) => i);
  const trainRows = toSparseRows(task.train, task.inputs, task.scale, rule.backend);
  const testRows = task.test === task.train ? trainRows : toSparseRows(task.test, task.inputs, task.scale, rule.backend);
  const batch = emptyBatch(trainRows, o.batch);
  const start = performance.now();
  let learnMs = 0;
  let update = 0;
  let samples = 0;
  let cursor = task.train.count; // forces a (re)shuffle before the first batch
  let epochError = 0;
  let epochsDone = 0;
  let sinceCorrect = 0;
  let sinceError = 0;
  let sinceSamples = 0;
  let best = { acc: -1, update: 0 };
  let convergedEpoch: number | null = null;
  let snapshot: Float32Array[] | null = null;
  const epochErrors: number[] = [];
  const history: EvalRecord[] = [];

  const evaluateNow = (): void => {
    const { accuracy: acc, balancedAccuracy } = evaluate(rule, testRows);
    if (acc > best.acc) {
      best = { acc, update };
      if (o.keepBest) snapshot = rule.parameters().map((p) => Float32Array.from(p));
    }
    const rec: EvalRecord = {
      update, epoch: samples / task.train.count, samples, trainSeconds: learnMs / 1000,
      trainAccuracy: sinceSamples ? sinceCorrect / sinceSamples : 0, trainError: sinceSamples ? sinceError / sinceSamples : 0,
      valAccuracy: acc, valBalancedAccuracy: balancedAccuracy, bestValAccuracy: best.acc, bestUpdate: best.update,
    };
    sinceCorrect = sinceError = sinceSamples = 0;
    history.push(rec);
    o.onEval?.(rec);
  };

  while (update < total) {
    if (cursor >= task.train.count) {
      if (o.order === 'shuffle') rng.shuffle(order);
      cursor = 0;
    }
    const n = Math.min(o.batch, task.train.count - cursor);
    pick(trainRows, order, cursor, n, batch);
    cursor += n;
    const t0 = performance.now();
    const stats = rule.learn(batch);
    learnMs += performance.now() - t0;
    update++;
    samples += n;
    epochError += stats.absError;
    sinceCorrect += stats.correct;
    sinceError += stats.absError;
    sinceSamples += n;
    o.onUpdate?.(update, total);
    const epochEnded = cursor >= task.train.count;
    if (epochEnded) {
      epochsDone++;
      epochErrors.push(epochError);
      if (o.stopAtError !== undefined && epochError < o.stopAtError) convergedEpoch = epochsDone;
      epochError = 0;
    }
    if (convergedEpoch !== null || update % evalEvery === 0 || update === total) evaluateNow();
    if (convergedEpoch !== null) break;
  }
  if (snapshot) {
    const saved = snapshot;
    rule.parameters().forEach((p, i) => p.set(saved[i]));
    rule.parametersChanged();
  }
  const trainSeconds = learnMs / 1000;
  return {
    updates: update, epochs: samples / task.train.count, samples, trainSeconds,
    wallSeconds: (performance.now() - start) / 1000,
    samplesPerSecond: trainSeconds > 0 ? samples / trainSeconds : 0,
    finalValAccuracy: history[history.length - 1].valAccuracy,
    finalValBalancedAccuracy: history[history.length - 1].valBalancedAccuracy,
    bestValAccuracy: best.acc, bestUpdate: best.update, convergedEpoch, epochErrors, history,
  };
}

function emptyBatch(rows: SparseRows, size: number): SampleBatch {
  return { size: 0, start: new Int32Array(size), end: new Int32Array(size), index: rows.index, value: rows.value, labels: new Uint8Array(size) };
}

/** Points the batch at samples order[from .. from+n) of `rows` (no data is copied). */
function pick(rows: SparseRows, order: Int32Array, from: number, n: number, batch: SampleBatch): void {
  const labels = batch.labels as Uint8Array;
  for (let i = 0; i < n; i++) {
    const s = order[from + i];
    batch.start[i] = rows.rowStart[s];
    batch.end[i] = rows.rowStart[s + 1];
    labels[i] = rows.labels[s];
  }
  batch.size = n;
}

/** Accuracy, balanced accuracy and the confusion matrix (rows = true class, columns = predicted) over `rows`. */
export function evaluate(rule: Rule, rows: SparseRows): { accuracy: number; balancedAccuracy: number; confusion: number[][] } {
  const C = rule.classes;
  const chunk = rule.maxBatch;
  const scores = new Float32Array(chunk * C);
  const batch = emptyBatch(rows, chunk);
  const identity = Int32Array.from({ length: rows.count }, (_, i) => i);
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  for (let from = 0; from < rows.count; from += chunk) {
    const n = Math.min(chunk, rows.count - from);
    pick(rows, identity, from, n, batch);
    rule.predict(batch, scores);
    for (let b = 0; b < n; b++) confusion[batch.labels[b]][argmaxRow(scores, b, C)]++;
  }
  let correct = 0;
  let recallSum = 0;
  let present = 0;
  confusion.forEach((row, c) => {
    const total = row.reduce((a, v) => a + v, 0);
    correct += row[c];
    if (total > 0) {
      recallSum += row[c] / total;
      present++;
    }
  });
  return { accuracy: correct / rows.count, balancedAccuracy: present ? recallSum / present : 0, confusion };
}

/** Fraction of `rows` the rule classifies right (arg-max of its scores). */
export function accuracy(rule: Rule, rows: SparseRows): number {
  return evaluate(rule, rows).accuracy;
}
