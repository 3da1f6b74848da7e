import type { Backend } from '../kernels/backend.js';

/**
 * What the trainer needs from a learning rule. A rule owns its parameters; it is given arrays and returns
 * numbers: it never reads files or prints.
 */
export interface Rule {
  /** Number of classes; predict writes this many scores per sample. */
  readonly classes: number;
  /** Number of inputs per sample. */
  readonly inputs: number;
  /** Largest batch predict and learn accept. */
  readonly maxBatch: number;
  /** The backend whose memory the batch arrays must come from. */
  readonly backend: Backend;
  /** scores (batch, classes) for the batch; the predicted class is the arg-max. */
  predict(batch: SampleBatch, scores: Float32Array): void;
  /** One update from the batch; returns what it saw before updating. */
  learn(batch: SampleBatch): LearnStats;
  /**
   * Optional: many updates at once, exactly as learn() on each batch of the sequence in turn (the same weights,
   * the same statistics, one per batch). A rule whose outputs are independent can then run them without meeting
   * after every batch.
   */
  learnSequence?(seq: SampleSequence): LearnStats[];
  /**
   * Optional: regression targets instead of labels (the RL agents, src/rl/). Output k of sample b moves towards
   * targets[b·K + k], each sample's error weighted by weights[b·K + k] (omitted: 1; 0 leaves that output as it
   * is), for K outputs. Returns the outputs the errors were measured on, (batch, K).
   */
  learnTargets?(batch: SampleBatch, targets: ArrayLike<number>, weights?: ArrayLike<number>): Float32Array;
  /** Trainable parameter count (for logs). */
  parameterCount(): number;
  /**
   * The trainable arrays, in a fixed order (model files write and read them). After writing into them, call
   * parametersChanged() so that derived arrays (ED's W⁺ + W⁻) are rebuilt.
   */
  parameters(): Float32Array[];
  parametersChanged(): void;
  /** Called by the trainer after every epoch, for rules with a learning-rate schedule. */
  epochEnded?(): void;
  /** Sets α to `scale` × the configured α (the trainer's schedule, train/schedule.ts). */
  setLearningRateScale?(scale: number): void;
}

/**
 * A batch of samples as sparse rows: sample b has value[q] at input index[q] for q in start[b] .. end[b).
 * index and value usually hold a whole dataset (allocated once from the rule's backend); a batch only picks rows.
 */
export interface SampleBatch {
  size: number;
  start: Int32Array;
  end: Int32Array;
  index: Int32Array;
  value: Float32Array;
  labels: ArrayLike<number>;
}

/** Consecutive batches of `batch` samples (the last one may be shorter): `size` samples in all, in order. */
export interface SampleSequence extends SampleBatch {
  batch: number;
  labels: Int32Array;
}

export interface LearnStats {
  /** Σ |e| over the batch and the outputs, measured before the update (Kaneko's convergence measure). */
  absError: number;
  /** Samples of the batch the rule classified right before the update. */
  correct: number;
}

/** Index of the largest of scores[row·n .. row·n + n). */
export function argmaxRow(scores: Float32Array, row: number, n: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = scores[row * n + j];
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/**
 * Above this fraction of non-zero inputs, a first layer runs dense kernels. Measured by the bench (its "sparse
 * against dense kernels" line, src/bench/density.ts: forward and update on real images thickened to each density):
 * at the seed preset's batch of 64 the dense kernels caught up with the sparse ones at 76 % and 84 % non-zero in two
 * runs (2-core machine, loaded), and online never; at 49 % (Fashion-MNIST's density) the sparse path took 0.65× the
 * time of the dense one.
 */
export const DENSE_ABOVE = 0.75;

/** Where a rule keeps the batch it is working on (in its backend's memory). */
export interface BatchBuffers {
  start: Int32Array;
  end: Int32Array;
  /** (maxBatch, inputs): the batch written densely when it is dense enough. */
  xDense: Float32Array;
  labels?: Int32Array;
}

/**
 * Copies a batch's row offsets (and labels) into the rule's buffers and, when more than DENSE_ABOVE of its inputs
 * are non-zero, writes it densely too. Returns whether the dense kernels should run.
 */
export function loadBatch(
  be: Backend,
  batch: SampleBatch,
  into: BatchBuffers,
  inputs: number,
  maxBatch: number,
): boolean {
  const B = batch.size;
  if (B > maxBatch) throw new RangeError(`batch of ${B} exceeds the rule's maxBatch ${maxBatch}`);
  let nonZero = 0;
  for (let b = 0; b < B; b++) {
    into.start[b] = batch.start[b];
    into.end[b] = batch.end[b];
    if (into.labels) into.labels[b] = batch.labels[b];
    nonZero += batch.end[b] - batch.start[b];
  }
  const dense = nonZero > DENSE_ABOVE * B * inputs;
  if (dense) be.densify(into.xDense, into.start, into.end, batch.index, batch.value, B, inputs);
  return dense;
}
