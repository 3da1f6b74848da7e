// The public Model API (src/api/): the same config and seed give the CLI's weights; checked arguments; abort;
// a page-friendly fit that yields; files that round-trip; the same Model from the browser entry.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createModel as createBrowserModel } from '../src/browser.js';
import { UserError } from '../src/errors.js';
import { createModel, loadModel, loadMnist } from '../src/index.js';
import { buildTask } from '../src/data/tasks.js';
import { runTraining } from '../src/train/run.js';
import type { Rule } from '../src/rules/rule.js';
import { tempDir } from './helpers.js';

const mnist = loadMnist();
const pair = buildTask(mnist, 'pair', [4, 9]);
const checksum = (rule: Rule) => {
  const h = createHash('sha256');
  for (const p of rule.parameters()) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex');
};
const userError = (pattern: RegExp) => (err: unknown) => err instanceof UserError && pattern.test(err.message);

test('fit gives the weights the CLI gives for the same config and seed', async () => {
  // Without a validation split the CLI trains on all of 4 vs 9's training samples, as fit does here.
  const cli = runTraining({ digits: '4,9', epochs: 1, seed: 7, backend: 'wasm-simd', validation: 'none' });
  const model = createModel({ classes: 2, seed: 7, backend: 'wasm-simd' });
  const history = await model.fit(pair.train.x as Uint8Array, pair.train.labels, {
    epochs: 1,
    validationData: [pair.test.x as Uint8Array, pair.test.labels],
  });
  assert.equal(checksum(model.rule), checksum(cli.rule));
  assert.equal(history.history.valAccuracy[0], cli.result.final.testAccuracy);
  assert.equal(model.evaluate(pair.test.x as Uint8Array, pair.test.labels).accuracy, cli.result.final.testAccuracy);
});

test('the browser entry builds the same initial weights as the Node entry', () => {
  const a = createBrowserModel({ preset: 'kaneko-mnist', seed: 3 });
  const b = createModel({ preset: 'kaneko-mnist', seed: 3, backend: 'reference' });
  assert.equal(checksum(a.rule), checksum(b.rule));
  assert.notEqual(checksum(a.rule), checksum(createModel({ preset: 'kaneko-mnist', seed: 4 }).rule));
});

test(
  'fit on 10 classes: history per epoch, validationSplit ' + 'held out, accuracy well above chance, scores per class',
  async () => {
    const n = 6000;
    const x = mnist.train.images.subarray(0, 784 * n);
    const y = mnist.train.labels.subarray(0, n);
    const model = createModel({ preset: 'kaneko-mnist', seed: 1 });
    const seen: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 2,
      validationSplit: 0.1,
      onEpochEnd: (epoch, logs) => {
        seen.push(epoch);
        assert.ok(logs.valAccuracy !== undefined && logs.seconds > 0 && logs.samplesPerSecond > 0);
      },
    });
    assert.deepEqual(seen, [0, 1]);
    assert.deepEqual(history.epoch, [0, 1]);
    assert.ok(history.history.valAccuracy[1] > 0.8, `validation accuracy ${history.history.valAccuracy[1]}`);
    const { accuracy, confusion } = model.evaluate(mnist.test.images, mnist.test.labels);
    assert.ok(accuracy > 0.8, `test accuracy ${accuracy}`);
    assert.equal(
      confusion.flat().reduce((a, v) => a + v, 0),
      10000,
    );
    const scores = model.predict(mnist.test.images.subarray(0, 784 * 5));
    assert.equal(scores.length, 5 * 10);
    // Float inputs in 0…1 are the same images.
    const floats = Float32Array.from(mnist.test.images.subarray(0, 784 * 5), (v) => v / 255);
    assert.deepEqual(model.predict(floats), scores);
  },
);

test('model files: save, load by path or bytes, predict the same, keep training', async () => {
  const dir = tempDir();
  const file = join(dir, 'm.edlearn');
  const model = createModel({ layers: 1, units: 8, classes: 10, seed: 2 });
  const x = mnist.train.images.subarray(0, 784 * 1000);
  const y = mnist.train.labels.subarray(0, 1000);
  await model.fit(x, y, { epochs: 1 });
  await model.save(file);
  assert.deepEqual(readdirSync(dir), ['m.edlearn']);
  const probe = mnist.test.images.subarray(0, 784 * 20);
  for (const same of [loadModel(file), loadModel(model.toBytes())]) {
    assert.deepEqual(same.predict(probe), model.predict(probe));
    assert.equal(same.config.seed, 2);
  }
  await loadModel(file).fit(x, y, { epochs: 1 });
});

test('fit stops cleanly on an AbortSignal and yields to the event loop meanwhile', async () => {
  const model = createModel({ preset: 'kaneko-mnist', classes: 10, seed: 1 });
  const controller = new AbortController();
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    if (ticks === 3) controller.abort();
  }, 5);
  const history = await model.fit(mnist.train.images, mnist.train.labels, {
    epochs: 5,
    signal: controller.signal,
    yieldEvery: 10,
  });
  clearInterval(timer);
  assert.equal(history.stopped, true);
  assert.ok(ticks >= 3, 'the event loop ran during fit');
  assert.deepEqual(history.epoch, [], 'stopped within the first epoch');
});

test('bad arguments are one-line UserErrors that name the argument', async () => {
  const model = createModel({ classes: 10 });
  const x = mnist.train.images.subarray(0, 784 * 10);
  const y = mnist.train.labels.subarray(0, 10);
  assert.throws(() => createModel({ lr: -1 }), userError(/options: option lr: expected a number > 0/));
  assert.throws(
    () => createModel({ units: 0x10000 }),
    userError(/option units: expected an integer 1…8192, got 65536/),
  );
  assert.throws(() => createModel({ classes: 1 }), userError(/createModel: option classes: expected an integer 2…256/));
  assert.throws(() => createModel({ lerningRate: 1 } as never), userError(/unknown option 'lerningRate'/));
  await assert.rejects(
    model.fit(x.subarray(1), y),
    userError(/fit: images hold 7839 values, not a positive multiple of the model's 784 inputs/),
  );
  await assert.rejects(model.fit(x, y.subarray(1)), userError(/fit: 10 images but 9 labels/));
  await assert.rejects(
    model.fit(
      x,
      Int32Array.from(y, () => 12),
    ),
    userError(/fit: labels\[0\] is 12; expected a class 0…9/),
  );
  await assert.rejects(
    model.fit(
      Float32Array.from(x, () => -1),
      y,
    ),
    userError(/fit: images\[0\] is -1; ED inputs must be numbers in 0…1/),
  );
  await assert.rejects(
    model.fit(x, y, { epochs: 0 }),
    userError(/fit: option epochs: expected an integer 1…1000000, got 0/),
  );
  await assert.rejects(
    model.fit(x, y, { batchSize: 0 }),
    userError(/fit: option batchSize: expected an integer 1…65536, got 0/),
  );
  assert.throws(() => model.predict([1, 2] as never), userError(/predict: images must be a Uint8Array/));
  assert.throws(
    () => loadModel(join(tempDir(), 'none.edlearn')),
    userError(/loadModel: cannot read .*none\.edlearn \(ENOENT\)/),
  );
  assert.ok(!existsSync('none.edlearn'));
});

test(
  'wrong argument types, unknown keys and a second fit ' + 'at once are UserErrors that name them (issue 22)',
  async () => {
    const model = createModel({ classes: 10, seed: 3 });
    const x = mnist.train.images.subarray(0, 784 * 200);
    const y = mnist.train.labels.subarray(0, 200);
    assert.throws(() => createModel(null as never), userError(/createModel: expected an object of options, got null/));
    assert.throws(() => createModel({ lerningRate: 1 } as never), userError(/unknown option 'lerningRate'/));
    assert.throws(
      () => createModel({ unit: 8 } as never),
      userError(/createModel: unknown option 'unit' — did you mean units\?/),
    );
    assert.throws(
      () => createModel({ epochs: 3 } as never),
      userError(/createModel: option epochs is not createModel's; give it to fit: model\.fit\(x, y, \{ epochs \}\)/),
    );
    assert.throws(
      () => createModel({ classes: 2, classNames: ['a', 'b\u001b]0;owned\u0007'] }),
      userError(/createModel: classNames\[1\]: .* control character/),
    );
    assert.throws(
      () => createModel({ classes: 2, classNames: 'ab' as never }),
      userError(/createModel: option classNames: expected an array of strings, got the string "ab"/),
    );
    assert.throws(
      () => loadModel(null as never),
      userError(/loadModel: source: expected a file path or the bytes of a model file .*, got null/),
    );
    assert.throws(
      () => loadModel('/dev/zero'),
      userError(/loadModel: \/dev\/zero: it is a device, not a regular file/),
    );
    await assert.rejects(
      model.save(42 as never),
      userError(/save: path: expected a file path \(a non-empty string\), got the number 42/),
    );
    await assert.rejects(
      (model.save as () => Promise<void>)(),
      userError(/save: path: expected a file path .*, got nothing/),
    );
    await assert.rejects(
      model.fit(x, y, { epoch: 5 } as never),
      userError(/fit: unknown option 'epoch' — did you mean epochs\?/),
    );
    await assert.rejects(
      model.fit(x, y, { signal: 'yes' } as never),
      userError(/fit: option signal: expected an AbortSignal, got the string "yes"/),
    );
    await assert.rejects(model.fit(x, y, null as never), userError(/fit: expected an object of options, got null/));
    // A model file whose class names hold terminal escapes (forged, not made by edlearn) is refused when read.
    const forged = createModel({ classes: 2, inputs: 4 });
    (forged as unknown as { classNames: string[] }).classNames = ['0', '1\u001b]0;owned\u0007'];
    assert.throws(
      () => loadModel(forged.toBytes()),
      userError(/task\.classNames \(printable text, no control characters\)/),
    );
    // An ArrayBuffer of a model file loads like its Uint8Array.
    const bytes = model.toBytes();
    const copy = loadModel(bytes.slice().buffer);
    assert.deepEqual(copy.predict(x.subarray(0, 784)), model.predict(x.subarray(0, 784)));
    // Two fits at once would interleave their updates on the same weights: the second is refused, the first unharmed.
    const first = model.fit(x, y, { epochs: 2, yieldEvery: 0 });
    await assert.rejects(model.fit(x, y), userError(/fit: this model is already training/));
    const history = await first;
    assert.equal(history.epoch.length, 2);
    await model.fit(x, y, { epochs: 1 });
  },
);
