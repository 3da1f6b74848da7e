// The public API's fit: repeated fits take their training rows from the same memory instead of growing the
// WebAssembly memory each time (it cannot free); fit learns through the rule's fast path (learnSequence over
// whole runs, as the CLI) and gives the CLI's weights on 10-class online ED.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createModel, loadMnist } from '../src/index.js';
import { runTraining } from '../src/train/run.js';
import type { Rule } from '../src/rules/rule.js';
import { idxBytes, tempDir } from './helpers.js';

const mnist = loadMnist();
const checksum = (rule: Rule) => {
  const h = createHash('sha256');
  for (const p of rule.parameters()) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex');
};

test('fit 200 times on 50,000 images: the WebAssembly memory stops growing after the first fit', async () => {
  const n = 50_000;
  const x = mnist.train.images.subarray(0, 784 * n);
  const y = mnist.train.labels.subarray(0, n);
  const model = createModel({ preset: 'kaneko-mnist', seed: 1, backend: 'wasm' });
  const memory = model.backend.memory!;
  // An aborted signal: each fit builds its rows and stops before the first update (the rows are what leaked).
  const stop = AbortSignal.abort();
  await model.fit(x, y, { epochs: 1, signal: stop });
  const after1 = memory.buffer.byteLength;
  for (let i = 1; i < 200; i++) await model.fit(x, y, { epochs: 1, signal: stop });
  assert.equal(
    memory.buffer.byteLength,
    after1,
    `memory grew from ${after1} to ${memory.buffer.byteLength} bytes over 200 fits`,
  );
  // Still learns after all that. Training fits may grow the engine's sequence outputs once, to at most an epoch
  // (outputs and errors per network per sample, regrown by doubling: under twice that), but their rows come from
  // the same arena: three fits of 2,000 images stay under that bound, where leaked rows would add ≈ 1 MB per fit.
  const small = 2000;
  const bound = after1 + 2 * (2 * 4 * small * model.classes) + 65536;
  for (let i = 0; i < 3; i++) {
    const h = await model.fit(x.subarray(0, 784 * small), y.subarray(0, small), { epochs: 1 });
    assert.ok(h.history.accuracy[0] > 0.5, `training accuracy ${h.history.accuracy[0]}`);
    assert.ok(
      memory.buffer.byteLength <= bound,
      `memory grew from ${after1} to ${memory.buffer.byteLength} bytes after training fit ${i + 1}`,
    );
  }
});

test("fit learns 10-class online ED through learnSequence, with the CLI's weights", async () => {
  // 3,000 MNIST training images as IDX files, so that the CLI reads exactly the arrays fit is given.
  const n = 3000;
  const dir = tempDir();
  try {
    const images = mnist.train.images.subarray(0, 784 * n);
    const labels = mnist.train.labels.subarray(0, n);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxBytes([n, 28, 28], images));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes([n], labels));
    writeFileSync(
      join(dir, 't10k-images-idx3-ubyte'),
      idxBytes([500, 28, 28], mnist.test.images.subarray(0, 784 * 500)),
    );
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes([500], mnist.test.labels.subarray(0, 500)));
    const options = { preset: 'kaneko-mnist' as const, seed: 5, backend: 'wasm-simd', threads: 1 };
    const cli = runTraining({ ...options, task: 'all', data: dir, epochs: 2, validation: 'none' });
    const model = createModel(options);
    let single = 0;
    let runs = 0;
    const learn = model.rule.learn.bind(model.rule);
    const learnSequence = model.rule.learnSequence!.bind(model.rule);
    model.rule.learn = (b) => {
      single++;
      return learn(b);
    };
    model.rule.learnSequence = (s) => {
      runs++;
      return learnSequence(s);
    };
    await model.fit(images, labels, { epochs: 2 });
    assert.equal(checksum(model.rule), checksum(cli.rule));
    // Before, fit handed the rule one sample at a time (6,000 learn calls); now a few runs carry nearly all.
    assert.ok(single < 100, `${single} single updates`);
    assert.ok(runs >= 2 && runs < 200, `${runs} runs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
