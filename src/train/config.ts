/**
 * A training run as data: what the user asked for (TrainInput, every field optional) resolved once against a
 * preset and the task's defaults into a RunConfig, validated against the option schemas (src/options/), and
 * recorded at the head of every log and model file. Browser-safe.
 */
import { check } from '../errors.js';
import {
  BACKPROP_DEFAULTS,
  BACKPROP_OPTIONS,
  type BackpropOptions,
  validateBackpropOptions,
} from '../options/backprop.js';
import { ED_OPTIONS, type EdOptions, validateEdOptions } from '../options/ed.js';
import { getPreset, type PresetName } from '../options/presets.js';
import { RUN_DEFAULTS, RUN_OPTIONS, type TaskName } from '../options/run.js';
import { pick, shareValue, validateGiven, type Values } from '../options/spec.js';

type RunOptions = Values<typeof RUN_OPTIONS>;

/** Everything a run can be given; any field left out takes the preset's or the task's default. */
export interface TrainInput
  extends Partial<EdOptions>,
    Partial<Omit<BackpropOptions, keyof EdOptions>>,
    Partial<Omit<RunOptions, 'digits'>> {
  /** Classes for pair / one-vs-rest, e.g. "4,9" or [4, 9]. */
  digits?: string | number[];
}

/** The rule that runs, with its resolved options (the other rule's are absent). */
export type RuleChoice = { rule: 'ed'; ed: EdOptions } | { rule: 'backprop'; backprop: BackpropOptions };

/** A resolved run: the rule (a union on `rule`, so that its options need no `!`) and the run's settings. */
export type RunConfig = RuleChoice & RunSettings;

interface RunSettings {
  /** ED preset the ED options started from (also the source of batch and order defaults for backprop). */
  preset: PresetName;
  /** validation: 0 = none, a fraction, or a count held out of the training files (seeded by splitSeed). */
  task: {
    kind: TaskName;
    digits: string;
    bits: number;
    data: string;
    imbalance: number;
    validation: number;
    splitSeed: number;
  };
  train: {
    batch: number;
    epochs?: number;
    updates?: number;
    order: 'shuffle' | 'fixed';
    evalEvery?: number;
    stopAtError?: number;
    keepBest: boolean;
    /** Train again on training + validation for the epochs chosen on validation, and report test once. */
    retrainFull: boolean;
    /** --augment as given ('none', or transforms joined by '+'; data/augment.ts). Absent in logs written before it. */
    augment?: string;
    /** α schedule (train/schedule.ts). Absent in logs written before it: constant. */
    schedule?: { kind: 'constant' | 'step' | 'cosine'; stepEvery: number; stepFactor: number };
    patience?: number;
  };
  /** Members of an ensemble (seeds seed … seed + ensemble − 1); 1 is a single model. */
  ensemble?: number;
  seed: number;
  backend: string;
  threads: number;
}

/** Every option a TrainInput may hold, each declared once in src/options/. */
export const INPUT_OPTIONS = { ...RUN_OPTIONS, ...ED_OPTIONS, ...BACKPROP_OPTIONS };

const isLogic = (t: TaskName) => t === 'xor' || t === 'parity';

/**
 * Resolves and validates a run. `machine.threads` is the default thread count (Node: every core; the browser
 * and the model loader: 1), kept out of here so that this module stays browser-safe.
 */
export function resolveConfig(raw: TrainInput, machine: { threads: number } = { threads: 1 }): RunConfig {
  const digitsText = Array.isArray(raw.digits) ? raw.digits.join(',') : raw.digits;
  const input = validateGiven(INPUT_OPTIONS, { ...raw, digits: digitsText }, 'options');
  const presetName: PresetName = input.preset ?? RUN_DEFAULTS.preset;
  const preset = getPreset(presetName);
  const kind = input.task ?? RUN_DEFAULTS.task;
  const rule = input.rule ?? RUN_DEFAULTS.rule;
  // Rule, preset and the rule's options first: the order they appear in logs and model files.
  const head =
    rule === 'ed'
      ? { rule, preset: presetName, ed: validateEdOptions({ ...preset.rule, ...pick(ED_OPTIONS, input) }) }
      : {
          rule,
          preset: presetName,
          backprop: validateBackpropOptions({ ...BACKPROP_DEFAULTS, ...pick(BACKPROP_OPTIONS, input) }),
        };
  check(input.epochs === undefined || input.updates === undefined, 'options epochs and updates: give one, not both');
  // Logic tasks follow Kaneko's protocol: fixed pattern order, stop when the epoch's Σ|e| < 0.1, at most 10,000 epochs.
  const logic = isLogic(kind);
  check(
    !(input.validation === 'none' && input.keepBest),
    'options validation none and keepBest: keeping the best weights needs a validation split to choose them on',
  );
  check(
    !(input.validation === 'none' && input.retrainFull),
    'options validation none and retrainFull: the epochs to retrain for are chosen on a validation split',
  );
  const schedule = input.schedule ?? RUN_DEFAULTS.schedule;
  const lrDecay = head.rule === 'ed' ? head.ed.lrDecay : 1;
  check(
    schedule === 'constant' || lrDecay === 1,
    `options schedule ${schedule} and lrDecay ${lrDecay}: give one α schedule (lrDecay is the constant ` +
      `schedule's per-epoch decay)`,
  );
  check(
    !(input.validation === 'none' && input.patience !== undefined),
    'options validation none and patience: early stopping watches a validation split',
  );
  check(
    !((input.ensemble ?? 1) > 1 && input.validation === 'none'),
    'options ensemble and validation none: each member is selected at its own validation epoch',
  );
  check(
    input.augment === undefined || input.augment.trim() === 'none' || !logic,
    `option augment: task ${kind} is not made of images; augmentation applies to image tasks`,
  );
  const updates = input.updates;
  const epochs = updates === undefined ? (input.epochs ?? (logic ? 10000 : RUN_DEFAULTS.epochs)) : undefined;
  return {
    ...head,
    task: {
      kind,
      digits: input.digits ?? (kind === 'one-vs-rest' ? '4' : RUN_DEFAULTS.digits),
      bits: kind === 'xor' ? 2 : (input.bits ?? RUN_DEFAULTS.bits),
      data: input.data ?? RUN_DEFAULTS.data,
      imbalance: input.imbalance ?? RUN_DEFAULTS.imbalance,
      validation: logic ? 0 : shareValue(input.validation ?? RUN_DEFAULTS.validation),
      splitSeed: input.splitSeed ?? RUN_DEFAULTS.splitSeed,
    },
    train: {
      batch: input.batch ?? preset.batch,
      epochs,
      updates,
      order: input.order ?? (logic ? 'fixed' : preset.order),
      evalEvery: input.evalEvery,
      stopAtError: input.stopAtError ?? (logic ? 0.1 : undefined),
      keepBest: input.keepBest ?? RUN_DEFAULTS.keepBest,
      retrainFull: input.retrainFull ?? RUN_DEFAULTS.retrainFull,
      augment: (input.augment ?? RUN_DEFAULTS.augment).trim(),
      schedule: {
        kind: schedule,
        stepEvery: input.stepEvery ?? RUN_DEFAULTS.stepEvery,
        stepFactor: input.stepFactor ?? RUN_DEFAULTS.stepFactor,
      },
      patience: input.patience,
    },
    ensemble: input.ensemble ?? RUN_DEFAULTS.ensemble,
    seed: input.seed ?? RUN_DEFAULTS.seed,
    backend: input.backend ?? RUN_DEFAULTS.backend,
    threads: input.threads ?? machine.threads,
  };
}

/** Options that were given but do nothing for this run (a typo in intent): one line each, for a warning. */
export function unusedOptions(raw: TrainInput): string[] {
  const task = raw.task ?? RUN_DEFAULTS.task;
  const rule = raw.rule ?? RUN_DEFAULTS.rule;
  const given = (k: string) => (raw as Record<string, unknown>)[k] !== undefined;
  const notes: string[] = [];
  const images = !isLogic(task);
  if (given('digits') && task !== 'pair' && task !== 'one-vs-rest')
    notes.push(`option digits does not apply to task ${task} (only to pair and one-vs-rest)`);
  if (given('bits') && task !== 'parity') notes.push(`option bits does not apply to task ${task} (only to parity)`);
  for (const k of ['data', 'imbalance', 'validation', 'splitSeed', 'retrainFull'] as const)
    if (given(k) && !images) notes.push(`option ${k} does not apply to task ${task} (it is generated)`);
  const [own, other] = rule === 'ed' ? [ED_OPTIONS, BACKPROP_OPTIONS] : [BACKPROP_OPTIONS, ED_OPTIONS];
  for (const k of Object.keys(other))
    if (given(k) && !(k in own)) notes.push(`option ${k} does not apply to rule ${rule}`);
  if (given('ternaryBias') && !raw.ternary)
    notes.push('option ternaryBias applies only with ternary (the bias weights of a ternary forward pass)');
  return notes;
}
