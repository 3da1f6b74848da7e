// --augment: the shifts move pixels as stated, every redrawn image fits its own row, draws are seeded and fresh
// every epoch, validation and test rows are never touched, and the option is refused clearly where it cannot apply.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Augmenter, parseAugment, shiftInPlace } from '../src/data/augment.js';
import { toSparseRows } from '../src/data/sparse.js';
import { referenceBackend } from '../src/kernels/reference.js';
import { loadMnist } from '../src/index.js';
import { resolveConfig } from '../src/train/config.js';
import { UserError } from '../src/errors.js';
import { TrainingSession } from '../src/train/trainer.js';
import { buildRule } from '../src/train/build.js';
import type { Task } from '../src/data/tasks.js';

const mnist = loadMnist();

test('shiftInPlace moves the image by (dx, dy) with zero fill', () => {
  const img = Float32Array.from({ length: 9 }, (_, i) => i + 1);
  shiftInPlace(img, 3, 1, 0);
  assert.deepEqual([...img], [0, 1, 2, 0, 4, 5, 0, 7, 8]);
  const up = Float32Array.from({ length: 9 }, (_, i) => i + 1);
  shiftInPlace(up, 3, -1, -1);
  assert.deepEqual([...up], [5, 6, 0, 8, 9, 0, 0, 0, 0]);
});

function rowsOf(n: number, spec: string) {
  const split = { x: mnist.train.images.subarray(0, 784 * n), labels: mnist.train.labels.subarray(0, n), count: n };
  const a = parseAugment(spec)!;
  const interp = a.rotate > 0 || a.elastic !== null;
  const rows = toSparseRows(split, 784, 1 / 255, referenceBackend, (k) => (interp ? Math.ceil(k * 1.5) + 16 : k));
  return { split, rows, aug: new Augmenter(a, split, rows, 1 / 255, 11) };
}

const dense = (rows: ReturnType<typeof rowsOf>['rows'], s: number) => {
  const out = new Float32Array(784);
  for (let q = rows.rowStart[s]; q < rows.rowEnd![s]; q++) out[rows.index[q]] = Math.round(rows.value[q] * 255);
  return out;
};

test(
  'shift:1: each image is its original or the original ' + 'moved by one (dx, dy) ∈ {−1, 0, 1}², about half moved',
  () => {
    const n = 400;
    const { split, rows, aug } = rowsOf(n, 'shift:1');
    aug.epoch();
    let kept = 0;
    for (let s = 0; s < n; s++) {
      const got = dense(rows, s);
      const original = Float32Array.from(split.x.subarray(s * 784, (s + 1) * 784));
      const matches = [];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const moved = Float32Array.from(original);
          shiftInPlace(moved, 28, dx, dy);
          if (moved.every((v, i) => v === got[i])) matches.push([dx, dy]);
        }
      }
      assert.ok(matches.length > 0, `row ${s} is no shift of its image`);
      assert.ok(rows.rowEnd![s] <= rows.rowStart[s + 1], `row ${s} overflows its room`);
      if (original.every((v, i) => v === got[i])) kept++;
    }
    // Kept as is with probability ½, plus the (0, 0) shift (1/9 of the others): 5/9 of 400 ≈ 222 ± 10.
    assert.ok(kept > 180 && kept < 265, `${kept} of ${n} unchanged`);
  },
);

test('augmentation is seeded and fresh every epoch', () => {
  const a = rowsOf(50, 'rotate:10+shift:1');
  const b = rowsOf(50, 'rotate:10+shift:1');
  a.aug.epoch();
  b.aug.epoch();
  const first = Array.from({ length: 50 }, (_, s) => dense(a.rows, s));
  for (let s = 0; s < 50; s++) assert.deepEqual(dense(b.rows, s), first[s]);
  a.aug.epoch();
  assert.ok(
    first.some((img, s) => img.some((v, i) => v !== dense(a.rows, s)[i])),
    'the second epoch drew the same images',
  );
});

test('elastic and rotate images stay within their rows and keep most of the ink', () => {
  const { split, rows, aug } = rowsOf(100, 'elastic:34,4');
  aug.epoch();
  for (let s = 0; s < 100; s++) {
    assert.ok(rows.rowEnd![s] <= rows.rowStart[s + 1]);
    const ink = dense(rows, s).reduce((a, v) => a + v, 0);
    const was = split.x.subarray(s * 784, (s + 1) * 784).reduce((a, v) => a + v, 0);
    assert.ok(ink > 0.5 * was && ink < 1.5 * was, `row ${s}: ink ${ink} from ${was}`);
  }
});

test('training with --augment never touches the validation or test rows', () => {
  const config = resolveConfig({ task: 'all', preset: 'kaneko-mnist', augment: 'shift:1', epochs: 2 });
  const n = 300;
  const split = (x: Uint8Array, y: Uint8Array, from: number) => ({
    x: x.slice(784 * from, 784 * (from + n)),
    labels: y.slice(from, from + n),
    count: n,
  });
  const task: Task = {
    name: 't',
    inputs: 784,
    classes: 10,
    classNames: [],
    scale: 1 / 255,
    source: { dataset: 'mnist', fingerprint: '' },
    train: split(mnist.train.images, mnist.train.labels, 0),
    validation: split(mnist.train.images, mnist.train.labels, n),
    test: split(mnist.test.images, mnist.test.labels, 0),
  };
  const copies = [Uint8Array.from(task.train.x), Uint8Array.from(task.validation.x)];
  const rule = buildRule({ config, inputs: 784, classes: 10, maxBatch: 256 }, referenceBackend);
  const session = new TrainingSession(rule, task, { ...config.train, seed: 1, augment: parseAugment('shift:1') });
  const val = Float32Array.from(session.validationRows.value);
  while (!session.done) session.step(1_000_000);
  session.finish();
  assert.deepEqual(Float32Array.from(session.validationRows.value), val);
  assert.equal(session.validationRows.rowEnd, undefined);
  assert.deepEqual(Uint8Array.from(task.train.x), copies[0], 'the original training images were changed');
  assert.deepEqual(Uint8Array.from(task.validation.x), copies[1]);
});

test('--augment is checked: its form, and that the task has images', () => {
  for (const bad of ['shift', 'shift:x', 'rotate:10+', 'zoom:2', 'elastic:34']) {
    assert.throws(
      () => resolveConfig({ task: 'all', augment: bad }),
      (e: unknown) => e instanceof UserError && /augment/.test(e.message),
      bad,
    );
  }
  assert.throws(() => parseAugment('shift:9'), /more than 8 pixels/);
  assert.throws(() => resolveConfig({ task: 'xor', augment: 'shift:1' }), /not made of images/);
  const c = resolveConfig({ task: 'all', augment: 'rotate:10+shift:1', schedule: 'cosine', patience: 3 });
  assert.equal(c.train.augment, 'rotate:10+shift:1');
  assert.deepEqual(c.train.schedule, { kind: 'cosine', stepEvery: 10, stepFactor: 0.5 });
  assert.throws(() => resolveConfig({ task: 'all', schedule: 'step', lrDecay: 0.9 }), /one α schedule/);
});
