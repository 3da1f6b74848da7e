/**
 * fit's callbacks, shaped like TensorFlow.js's: an object (or an array of objects) with any of onTrainBegin,
 * onEpochBegin, onBatchBegin, onBatchEnd, onEpochEnd, onTrainEnd, called in TF.js's order, and the built-in
 * earlyStopping. A callback stops training as TF.js's do: by setting model.stopTraining. Browser-safe.
 */
import { checkOptions, nearestName } from '../args.js';
import { UserError } from '../errors.js';
import { integer, nonNegative, validateGiven } from '../options/spec.js';

/** What onEpochEnd receives, like TF.js's logs (ED has no loss function: meanAbsError stands in for it). */
export interface EpochLogs {
  /** Training accuracy over the epoch, each sample classified just before the update it took part in. */
  accuracy: number;
  /** Σ|e| over the outputs, per sample, over the epoch (Kaneko's error measure). */
  meanAbsError: number;
  /** On the validation data, when there is some. */
  valAccuracy?: number;
  valBalancedAccuracy?: number;
  /** Seconds spent learning in this epoch, and the rate. */
  seconds: number;
  samplesPerSecond: number;
}

/** What onBatchEnd receives: one update, measured before it was applied. */
export interface BatchLogs {
  /** 0-based index of the batch within its epoch. */
  batch: number;
  /** Samples in the batch (the last one of an epoch may be shorter). */
  size: number;
  accuracy: number;
  meanAbsError: number;
}

/** The model a callback can stop (TF.js's model.stopTraining). */
export interface Stoppable {
  stopTraining: boolean;
}

export interface Callback {
  /** Called once before training with the model being trained (TF.js's setModel). */
  setModel?(model: Stoppable): void;
  onTrainBegin?(logs?: Record<string, never>): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchBegin?(batch: number): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs): void | Promise<void>;
  onTrainEnd?(logs?: EpochLogs): void | Promise<void>;
}

const HOOKS = [
  'setModel',
  'onTrainBegin',
  'onEpochBegin',
  'onBatchBegin',
  'onBatchEnd',
  'onEpochEnd',
  'onTrainEnd',
] as const;

/** The callbacks of a fit call as one list, after checking that each is an object of known hooks. */
export function callbackList(callbacks: unknown, onEpochEnd: unknown): Callback[] {
  const list = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
  list.forEach((c, i) => {
    const where = Array.isArray(callbacks) ? `fit: callbacks[${i}]` : 'fit: callbacks';
    if (c === null || typeof c !== 'object')
      throw new UserError(
        `${where} is ${c === null ? 'null' : typeof c}; expected an object with onEpochEnd, onBatchEnd, … (or ` +
          `an array of them)`,
      );
    // Own keys only: a class instance (earlyStopping) keeps its hooks on the prototype.
    for (const key of Object.keys(c)) {
      const value = (c as Record<string, unknown>)[key];
      if (key.startsWith('on') && !(HOOKS as readonly string[]).includes(key)) {
        const near = nearestName(key, HOOKS.slice(1));
        throw new UserError(
          `${where}.${key} is not a callback${near ? ` — did you mean ${near}?` : ''}; expected one ` +
            `of ${HOOKS.slice(1).join(', ')}`,
        );
      }
      if ((HOOKS as readonly string[]).includes(key) && typeof value !== 'function')
        throw new UserError(`${where}.${key} is ${typeof value}; expected a function`);
    }
  });
  if (onEpochEnd !== undefined && typeof onEpochEnd !== 'function')
    throw new UserError(`fit: onEpochEnd is ${typeof onEpochEnd}; expected a function`);
  // The onEpochEnd option is a shorthand for one more callback, called after the others.
  return onEpochEnd ? [...list, { onEpochEnd: onEpochEnd as Callback['onEpochEnd'] }] : list;
}

/** Calls `hook` of every callback in turn, awaiting each. */
export async function fire<K extends Exclude<(typeof HOOKS)[number], 'setModel'>>(
  list: Callback[],
  hook: K,
  ...args: Parameters<NonNullable<Callback[K]>>
): Promise<void> {
  for (const c of list) {
    const f = c[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
    if (f) await f.apply(c, args);
  }
}

export type Monitor = 'valAccuracy' | 'valBalancedAccuracy' | 'accuracy' | 'meanAbsError';
const MONITORS: Monitor[] = ['valAccuracy', 'valBalancedAccuracy', 'accuracy', 'meanAbsError'];

export interface EarlyStoppingOptions {
  /** The epoch log to watch (default valAccuracy; ED has no loss). */
  monitor?: Monitor;
  /** Epochs without improvement before stopping (default 0: stop at the first epoch that does not improve). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Whether larger is better: 'auto' (default) is 'min' for meanAbsError, 'max' for the accuracies. */
  mode?: 'auto' | 'min' | 'max';
}

const EARLY_OPTIONS = {
  patience: integer(0, 1_000_000, 'epochs without improvement before stopping'),
  minDelta: nonNegative('smallest change that counts as an improvement', 1),
};

/** Stops fit when the monitored log has not improved for `patience` epochs (TF.js's tf.callbacks.earlyStopping). */
export class EarlyStopping implements Callback {
  readonly monitor: Monitor;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  private model: Stoppable | null = null;
  private best = NaN;
  private wait = 0;
  /** 0-based epoch at which training was stopped, or -1. */
  stoppedEpoch = -1;

  constructor(options: EarlyStoppingOptions = {}) {
    checkOptions('earlyStopping', options, ['monitor', 'patience', 'minDelta', 'mode']);
    const { monitor = 'valAccuracy', mode = 'auto' } = options;
    if (!MONITORS.includes(monitor))
      throw new UserError(
        `earlyStopping: monitor ${String(monitor)} is not an epoch log; expected one of ${MONITORS.join(', ')}`,
      );
    if (!['auto', 'min', 'max'].includes(mode))
      throw new UserError(`earlyStopping: mode ${String(mode)}; expected auto, min or max`);
    const { patience = 0, minDelta = 0 } = validateGiven(
      EARLY_OPTIONS,
      { patience: options.patience, minDelta: options.minDelta },
      'earlyStopping',
    );
    this.monitor = monitor;
    this.patience = patience;
    this.minDelta = minDelta;
    this.mode = mode === 'auto' ? (monitor === 'meanAbsError' ? 'min' : 'max') : mode;
  }

  setModel(model: Stoppable): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = NaN;
    this.wait = 0;
    this.stoppedEpoch = -1;
  }

  onEpochEnd(epoch: number, logs: EpochLogs): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new UserError(
        `earlyStopping: the epoch logs have no ${this.monitor} (no validation data); give fit validationSplit ` +
          `or validationData, or monitor 'accuracy'`,
      );
    }
    const better =
      Number.isNaN(this.best) ||
      (this.mode === 'max' ? value - this.minDelta > this.best : value + this.minDelta < this.best);
    if (better) {
      this.best = value;
      this.wait = 0;
      return;
    }
    if (++this.wait >= this.patience && this.model) {
      this.model.stopTraining = true;
      this.stoppedEpoch = epoch;
    }
  }
}

/** The built-in early-stopping callback: `callbacks: earlyStopping({ monitor: 'valAccuracy', patience: 2 })`. */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  return new EarlyStopping(options);
}
