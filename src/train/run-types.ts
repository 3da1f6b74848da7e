/** What a training run is given besides its input (where it logs, its callbacks) and what it returns. */
import type { EdLayout } from '../engine/ed-engine.js';
import type { RunHeader } from '../log/events.js';
import type { LogTarget } from '../log/write.js';
import type { Rule } from '../rules/rule.js';
import type { EvalRecord, TrainResult } from './trainer.js';

/**
 * Where the run logs (log: a start event with the resolved config, one event per evaluation,
 * an end event; run id "train" by default).
 */
export interface RunHooks extends LogTarget {
  onEval?: (e: EvalRecord) => void;
  onUpdate?: (update: number, total: number) => void;
  /** The engine's ED first-layer layout instead of its own choice (tests and the bench compare the two). */
  layout?: EdLayout;
}

/** --retrain-full: the same rule trained again on training + validation for the epochs chosen on validation. */
export interface Retrained {
  epochs: number;
  updates: number;
  trainSeconds: number;
  testAccuracy: number;
  testBalancedAccuracy: number;
}

export interface RunOutcome {
  header: RunHeader;
  result: TrainResult & { retrained?: Retrained };
  /** The trained rule (model files save its parameters); its thread pool is closed. */
  rule: Rule;
}
