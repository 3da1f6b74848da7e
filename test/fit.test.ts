// fit as TF.js users expect it (issue 23): any batchSize on any model, validationSplit 0 = none, a split that
// rounds to nothing refused with the numbers, callbacks in TF.js's order, earlyStopping, summary().
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { UserError } from '../src/errors.js';
import { createModel, earlyStopping, loadMnist } from '../src/index.js';
import type { Rule } from '../src/rules/rule.js';

const mnist = loadMnist();
const n = 1200;
const x = mnist.train.images.subarray(0, 784 * n);
const y = mnist.train.labels.subarray(0, n);
const checksum = (rule: Rule) => {
  const h = createHash('sha256');
  for (const p of rule.parameters()) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex');
};
const userError = (pattern: RegExp) => (err: unknown) =>
  err instanceof UserError && pattern.test(err.message) && !err.message.includes('\n');

test(
  'batchSize 512 on a model built for 64 works and ' + 'gives the weights of a model created with batch: 512',
  async () => {
    const grown = createModel({ preset: 'seed', classes: 10, seed: 5 });
    assert.ok(grown.rule.maxBatch < 512);
    await grown.fit(x, y, { epochs: 1, batchSize: 512 });
    assert.ok(grown.rule.maxBatch >= 512);
    const built = createModel({ preset: 'seed', classes: 10, seed: 5, batch: 512 });
    await built.fit(x, y, { epochs: 1 });
    assert.equal(checksum(grown.rule), checksum(built.rule));
    // The grown model still predicts, saves and evaluates as before.
    assert.deepEqual(grown.predict(x.subarray(0, 784 * 20)), built.predict(x.subarray(0, 784 * 20)));
  },
);

test('callbacks (object, array, onEpochEnd shorthand) fire in TF.js order with their logs', async () => {
  const events: string[] = [];
  const recorder = {
    onTrainBegin: () => void events.push('trainBegin'),
    onEpochBegin: (e: number) => void events.push(`epochBegin ${e}`),
    onBatchBegin: (b: number) => void events.push(`batchBegin ${b}`),
    onBatchEnd: (b: number, logs: { size: number; accuracy: number }) => {
      assert.ok(logs.accuracy >= 0 && logs.accuracy <= 1);
      events.push(`batchEnd ${b} ${logs.size}`);
    },
    onEpochEnd: async (e: number, logs: { valAccuracy?: number }) => {
      await new Promise((r) => setTimeout(r, 1));
      events.push(`epochEnd ${e} ${logs.valAccuracy === undefined ? 'no-val' : 'val'}`);
    },
    onTrainEnd: () => void events.push('trainEnd'),
  };
  const model = createModel({ preset: 'seed', classes: 10, seed: 1 });
  // 250 samples, 20 held out: 230 to train in batches of 100, 100, 30.
  const history = await model.fit(x.subarray(0, 784 * 250), y.subarray(0, 250), {
    epochs: 2,
    batchSize: 100,
    validationSplit: 0.08,
    callbacks: [recorder, { onEpochEnd: (e) => void events.push(`second ${e}`) }],
    onEpochEnd: (e) => void events.push(`shorthand ${e}`),
  });
  const epoch = (e: number) => [
    `epochBegin ${e}`,
    'batchBegin 0',
    'batchEnd 0 100',
    'batchBegin 1',
    'batchEnd 1 100',
    'batchBegin 2',
    'batchEnd 2 30',
    `epochEnd ${e} val`,
    `second ${e}`,
    `shorthand ${e}`,
  ];
  assert.deepEqual(events, ['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
  assert.deepEqual(history.epoch, [0, 1]);
  assert.equal(history.stopped, false);
});

test('validationSplit 0 means none; a split that rounds to no sample is refused with the numbers', async () => {
  const model = createModel({ preset: 'seed', classes: 10, seed: 1 });
  const history = await model.fit(x.subarray(0, 784 * 10), y.subarray(0, 10), { validationSplit: 0 });
  assert.deepEqual(history.history.valAccuracy, []);
  await assert.rejects(
    model.fit(x.subarray(0, 784 * 10), y.subarray(0, 10), { validationSplit: 0.01 }),
    userError(
      /fit: validationSplit 0\.01 of 10 samples holds out 0\.1 samples, which rounds to none; use a split of at least 0\.05/,
    ),
  );
  await assert.rejects(
    model.fit(x.subarray(0, 784 * 10), y.subarray(0, 10), { validationSplit: 1 }),
    userError(/leaves no training samples out of 10/),
  );
  await assert.rejects(
    model.fit(x.subarray(0, 784 * 10), y.subarray(0, 10), { validationSplit: -0.1 }),
    userError(/fit: option validationSplit/),
  );
});

test(
  'earlyStopping stops after patience epochs without ' + 'improvement; bad monitors and callbacks are one-line errors',
  async () => {
    const model = createModel({ preset: 'seed', classes: 10, seed: 1 });
    // No change can beat minDelta 1: epoch 0 sets the best, epochs 1 and 2 do not
    // improve, patience 2 stops after epoch 2.
    const stop = earlyStopping({ monitor: 'valAccuracy', patience: 2, minDelta: 1 });
    const history = await model.fit(x.subarray(0, 784 * 300), y.subarray(0, 300), {
      epochs: 10,
      validationSplit: 0.2,
      callbacks: stop,
    });
    assert.deepEqual(history.epoch, [0, 1, 2]);
    assert.equal(history.stopped, true);
    assert.equal(stop.stoppedEpoch, 2);
    // A new fit starts afresh.
    const again = await model.fit(x.subarray(0, 784 * 300), y.subarray(0, 300), { epochs: 2, validationSplit: 0.2 });
    assert.equal(again.epoch.length, 2);
    await assert.rejects(
      model.fit(x.subarray(0, 784 * 30), y.subarray(0, 30), { epochs: 2, callbacks: earlyStopping() }),
      userError(/earlyStopping: the epoch logs have no valAccuracy \(no validation data\)/),
    );
    assert.throws(
      () => earlyStopping({ monitor: 'loss' as never }),
      userError(/earlyStopping: monitor loss is not an epoch log/),
    );
    assert.throws(
      () => earlyStopping({ patince: 2 } as never),
      userError(/earlyStopping: unknown option 'patince' — did you mean patience\?/),
    );
    await assert.rejects(
      model.fit(x.subarray(0, 784 * 30), y.subarray(0, 30), { callbacks: { onEpochEnds: () => {} } as never }),
      userError(/fit: callbacks\.onEpochEnds is not a callback — did you mean onEpochEnd\?/),
    );
    await assert.rejects(
      model.fit(x.subarray(0, 784 * 30), y.subarray(0, 30), { callbacks: [null] as never }),
      userError(/fit: callbacks\[0\] is null/),
    );
  },
);

test("summary: each network's layers with E/I counts and parameters, and the total", () => {
  const model = createModel({ preset: 'seed', classes: 10, seed: 1 });
  const text = model.summary();
  const total = model.rule.parameterCount();
  assert.match(text, /10 networks, one per class \(0, 1, 2, 3, 4, 5, 6, 7, 8, 9\)/);
  assert.match(text, /hidden 1 +784 × 2 \(E\/I copies\)/);
  assert.ok(text.includes(`= ${total.toLocaleString('en-US')}`), text);
  const two = createModel({ preset: 'kaneko-mnist', classes: 2, units: 16 }).summary();
  assert.match(two, /1 network: its output is P\(class 1\)/);
  assert.match(two, /output +16 \(8 E \+ 8 I\) +1 +1 +0 +sigmoid +18/);
});
