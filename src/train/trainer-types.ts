/** The training loop's options, its evaluation records and its result (trainer.ts), as logs record them. */
import type { Allocator } from '../data/sparse.js';
import type { AugmentSpec } from '../data/augment.js';
import type { LrSchedule } from './schedule.js';
import type { LearnStats } from '../rules/rule.js';

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
  /** Restore the weights of the best validation evaluation at the end (ED accuracy can drift). */
  keepBest?: boolean;
  onEval?: (e: EvalRecord) => void;
  /** Hand the rule one batch at a time even when it learns whole runs (the bench's baseline engine). */
  batchAtATime?: boolean;
  /** Redraw the training images every epoch (data/augment.ts); validation and test are never augmented. */
  augment?: AugmentSpec | null;
  /** α over the epochs (train/schedule.ts); rules without setLearningRateScale keep their own. */
  schedule?: LrSchedule;
  /** Stop once this many evaluations in a row have not beaten the best validation accuracy. */
  patience?: number;
  /**
   * Where the session's rows live (default: the rule's backend). The API's fit passes an Arena it resets before each
   * fit, so that repeated fits reuse one region of memory. It must be memory the rule's kernels can read.
   */
  memory?: Allocator;
  /** Called after every update (progress bars; fit's onBatchEnd), with what the update saw and its sample count. */
  onUpdate?: (update: number, totalUpdates: number, stats: LearnStats, size: number) => void;
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
  /**
   * The point chosen on validation (its best evaluation; the final weights when there is no
   * validation split), with its test accuracy.
   */
  selected: {
    on: 'validation' | 'final';
    update: number;
    epoch: number;
    validationAccuracy: number;
    testAccuracy: number;
    testBalancedAccuracy: number;
  };
  /** The final weights, with their test accuracy. */
  final: { validationAccuracy: number; testAccuracy: number; testBalancedAccuracy: number };
  /** With stopAtError: the 1-based epoch whose error sum fell below the threshold, or null if none did. */
  convergedEpoch: number | null;
  /** With patience: the update at which validation had not improved for that many evaluations, or null. */
  stoppedAt: number | null;
  /** Σ|e| of each completed epoch (measured before each update). */
  epochErrors: number[];
  history: EvalRecord[];
}
