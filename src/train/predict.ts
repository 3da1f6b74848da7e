/**
 * Batched prediction over sparse rows, and what it gives on a labelled set: the confusion counts, accuracy and
 * balanced accuracy. The one predict loop of the trainer, the API, the CLI and the lab. Browser-safe.
 */
import type { SparseRows } from '../data/sparse.js';
import { argmaxRow, type Rule } from '../rules/rule.js';

export interface Predictions {
  /** Arg-max class per row. */
  predicted: Int32Array;
  /** (count, classes) scores as the rule wrote them. */
  scores: Float32Array;
}

/** Scores every row in batches of rule.maxBatch; the rows must come from rule.backend's memory. */
export function predictRows(rule: Rule, rows: SparseRows): Predictions {
  const C = rule.classes;
  const chunk = rule.maxBatch;
  const scores = new Float32Array(rows.count * C);
  const predicted = new Int32Array(rows.count);
  const batchScores = new Float32Array(chunk * C);
  const start = new Int32Array(chunk);
  const end = new Int32Array(chunk);
  for (let from = 0; from < rows.count; from += chunk) {
    const n = Math.min(chunk, rows.count - from);
    for (let b = 0; b < n; b++) {
      start[b] = rows.rowStart[from + b];
      end[b] = rows.rowEnd ? rows.rowEnd[from + b] : rows.rowStart[from + b + 1];
    }
    const labels = rows.labels.subarray(from, from + n);
    rule.predict({ size: n, start, end, index: rows.index, value: rows.value, labels }, batchScores);
    scores.set(batchScores.subarray(0, n * C), from * C);
    for (let b = 0; b < n; b++) predicted[from + b] = argmaxRow(batchScores, b, C);
  }
  return { predicted, scores };
}

/** counts[t][p]: samples of true class t predicted as p. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) counts[labels[i]][predicted[i]]++;
  return counts;
}

export interface Evaluation {
  accuracy: number;
  /** Mean recall over the classes present: what accuracy hides on imbalanced data. */
  balancedAccuracy: number;
  /** confusion[true][predicted]. */
  confusion: number[][];
}

/** Accuracy, balanced accuracy and the confusion matrix of the rule on labelled rows. */
export function evaluateRows(rule: Rule, rows: SparseRows): Evaluation {
  const confusion = confusionMatrix(rows.labels, predictRows(rule, rows).predicted, rule.classes);
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
