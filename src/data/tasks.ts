/**
 * Tasks: what the network is asked to learn, built from a dataset (digit pair, one-vs-rest, all classes) or
 * generated (XOR, N-bit parity). Images stay as bytes; `scale` turns a byte into an input value.
 */
import { check } from '../errors.js';
import { Random } from '../random.js';
import type { Dataset, ImageSet } from './idx-dataset.js';

export interface Split {
  /** count × inputs values: bytes (images, turned into inputs by the task's scale) or floats already in 0…1. */
  x: Uint8Array | Float32Array;
  /** Class index per sample, 0 … classes − 1. */
  labels: Uint8Array;
  count: number;
}

export interface Task {
  name: string;
  inputs: number;
  classes: number;
  classNames: string[];
  /** Input value = byte × scale (1/255 for images: pixels in 0…1). */
  scale: number;
  train: Split;
  /**
   * Held out from the training files (data/holdout.ts), where every choice is made; logic tasks: the training patterns.
   */
  validation: Split;
  /** The test files: read only at the end of a run. */
  test: Split;
  /** What the data came from, for logs. */
  source: { dataset: string; fingerprint: string };
}

export type TaskKind = 'pair' | 'one-vs-rest' | 'all';

/** Parses "4,9" into digits, checking each names a class of the dataset. */
export function parseDigits(text: string, classes: number): number[] {
  const digits = text.split(',').map((s) => s.trim());
  return digits.map((d) => {
    const v = Number(d);
    check(
      d !== '' && Number.isInteger(v) && v >= 0 && v < classes,
      `option digits: '${d}' is not a class of this dataset; expected integers 0…${classes - 1} separated by ` +
        `commas, e.g. 4,9`,
    );
    return v;
  });
}

/** A task over a dataset's files, with no validation split yet (the run builder holds one out of train). */
export function buildTask(ds: Dataset, kind: TaskKind, digits: number[]): Task {
  return checkSplits(buildSplits(ds, kind, digits), ds.name);
}

/**
 * Every class of a two-class task must occur in both splits: training on one class learns nothing, and a test
 * split without a class gives accuracies that mean nothing (NaN %, −100 %). All-class tasks need non-empty splits.
 */
function checkSplits(task: Task, dataset: string): Task {
  for (const [which, split] of [
    ['training', task.train],
    ['test', task.test],
  ] as const) {
    check(
      split.count > 0,
      `option digits: the ${which} split of ${dataset} holds no images of ${task.classNames.join(' or ')}; ` +
        `choose classes both splits hold`,
    );
    if (task.classes !== 2) continue;
    const ones = split.labels.reduce((n, l) => n + l, 0);
    const missing = ones === 0 ? task.classNames[1] : ones === split.count ? task.classNames[0] : null;
    check(
      missing === null,
      () =>
        `option digits: the ${which} split of ${dataset} holds no images of ${missing} (task ${task.name}); ` +
        `choose classes both splits hold`,
    );
  }
  return task;
}

function buildSplits(ds: Dataset, kind: TaskKind, digits: number[]): Task {
  const inputs = ds.rows * ds.cols;
  const base = {
    inputs,
    scale: 1 / 255,
    source: { dataset: ds.name, fingerprint: ds.fingerprint },
    validation: emptySplit(inputs),
  };
  switch (kind) {
    case 'pair': {
      check(
        digits.length === 2 && digits[0] !== digits[1],
        `option digits: a pair task needs two different classes, got '${digits.join(',')}'; e.g. 4,9`,
      );
      const [a, b] = digits;
      const map = (l: number) => (l === a ? 0 : l === b ? 1 : -1);
      return {
        ...base,
        name: `${ds.name} ${a} vs ${b}`,
        classes: 2,
        classNames: [String(a), String(b)],
        train: relabel(ds.train, map, base.inputs),
        test: relabel(ds.test, map, base.inputs),
      };
    }
    case 'one-vs-rest': {
      check(
        digits.length === 1,
        `option digits: a one-vs-rest task needs one class, got '${digits.join(',')}'; e.g. 3`,
      );
      const [d] = digits;
      const map = (l: number) => (l === d ? 1 : 0);
      return {
        ...base,
        name: `${ds.name} ${d} vs rest`,
        classes: 2,
        classNames: ['rest', String(d)],
        train: relabel(ds.train, map, base.inputs),
        test: relabel(ds.test, map, base.inputs),
      };
    }
    case 'all':
      check(ds.classes >= 2, `--data: ${ds.name} has a single class; a classification task needs at least two`);
      return {
        ...base,
        name: `${ds.name} ${ds.classes}-class`,
        classes: ds.classes,
        classNames: Array.from({ length: ds.classes }, (_, i) => String(i)),
        train: relabel(ds.train, (l) => l, base.inputs),
        test: relabel(ds.test, (l) => l, base.inputs),
      };
  }
}

export function emptySplit(inputs: number): Split {
  return { x: new Uint8Array(0 * inputs), labels: new Uint8Array(0), count: 0 };
}

/** Keeps the samples `map` sends to a class (≥ 0), with their new labels. */
function relabel(set: ImageSet, map: (label: number) => number, inputs: number): Split {
  const keep: number[] = [];
  for (let i = 0; i < set.count; i++) if (map(set.labels[i]) >= 0) keep.push(i);
  // Every sample kept (all classes, one-vs-rest): share the images instead of copying 47 MB.
  if (keep.length === set.count) return { x: set.images, labels: set.labels.map(map), count: set.count };
  const x = new Uint8Array(keep.length * inputs);
  const labels = new Uint8Array(keep.length);
  keep.forEach((src, i) => {
    x.set(set.images.subarray(src * inputs, (src + 1) * inputs), i * inputs);
    labels[i] = map(set.labels[src]);
  });
  return { x, labels, count: keep.length };
}

/**
 * N-bit parity: all 2^N binary patterns, class = number of ones mod 2. XOR is
 * parity(2). Train = validation = test (Kaneko).
 */
export function parityTask(bits: number): Task {
  check(Number.isInteger(bits) && bits >= 2 && bits <= 16, `option bits: expected an integer 2…16, got ${bits}`);
  const count = 1 << bits;
  const x = new Uint8Array(count * bits);
  const labels = new Uint8Array(count);
  for (let p = 0; p < count; p++) {
    let ones = 0;
    for (let i = 0; i < bits; i++) {
      const bit = (p >> (bits - 1 - i)) & 1;
      x[p * bits + i] = bit;
      ones += bit;
    }
    labels[p] = ones & 1;
  }
  const split = { x, labels, count };
  return {
    name: bits === 2 ? 'xor' : `${bits}-bit parity`,
    inputs: bits,
    classes: 2,
    classNames: ['even', 'odd'],
    scale: 1,
    train: split,
    validation: split,
    test: split,
    source: { dataset: 'generated', fingerprint: `parity-${bits}` },
  };
}

/**
 * An imbalanced version of a task: keeps `fraction` of the training samples of class `label` (a fixed, seeded
 * choice), every other training sample, and the whole validation and test splits.
 */
export function subsampleClass(task: Task, label: number, fraction: number): Task {
  const rng = new Random(0x1a5e + label);
  const keep: number[] = [];
  for (let i = 0; i < task.train.count; i++) if (task.train.labels[i] !== label || rng.next() < fraction) keep.push(i);
  const x = new (task.train.x.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)(
    keep.length * task.inputs,
  );
  const labels = new Uint8Array(keep.length);
  keep.forEach((src, i) => {
    x.set(task.train.x.subarray(src * task.inputs, (src + 1) * task.inputs), i * task.inputs);
    labels[i] = task.train.labels[src];
  });
  const kept = labels.reduce((n, l) => n + (l === label ? 1 : 0), 0);
  const had = task.train.labels.reduce((n, l) => n + (l === label ? 1 : 0), 0);
  check(
    kept > 0,
    `option imbalance: ${fraction} keeps none of the ${had} training images of ${task.classNames[label]}; ` +
      `give a fraction ≥ ${(1 / Math.max(had, 1)).toPrecision(2)} (one image) so that the class is still learned`,
  );
  return {
    ...task,
    name: `${task.name} (${task.classNames[label]} at ${fraction * 100} % in training)`,
    train: { x, labels, count: keep.length },
  };
}
