/**
 * The training loop: seeded shuffling, mini-batches, evaluation on the validation split every N updates,
 * best-so-far tracking on validation (ED accuracy can peak and then drift), an optional stop on Kaneko's
 * criterion, and the test split read once, at the end: at the validation-selected point and at the final weights.
 * It reports through callbacks and never prints.
 */
import { check } from '../errors.js';
import { Random } from '../random.js';
import type { LearnStats, Rule, SampleBatch, SampleSequence } from '../rules/rule.js';
import { evaluateRows } from './predict.js';
import { type Allocator, type SparseRows, toSparseRows } from '../data/sparse.js';
import type { Task } from '../data/tasks.js';
import { Augmenter, interpolates } from '../data/augment.js';
import { scheduleFactor } from './schedule.js';
import type { EvalRecord, TrainOptions, TrainResult } from './trainer-types.js';

export type { EvalRecord, TrainOptions, TrainResult } from './trainer-types.js';

/**
 * A training run that can advance a few updates at a time (a browser worker interleaves it with messages);
 * train() below runs one to the end.
 */
export class TrainingSession {
  readonly totalUpdates: number;
  readonly history: EvalRecord[] = [];
  update = 0;
  samples = 0;
  convergedEpoch: number | null = null;
  stoppedAt: number | null = null;
  private readonly evalEvery: number;
  private readonly augmenter: Augmenter | null;
  private readonly epochsPlanned: number;
  private readonly memory: Allocator;
  private readonly rng: Random;
  private readonly order: Int32Array;
  private readonly trainRows: SparseRows;
  readonly validationRows: SparseRows;
  /** The test split's rows, built when the run ends (never before). */
  private testRows: SparseRows | null = null;
  private readonly batch: SampleBatch & { labels: Int32Array };
  /** Runs of batches for rules that learn a whole run at once (learnSequence), in the rule's memory. */
  private readonly sequence: SampleSequence | null;
  private readonly started = performance.now();
  private learnMs = 0;
  private cursor: number;
  private epochError = 0;
  private epochsDone = 0;
  private readonly epochErrors: number[] = [];
  private since = { correct: 0, error: 0, samples: 0 };
  private best = { acc: -1, update: 0, epoch: 0 };
  /** The weights at the best validation evaluation (their test accuracy is measured at the end). */
  private snapshot: Float32Array[] | null = null;
  /** Evaluations since the best one (patience). */
  private sinceBest = 0;

  constructor(
    readonly rule: Rule,
    readonly task: Task,
    readonly options: TrainOptions,
  ) {
    // The options were validated when the config was resolved (src/options/); these are the loop's own invariants.
    const o = options;
    if (!(o.batch >= 1 && o.batch <= rule.maxBatch))
      throw new RangeError(`TrainingSession: batch ${o.batch} outside 1…${rule.maxBatch} (the rule's maxBatch)`);
    if ((o.epochs === undefined) === (o.updates === undefined))
      throw new Error('TrainingSession: give either epochs or updates');
    check(task.train.count > 0, `train: the training split of ${task.name} is empty; choose classes the data holds`);
    const perEpoch = Math.ceil(task.train.count / o.batch);
    this.totalUpdates = o.updates ?? (o.epochs as number) * perEpoch;
    this.evalEvery = o.evalEvery ?? perEpoch;
    this.rng = new Random(o.seed);
    this.order = Int32Array.from({ length: task.train.count }, (_, i) => i);
    // Interpolating transforms may light more pixels than the original: a row gets room for 1.5× its own, plus 16.
    const room = o.augment ? (n: number) => (interpolates(o.augment!) ? Math.ceil(n * 1.5) + 16 : n) : undefined;
    const memory = o.memory ?? rule.backend;
    this.memory = memory;
    this.trainRows = toSparseRows(task.train, task.inputs, task.scale, memory, room);
    this.augmenter = o.augment ? new Augmenter(o.augment, task.train, this.trainRows, task.scale, o.seed) : null;
    this.epochsPlanned = this.totalUpdates / perEpoch;
    this.validationRows =
      task.validation === task.train ? this.trainRows : toSparseRows(task.validation, task.inputs, task.scale, memory);
    this.batch = emptyBatch(this.trainRows, o.batch);
    // A run never crosses an evaluation or the end of an epoch (see step), so it holds at most this many samples.
    const most = Math.min(this.evalEvery * o.batch, task.train.count);
    this.sequence =
      rule.learnSequence && !o.batchAtATime
        ? {
            size: 0,
            batch: o.batch,
            start: memory.allocInt(most),
            end: memory.allocInt(most),
            labels: memory.allocInt(most),
            index: this.trainRows.index,
            value: this.trainRows.value,
          }
        : null;
    this.cursor = task.train.count; // forces a (re)shuffle before the first batch
  }

  get done(): boolean {
    return this.update >= this.totalUpdates || this.convergedEpoch !== null || this.stoppedAt !== null;
  }

  /** Seconds spent in learning so far (evaluation excluded). */
  get trainSeconds(): number {
    return this.learnMs / 1000;
  }

  /**
   * Runs up to `count` updates, evaluating on schedule; returns the evaluations made. Updates go to the rule in
   * runs that end at the next evaluation, at the end of the epoch or of training (one learnSequence call when the
   * rule has it, else one learn call per batch); every batch is then accounted for as if it had run alone.
   */
  step(count: number): EvalRecord[] {
    const { rule, task, options: o } = this;
    const made: EvalRecord[] = [];
    let left = count;
    while (left > 0 && !this.done) {
      if (this.cursor >= task.train.count) {
        if (o.order === 'shuffle') this.rng.shuffle(this.order);
        this.augmenter?.epoch();
        if (o.schedule && o.schedule.kind !== 'constant')
          rule.setLearningRateScale?.(scheduleFactor(o.schedule, this.epochsDone, this.epochsPlanned));
        this.cursor = 0;
      }
      const toEval = this.evalEvery - (this.update % this.evalEvery);
      const toEpochEnd = Math.ceil((task.train.count - this.cursor) / o.batch);
      const updates = this.sequence ? Math.min(left, toEval, toEpochEnd, this.totalUpdates - this.update) : 1;
      const samples = Math.min(updates * o.batch, task.train.count - this.cursor);
      const seq = updates > 1 ? this.sequence : null;
      pick(this.trainRows, this.order, this.cursor, samples, seq ?? this.batch);
      const t0 = performance.now();
      const stats: LearnStats[] = seq && rule.learnSequence ? rule.learnSequence(seq) : [rule.learn(this.batch)];
      this.learnMs += performance.now() - t0;
      for (let u = 0; u < stats.length; u++) {
        const n = Math.min(o.batch, samples - u * o.batch);
        this.cursor += n;
        this.account(stats[u], n);
        if (this.done || this.update % this.evalEvery === 0) made.push(this.evaluate());
      }
      left -= updates;
    }
    return made;
  }

  /** Counts one update of n samples: epoch errors, Kaneko's stopping criterion, the learning-rate schedule. */
  private account(stats: LearnStats, n: number): void {
    const { rule, task, options: o } = this;
    check(
      Number.isFinite(stats.absError),
      () =>
        `training diverged at update ${this.update + 1}: the error is ${stats.absError} (the weights ` +
        `overflowed); lower the learning rate (option lr)`,
    );
    this.update++;
    this.samples += n;
    this.epochError += stats.absError;
    this.since.correct += stats.correct;
    this.since.error += stats.absError;
    this.since.samples += n;
    o.onUpdate?.(this.update, this.totalUpdates, stats, n);
    if (this.cursor >= task.train.count) {
      this.epochsDone++;
      rule.epochEnded?.();
      this.epochErrors.push(this.epochError);
      if (o.stopAtError !== undefined && this.epochError < o.stopAtError) this.convergedEpoch = this.epochsDone;
      this.epochError = 0;
    }
  }

  /** Evaluates on the validation split now and records it (NaN accuracies when there is none). */
  evaluate(): EvalRecord {
    // Rebuild what is derived from the parameters (ED's online W⁺ + W⁻ drifts in float rounding), so that every
    // evaluation sees the weights a saved model would hold.
    this.rule.parametersChanged();
    const held = this.validationRows.count > 0;
    const { accuracy: acc, balancedAccuracy } = held
      ? evaluateRows(this.rule, this.validationRows)
      : { accuracy: NaN, balancedAccuracy: NaN };
    const epoch = this.samples / this.task.train.count;
    if (held && acc > this.best.acc) {
      this.best = { acc, update: this.update, epoch };
      this.snapshot = this.rule.parameters().map((p) => Float32Array.from(p));
      this.sinceBest = 0;
    } else if (held && this.options.patience !== undefined && ++this.sinceBest >= this.options.patience)
      this.stoppedAt = this.update;
    const s = this.since;
    const rec: EvalRecord = {
      update: this.update,
      epoch,
      samples: this.samples,
      trainSeconds: this.trainSeconds,
      trainAccuracy: s.samples ? s.correct / s.samples : 0,
      trainError: s.samples ? s.error / s.samples : 0,
      valAccuracy: acc,
      valBalancedAccuracy: balancedAccuracy,
      bestValAccuracy: held ? this.best.acc : NaN,
      bestUpdate: this.best.update,
    };
    this.since = { correct: 0, error: 0, samples: 0 };
    this.history.push(rec);
    this.options.onEval?.(rec);
    return rec;
  }

  /**
   * The summary, with the test split read for the first time: at the final weights and at the point chosen on
   * validation. The rule keeps the final weights, or the selected ones with keepBest. Call it once, at the end.
   */
  finish(): TrainResult {
    if (this.history.length === 0) this.evaluate();
    const last = this.history[this.history.length - 1];
    // Updates after the last evaluation (a stopped run) leave ED's online W⁺ + W⁻ drifted: rebuild it first.
    this.rule.parametersChanged();
    const finalWeights = this.rule.parameters().map((p) => Float32Array.from(p));
    const finalTest = this.testNow();
    let selectedTest = finalTest;
    if (this.snapshot !== null && this.best.update !== this.update) {
      this.restore(this.snapshot);
      selectedTest = this.testNow();
      if (!this.options.keepBest) this.restore(finalWeights);
    }
    const trainSeconds = this.trainSeconds;
    const on = this.validationRows.count > 0 ? ('validation' as const) : ('final' as const);
    return {
      updates: this.update,
      epochs: this.samples / this.task.train.count,
      samples: this.samples,
      trainSeconds,
      wallSeconds: (performance.now() - this.started) / 1000,
      samplesPerSecond: trainSeconds > 0 ? this.samples / trainSeconds : 0,
      finalValAccuracy: last.valAccuracy,
      finalValBalancedAccuracy: last.valBalancedAccuracy,
      bestValAccuracy: last.bestValAccuracy,
      bestUpdate: on === 'validation' ? this.best.update : this.update,
      selected:
        on === 'validation'
          ? {
              on,
              update: this.best.update,
              epoch: this.best.epoch,
              validationAccuracy: this.best.acc,
              testAccuracy: selectedTest.accuracy,
              testBalancedAccuracy: selectedTest.balancedAccuracy,
            }
          : {
              on,
              update: this.update,
              epoch: last.epoch,
              validationAccuracy: NaN,
              testAccuracy: finalTest.accuracy,
              testBalancedAccuracy: finalTest.balancedAccuracy,
            },
      final: {
        validationAccuracy: last.valAccuracy,
        testAccuracy: finalTest.accuracy,
        testBalancedAccuracy: finalTest.balancedAccuracy,
      },
      convergedEpoch: this.convergedEpoch,
      stoppedAt: this.stoppedAt,
      epochErrors: this.epochErrors,
      history: this.history,
    };
  }

  /**
   * The weights at the best validation evaluation so far (copies, in parameters() order) and that update, or null
   * before any evaluation with a validation split: what a page saves as "the selected model" mid-run or at the end.
   */
  selectedWeights(): { update: number; accuracy: number; weights: Float32Array[] } | null {
    return (
      this.snapshot && {
        update: this.best.update,
        accuracy: this.best.acc,
        weights: this.snapshot.map((w) => Float32Array.from(w)),
      }
    );
  }

  /** Puts `weights` back and rebuilds what derives from them. */
  private restore(weights: Float32Array[]): void {
    this.rule.parameters().forEach((p, i) => p.set(weights[i]));
    this.rule.parametersChanged();
  }

  /** Accuracy on the test split now (NaN when the task has none); its rows are built once, at the first call. */
  private testNow(): { accuracy: number; balancedAccuracy: number } {
    const { task } = this;
    if (task.test.count === 0) return { accuracy: NaN, balancedAccuracy: NaN };
    this.testRows ??=
      task.test === task.train
        ? this.trainRows
        : task.test === task.validation
          ? this.validationRows
          : toSparseRows(task.test, task.inputs, task.scale, this.memory);
    return evaluateRows(this.rule, this.testRows);
  }
}

export function train(rule: Rule, task: Task, o: TrainOptions): TrainResult {
  const session = new TrainingSession(rule, task, o);
  while (!session.done) session.step(Number.MAX_SAFE_INTEGER);
  return session.finish();
}

/**
 * Labels as Int32Array like a sequence's, so that pick and the rules' loops over labels see one kind of typed array.
 */
function emptyBatch(rows: SparseRows, size: number): SampleBatch & { labels: Int32Array } {
  return {
    size: 0,
    start: new Int32Array(size),
    end: new Int32Array(size),
    index: rows.index,
    value: rows.value,
    labels: new Int32Array(size),
  };
}

/** Points the batch (or sequence) at samples order[from .. from+n) of `rows` (no data is copied). */
function pick(
  rows: SparseRows,
  order: Int32Array,
  from: number,
  n: number,
  batch: SampleBatch & { labels: Int32Array },
): void {
  const labels = batch.labels;
  for (let i = 0; i < n; i++) {
    const s = order[from + i];
    batch.start[i] = rows.rowStart[s];
    batch.end[i] = rows.rowEnd ? rows.rowEnd[s] : rows.rowStart[s + 1];
    labels[i] = rows.labels[s];
  }
  batch.size = n;
}
