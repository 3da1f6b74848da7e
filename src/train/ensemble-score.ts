/**
 * An ensemble's numbers from its trained members: their class scores averaged (model/ensemble.ts) on a task's
 * validation split (unless the members were retrained on it) and test split, beside each member's own. Shared by
 * `--ensemble K` and `edlearn experiment` (train/ensemble.ts) and the lab's ensemble training. Browser-safe.
 */
import { toSparseRows } from '../data/sparse.js';
import type { Task } from '../data/tasks.js';
import type { Backend } from '../kernels/backend.js';
import { EnsembleRule } from '../model/ensemble.js';
import type { Rule } from '../rules/rule.js';
import { type Evaluation, evaluateRows } from './predict.js';
import type { TrainResult } from './trainer.js';

/** One member in the ensemble's end event. */
export interface EnsembleMember {
  seed: number;
  selected: TrainResult['selected'];
  final: TrainResult['final'];
  retrainedTest?: number;
  trainSeconds: number;
}

export interface EnsembleSummary {
  size: number;
  validationAccuracy: number;
  testAccuracy: number;
  testBalancedAccuracy: number;
  members: EnsembleMember[];
}

/** A trained member: its seed, its result (at its validation-selected point) and its rule holding those weights. */
export interface TrainedMember {
  seed: number;
  result: Pick<TrainResult, 'selected' | 'final' | 'trainSeconds'> & { retrained?: { testAccuracy: number } };
  rule: Rule;
}

export function scoreEnsemble(
  members: TrainedMember[],
  task: Task,
  backend: Backend,
  retrainedFull = false,
): { rule: EnsembleRule; summary: EnsembleSummary; validation: Evaluation | null } {
  const rule = new EnsembleRule(members.map((m) => m.rule));
  // Retrained members have learned the validation split: the ensemble has no validation accuracy then.
  const validation =
    task.validation.count > 0 && !retrainedFull
      ? evaluateRows(rule, toSparseRows(task.validation, task.inputs, task.scale, backend))
      : null;
  const test = evaluateRows(rule, toSparseRows(task.test, task.inputs, task.scale, backend));
  const summary: EnsembleSummary = {
    size: members.length,
    validationAccuracy: validation?.accuracy ?? NaN,
    testAccuracy: test.accuracy,
    testBalancedAccuracy: test.balancedAccuracy,
    members: members.map(({ seed, result: r }) => ({
      seed,
      selected: r.selected,
      final: r.final,
      retrainedTest: r.retrained?.testAccuracy,
      trainSeconds: r.trainSeconds,
    })),
  };
  return { rule, summary, validation };
}
