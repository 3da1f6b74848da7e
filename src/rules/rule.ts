/**
 * What the trainer needs from a learning rule. A rule owns its parameters; it is given arrays and returns
 * numbers: it never reads files or prints.
 */
export interface Rule {
  /** Number of classes; predict writes this many scores per sample. */
  readonly classes: number;
  /** Number of inputs per sample. */
  readonly inputs: number;
  /** scores (batch, classes) for the samples x (batch, inputs); the predicted class is the arg-max. */
  predict(x: Float32Array, batch: number, scores: Float32Array): void;
  /** One update from the batch x (batch, inputs) with class labels; returns what it saw before updating. */
  learn(x: Float32Array, labels: ArrayLike<number>, batch: number): LearnStats;
  /** Trainable parameter count (for logs). */
  parameterCount(): number;
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
