// The evaluation protocol: validation held out of the training files (stratified, seeded, exact sizes), every
// choice made on it, the test split read only when the run ends, and the summary saying which number is which.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdOut } from '../src/data/holdout.js';
import type { Split, Task } from '../src/data/tasks.js';
import { getBackend } from '../src/kernels/index.js';
import type { LearnStats } from '../src/rules/rule.js';
import { buildRun, taskFor } from '../src/train/build.js';
import { resolveConfig } from '../src/train/config.js';
import { loadDataset } from '../src/data/cache.js';
import { TrainingSession } from '../src/train/trainer.js';
import { runCli } from './helpers.js';

const counts = (labels: Uint8Array, classes: number) => {
  const c = new Array<number>(classes).fill(0);
  for (const l of labels) c[l]++;
  return c;
};

test('the validation split is a stratified, seeded share of the training files, with exact sizes', () => {
  const config = resolveConfig({ task: 'all' });
  const task = taskFor(config, loadDataset(config));
  assert.equal(task.validation.count, 10000);
  assert.equal(task.train.count + task.validation.count, 60000);
  const all = counts(loadDataset(config)!.train.labels, 10);
  counts(task.validation.labels, 10).forEach((n, c) =>
    assert.ok(Math.abs(n - all[c] / 6) <= 1, `class ${c}: ${n} of ${all[c]}`),
  );
  const pair = taskFor(resolveConfig({ digits: '4,9', validation: 2000 }), loadDataset(config));
  assert.equal(pair.validation.count, 2000);
  const fraction = holdOut(task.train, task.inputs, 0.1, 7);
  assert.equal(fraction.validation.count, 5000);
  assert.deepEqual(
    holdOut(task.train, task.inputs, 0.1, 7).validation.labels,
    fraction.validation.labels,
    'the same seed gives the same split',
  );
  assert.notDeepEqual(
    holdOut(task.train, task.inputs, 0.1, 8).validation.x,
    fraction.validation.x,
    'another seed another split',
  );
});

/** A split whose contents throw when read until `open()`: proof that nothing reads the test files early. */
function sealed(split: Split): { split: Split; open: () => void } {
  let readable = false;
  const guard = <T>(v: T) => {
    if (!readable) throw new Error('the test split was read before the end of the run');
    return v;
  };
  const sealedSplit = {
    get x() {
      return guard(split.x);
    },
    get labels() {
      return guard(split.labels);
    },
    count: split.count,
  };
  return { split: sealedSplit, open: () => (readable = true) };
}

test('no code path reads the test split before the run ends; finish reads it once for both points', () => {
  const config = resolveConfig({
    task: 'all',
    layers: 1,
    units: 8,
    batch: 256,
    updates: 30,
    evalEvery: 5,
    keepBest: true,
  });
  const built = buildRun(config, loadDataset(config), getBackend('wasm-simd'));
  const { split, open } = sealed(built.task.test);
  const task: Task = { ...built.task, test: split };
  const session = new TrainingSession(built.rule, task, built.train);
  while (!session.done) session.step(7);
  assert.equal(session.history.length, 6);
  open();
  const r = session.finish();
  assert.equal(r.selected.on, 'validation');
  assert.equal(r.selected.validationAccuracy, Math.max(...session.history.map((e) => e.valAccuracy)));
  assert.ok(r.selected.testAccuracy > 0.1 && r.final.testAccuracy > 0.1);
});

test('train --json says which number is which: selected on validation, test at the selected and final points', () => {
  const r = runCli(['train', '--digits', '3,5', '--epochs', '2', '--eval-every', '40', '--json', '--retrain-full']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.task.train + out.task.validation, 11552, "train + validation = the pair's training samples");
  assert.equal(out.task.test, 1902);
  const { selected, final, retrained } = out.result;
  assert.equal(selected.on, 'validation');
  for (const v of [
    selected.validationAccuracy,
    selected.testAccuracy,
    final.validationAccuracy,
    final.testAccuracy,
    retrained.testAccuracy,
  ])
    assert.ok(v > 0.9, String(v));
  assert.ok(retrained.epochs >= 1 && retrained.epochs <= 2);
  const progress = runCli(['train', '--digits', '3,5', '--epochs', '1']);
  assert.doesNotMatch(progress.stderr, /test/, 'progress lines show validation only');
  assert.match(progress.stdout, /test accuracy +at the validation-selected update \d+: \d+\.\d\d %/);
});

test('--seeds repeats the run and reports mean ± sd with 95 % intervals', () => {
  const r = runCli(['train', '--digits', '4,9', '--updates', '60', '--seeds', '3', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(
    out.runs.map((x: { config: { seed: number } }) => x.config.seed),
    [1, 2, 3],
  );
  const s = out.summary.selectedTest;
  assert.equal(s.n, 3);
  assert.ok(s.ci[0] < s.mean && s.mean < s.ci[1] && s.sd > 0);
  const text = runCli(['train', '--digits', '4,9', '--updates', '60', '--seeds', '3', '--quiet']);
  assert.match(text.stdout, /over 3 seeds: mean ± sd \[95 % CI, Student t with 2 degrees of freedom\]/);
  assert.match(
    text.stdout,
    /test accuracy at the validation-selected point +\d+\.\d\d % ± \d+\.\d\d \[\d+\.\d\d %, \d+\.\d\d %\]/,
  );
});

test('impossible protocols are refused with a message naming the options', () => {
  for (const [args, message] of [
    [
      ['--validation', '60000', '--task', 'all'],
      /option validation: 60000 would hold out 60000 of the 50000|option validation: 60000 would hold out/,
    ],
    [['--validation', 'none', '--keep-best'], /options validation none and keepBest/],
    [['--validation', '1.5'], /--validation.*'1\.5' is invalid/],
  ] as const) {
    const r = runCli(['train', ...args, '--updates', '1']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});

test('training that diverges stops with a message naming the update and the option to lower', () => {
  const config = resolveConfig({ layers: 1, units: 4, updates: 5 });
  const built = buildRun(config, loadDataset(config), getBackend('reference'));
  // The third update reports NaN, whether the trainer hands batches one by one or in runs (learnSequence).
  let calls = 0;
  const poison = (s: LearnStats) => (++calls === 3 ? { absError: NaN, correct: 0 } : s);
  const learn = built.rule.learn.bind(built.rule);
  built.rule.learn = (batch) => poison(learn(batch));
  const learnSequence = built.rule.learnSequence?.bind(built.rule);
  if (learnSequence) built.rule.learnSequence = (seq) => learnSequence(seq).map(poison);
  const session = new TrainingSession(built.rule, built.task, built.train);
  assert.throws(
    () => session.step(10),
    /training diverged at update 3: the error is NaN .*lower the learning rate \(option lr\)/,
  );
  const r = runCli(['train', '--lr', '1e308', '--updates', '1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--lr.*'1e308' is invalid\. expected a number > 0 and ≤ 1000/);
});
