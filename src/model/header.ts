/**
 * The header of a model file: what was trained (the resolved config, the task and its class names), by which
 * edlearn, on which backend, how well it did, and the length of each parameter array that follows.
 * Browser-safe.
 */
import { TASK_NAMES, type TaskName } from '../options/run.js';
import type { RunConfig } from '../train/config.js';
import type { RunHeader } from '../log/events.js';
import type { TrainResult } from '../train/trainer.js';
import type { Rule } from '../rules/rule.js';
import { VERSION } from '../version.js';
import { classNameProblem } from './class-names.js';

export const MODEL_FORMAT = 'edlearn-model';
export const MODEL_FORMAT_VERSION = 1;
/** Largest input count and class count a model file may declare (a 4096 × 4096 image; labels are bytes). */
const MAX_INPUTS = 1 << 24;
const MAX_CLASSES = 256;

export interface ModelHeader {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  /** edlearn version that wrote the file. */
  version: string;
  /** When the file was written (ISO 8601). */
  time: string;
  config: RunConfig;
  seed: number;
  /** Backend the model was trained on. */
  backend: string;
  threads: number;
  task: {
    name: string;
    kind: TaskName;
    digits: string;
    inputs: number;
    classes: number;
    classNames: string[];
    dataset: string;
    fingerprint: string;
    /** Split sizes of the run (absent in files written before the validation split). */
    splits?: { train: number; validation: number; test: number };
  };
  /**
   * Validation accuracy of the run (final, best and where), and its test accuracy read once at the end: at the
   * validation-selected point and at the final weights. The stored parameters are the final ones (the selected
   * ones with config.train.keepBest; the retrained ones with config.train.retrainFull).
   */
  accuracy: {
    final: number;
    best: number;
    bestUpdate: number;
    testAtSelected?: number;
    testAtFinal?: number;
    testRetrained?: number;
  };
  /** Length of each array of rule.parameters(), in order (an ensemble: each member's arrays in turn). */
  parameterShapes: number[];
  /** An ensemble (--ensemble K): its members' seeds and test accuracies; the file holds every member's arrays. */
  ensemble?: { size: number; seeds: number[]; memberTest: number[] };
}

/** The header for a rule just trained by runTraining, from its start header and result. */
export function modelHeader(
  run: Pick<RunHeader, 'config' | 'backend' | 'threads' | 'task'>,
  result: Pick<TrainResult, 'finalValAccuracy' | 'bestValAccuracy' | 'bestUpdate'> &
    Partial<Pick<TrainResult, 'selected' | 'final'>> & { retrained?: { testAccuracy: number } } & {
      ensemble?: {
        size: number;
        members: { seed: number; selected: { testAccuracy: number }; retrainedTest?: number }[];
      };
    },
  rule: Rule,
): ModelHeader {
  const { config, task } = run;
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    version: VERSION,
    time: new Date().toISOString(),
    config,
    seed: config.seed,
    backend: run.backend,
    threads: run.threads,
    task: {
      name: task.name,
      kind: config.task.kind,
      digits: config.task.digits,
      inputs: task.inputs,
      classes: task.classes,
      classNames: classNames(config.task, task.classes),
      dataset: task.dataset,
      fingerprint: task.fingerprint,
      splits: { train: task.train, validation: task.validation, test: task.test },
    },
    accuracy: {
      final: result.finalValAccuracy,
      best: result.bestValAccuracy,
      bestUpdate: result.bestUpdate,
      testAtSelected: result.selected?.testAccuracy,
      testAtFinal: result.final?.testAccuracy,
      testRetrained: result.retrained?.testAccuracy,
    },
    parameterShapes: rule.parameters().map((p) => p.length),
    ...(result.ensemble
      ? {
          ensemble: {
            size: result.ensemble.size,
            seeds: result.ensemble.members.map((m) => m.seed),
            memberTest: result.ensemble.members.map((m) => m.retrainedTest ?? m.selected.testAccuracy),
          },
        }
      : {}),
  };
}

/** The class names buildTask / parityTask give a task (a test holds the two together). */
export function classNames(task: RunConfig['task'], classes: number): string[] {
  const digits = task.digits.split(',').map((d) => d.trim());
  switch (task.kind) {
    case 'pair':
      return digits;
    case 'one-vs-rest':
      return ['rest', digits[0]];
    case 'xor':
    case 'parity':
      return ['even', 'odd'];
    case 'all':
      return Array.from({ length: classes }, (_, i) => String(i));
  }
}

/** The first required field of a header that is missing or of the wrong type, or null when all are there. */
export function missingField(h: unknown): string | null {
  const fields: [string, (v: unknown) => boolean][] = [
    ['format', (v) => v === MODEL_FORMAT],
    ['version', isString],
    ['config', isObject],
    ['config.rule', (v) => v === 'ed' || v === 'backprop'],
    ['config.task', isObject],
    ['config.task.kind', (v) => (TASK_NAMES as readonly unknown[]).includes(v)],
    ['config.task.digits', isString],
    ['config.task.data', isString],
    ['config.preset', isString],
    ['config.train', isObject],
    ['task', isObject],
    ['task.name', isString],
    ['task.kind', isString],
    // Bounds so that a hostile header cannot ask the loader for a huge network (the options have theirs too).
    ['task.inputs', (v) => isCount(v) && (v as number) <= MAX_INPUTS],
    ['task.classes', (v) => isCount(v) && (v as number) >= 2 && (v as number) <= MAX_CLASSES],
    ['task.classNames', isStringArray],
    ['accuracy', isObject],
    ['parameterShapes', (v) => Array.isArray(v) && v.every((n) => Number.isInteger(n) && n >= 0)],
  ];
  for (const [path, ok] of fields)
    if (!ok(path.split('.').reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), h))) return path;
  const header = h as ModelHeader;
  if (header.config.rule === 'ed' && !isObject(header.config.ed)) return 'config.ed';
  if (header.config.rule === 'backprop' && !isObject(header.config.backprop)) return 'config.backprop';
  if (header.task.classNames.length !== header.task.classes) return 'task.classNames (one per class)';
  if (
    header.ensemble !== undefined &&
    !(
      isObject(header.ensemble) &&
      Number.isInteger(header.ensemble.size) &&
      header.ensemble.size >= 1 &&
      header.ensemble.size <= 64
    )
  )
    return 'ensemble.size (1…64)';
  if (!header.task.classNames.every((n) => classNameProblem(n) === null))
    return 'task.classNames (printable text, no control characters)';
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown) => typeof v === 'string';
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
const isStringArray = (v: unknown) => Array.isArray(v) && v.every(isString);

/**
 * Side of the square images a model takes, or null when its inputs are not a square number. Headers record the
 * input count only; every IDX image set in use (MNIST, Fashion-MNIST, KMNIST, EMNIST) is square.
 */
export function imageSide(inputs: number): number | null {
  const side = Math.round(Math.sqrt(inputs));
  return side * side === inputs ? side : null;
}

/** "28×28" for a square model, else "784-pixel". */
export function describeImageSize(inputs: number): string {
  const side = imageSide(inputs);
  return side === null ? `${inputs}-pixel` : `${side}×${side}`;
}
