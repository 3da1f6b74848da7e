/**
 * The validation split: a seeded, stratified share of the training samples held out (each class keeps its
 * share), so that every choice a run makes — the best evaluation, --keep-best, early stopping, presets — is made
 * without looking at the test files. The remaining training samples and the held-out ones keep their order.
 */
import { check } from '../errors.js';
import { Random } from '../random.js';
import type { Split } from './tasks.js';

/** How many to hold out: 0 = none, a fraction in (0, 1), or a count ≥ 1. */
export type ValidationSize = number;

export function holdOut(
  train: Split,
  inputs: number,
  size: ValidationSize,
  seed: number,
): { train: Split; validation: Split } {
  const n = train.count;
  const total = size < 1 ? Math.round(size * n) : size;
  check(
    Number.isInteger(total) && total >= 0 && total < n,
    `option validation: ${size} would hold out ${total} of the ${n} training samples; give a fraction below 1 ` +
      `or a count below ${n}`,
  );
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = train.labels[i];
    let list = byClass.get(l);
    if (!list) {
      list = [];
      byClass.set(l, list);
    }
    list.push(i);
  }
  // Largest remainder: each class gets its share of `total`, rounded so that the shares add up exactly.
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const quota = classes.map((c) => (byClass.get(c)!.length * total) / n);
  const take = quota.map(Math.floor);
  const order = classes.map((_, i) => i).sort((a, b) => quota[b] - take[b] - (quota[a] - take[a]) || a - b);
  for (let r = total - take.reduce((a, b) => a + b, 0), i = 0; r > 0; r--, i++) take[order[i]]++;
  const held = new Uint8Array(n);
  const rng = new Random(seed);
  classes.forEach((c, i) => {
    const members = Int32Array.from(byClass.get(c)!);
    rng.fork(c).shuffle(members);
    for (let j = 0; j < take[i]; j++) held[members[j]] = 1;
  });
  return { train: select(train, inputs, held, 0), validation: select(train, inputs, held, 1) };
}

function select(split: Split, inputs: number, held: Uint8Array, want: number): Split {
  let count = 0;
  for (const h of held) if (h === want) count++;
  const x = new (split.x.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)(count * inputs);
  const labels = new Uint8Array(count);
  for (let i = 0, k = 0; i < split.count; i++) {
    if (held[i] !== want) continue;
    x.set(split.x.subarray(i * inputs, (i + 1) * inputs), k * inputs);
    labels[k++] = split.labels[i];
  }
  return { x, labels, count };
}

/** The training and validation samples together again (for retraining on every training file). */
export function mergeSplits(a: Split, b: Split, inputs: number): Split {
  const x = new (a.x.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)((a.count + b.count) * inputs);
  x.set(a.x.subarray(0, a.count * inputs));
  x.set(b.x.subarray(0, b.count * inputs), a.count * inputs);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels.subarray(0, a.count));
  labels.set(b.labels.subarray(0, b.count), a.count);
  return { x, labels, count: a.count + b.count };
}
