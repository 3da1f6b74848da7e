// train --save, eval and predict: called in-process, and through the command line as a user would.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { evalCommand, predictCommand } from '../src/cli/model.js';
import { trainCommand } from '../src/cli/train.js';
import { toSparseRows } from '../src/data/sparse.js';
import type { Task } from '../src/data/tasks.js';
import { UserError } from '../src/errors.js';
import { readModelFile } from '../src/model/file.js';
import { modelTask } from '../src/model/task.js';
import { predictRows } from '../src/train/predict.js';
import { loadTask } from '../src/train/run.js';
import { idxBytes, runCli, tempDir } from './helpers.js';
import { greyPng } from './png-writer.js';

const dir = tempDir();
const TRAIN = { task: 'all', units: 8, layers: 2, batch: 256, updates: 20 } as const;

/** Test image i of the task as a 28×28 byte image. */
const image = (task: Task, i: number) => task.test.x.subarray(i * task.inputs, (i + 1) * task.inputs);

/** Classes the saved model gives test images `indices`, computed in this process (the reference answer). */
function expectedClasses(model: string, task: Task, indices: number[]): string[] {
  const { header, rule } = readModelFile(model);
  const x = new Uint8Array(indices.length * task.inputs);
  indices.forEach((i, k) => x.set(image(task, i), k * task.inputs));
  const rows = toSparseRows(
    { x, labels: new Uint8Array(indices.length), count: indices.length },
    task.inputs,
    task.scale,
    rule.backend,
  );
  return Array.from(predictRows(rule, rows).predicted, (c) => header.task.classNames[c]);
}

/** A dataset directory of `classes` classes and side × side images. */
function idxDirectory(name: string, classes: number, side: number): string {
  const d = join(dir, name);
  mkdirSync(d);
  const labels = Uint8Array.from({ length: 6 }, (_, i) => i % classes);
  for (const prefix of ['train', 't10k']) {
    writeFileSync(join(d, `${prefix}-images-idx3-ubyte`), idxBytes([6, side, side]));
    writeFileSync(join(d, `${prefix}-labels-idx1-ubyte`), idxBytes([6], labels));
  }
  return d;
}

let trained: { model: string; lines: string[]; task: Task } | null = null;
function trainInProcess() {
  if (trained) return trained;
  const model = join(dir, 'in-process.edlearn');
  const lines: string[] = [];
  const [{ header }] = trainCommand({ ...TRAIN, threads: 1, quiet: true, save: model }, (l) => lines.push(l));
  trained = { model, lines, task: loadTask(header.config) };
  return trained;
}

test('train --save writes a model that eval scores exactly as training did, with a 10 × 10 confusion matrix', () => {
  const { model, lines } = trainInProcess();
  assert.equal(lines.at(-1), `model written to ${model}`);
  const { header } = readModelFile(model);
  const out: string[] = [];
  const report = evalCommand({ model }, (l) => out.push(l));
  assert.equal(report.count, 10000);
  assert.equal(
    report.accuracy,
    header.accuracy.testAtFinal,
    'eval and the end of training see the same test split and weights',
  );
  assert.ok(report.sameData);
  assert.equal(report.confusion.length, 10);
  assert.ok(report.confusion.every((row) => row.length === 10));
  assert.equal(
    report.confusion.flat().reduce((a, b) => a + b, 0),
    10000,
  );
  assert.match(
    out[1],
    /^accuracy \d+\.\d\d % \(\d+ \/ 10000\) on the mnist 10-class test split, the data it was trained on · [\d.]+ s/,
  );
  const matrix = out.slice(out.indexOf('confusion matrix: rows = true class, columns = predicted class') + 1);
  assert.equal(matrix.length, 11);
  assert.deepEqual(matrix[0].trim().split(/\s+/).slice(-10), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  matrix
    .slice(1)
    .forEach((line, t) => assert.deepEqual(line.trim().split(/\s+/).map(Number), [t, ...report.confusion[t]]));

  const json: string[] = [];
  evalCommand({ model, json: true }, (l) => json.push(l));
  assert.equal(json.length, 1);
  assert.deepEqual(JSON.parse(json[0]).confusion, report.confusion);
});

test('predict: PNGs and IDX images get the class the model computes; --invert flips drawings', () => {
  const { model, task } = trainInProcess();
  const pngs = [3, 8].map((i) => {
    const path = join(dir, `test-${i}.png`);
    writeFileSync(path, greyPng(image(task, i), 28, 28));
    return path;
  });
  const inverted = join(dir, 'drawing.png');
  writeFileSync(
    inverted,
    greyPng(
      image(task, 3).map((v) => 255 - v),
      28,
      28,
    ),
  );
  const idx = join(dir, 'three-images-idx3-ubyte');
  writeFileSync(idx, idxBytes([3, 28, 28], task.test.x.subarray(0, 3 * 784)));

  const expected = expectedClasses(model, task, [3, 8, 0, 1, 2]);
  const lines: string[] = [];
  const results = predictCommand([...pngs, idx], { model }, (l) => lines.push(l));
  assert.deepEqual(
    results.map((r) => r.predicted),
    expected,
  );
  assert.deepEqual(
    results.map((r) => r.index),
    [undefined, undefined, 0, 1, 2],
  );
  assert.deepEqual(Object.keys(results[0].scores), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(lines.length, 5);
  assert.match(lines[0], new RegExp(`^${pngs[0]}\\s+class ${expected[0]}\\s+scores\\s+0 \\d\\.\\d{3}`));
  assert.match(lines[4], new RegExp(`^${idx}\\[2\\]\\s+class ${expected[4]}`));

  // The same image alone in its batch both times: relaxed-SIMD kernels may round differently for other batch sizes.
  const drawn = predictCommand([inverted], { model, invert: true, json: true }, () => {});
  const plain = predictCommand([pngs[0]], { model, json: true }, () => {});
  assert.deepEqual(drawn[0].scores, plain[0].scores);
  assert.equal(plain[0].predicted, results[0].predicted);
});

test('eval refuses data that does not fit the model, naming both and the fix', () => {
  const { model } = trainInProcess();
  const twoClasses = idxDirectory('two-classes', 2, 28);
  assert.throws(
    () => evalCommand({ model, data: twoClasses }, () => {}),
    (err: unknown) =>
      err instanceof UserError &&
      err.message ===
        `model ${model} was trained on 10 classes; ${twoClasses} has 2 — evaluate it on data with the same ` +
          `classes (it was trained on mnist)`,
  );
  const small = idxDirectory('small-images', 10, 14);
  assert.throws(
    () => evalCommand({ model, data: small }, () => {}),
    (err: unknown) =>
      err instanceof UserError &&
      err.message.startsWith(`model ${model} takes 28×28 images; ${small} holds 14×14 images`),
  );
  assert.throws(
    () => predictCommand([join(dir, 'missing.png')], { model }, () => {}),
    (err: unknown) => err instanceof UserError && /cannot read image .*missing\.png \(ENOENT\)/.test(err.message),
  );
});

// ---- The same through the command line. ----

function assertUserError(args: string[], pattern: RegExp) {
  const r = runCli(args);
  assert.equal(r.code, 2, `exit code for ${args.join(' ')}: ${r.code}\n${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trim().split('\n').length, 1, `not one line:\n${r.stderr}`);
}

test('CLI: eval, predict and train --save are declared', () => {
  for (const command of ['eval', 'predict']) {
    const r = runCli([command, '--help']);
    assert.equal(r.code, 0, `edlearn ${command} --help: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stdout, /--model <file>/);
  }
  assert.match(runCli(['train', '--help']).stdout, /--save <file>/);
});

test('CLI: train --save, eval, predict, and one-line errors for a corrupted model or unfit data', () => {
  const model = join(dir, 'cli.edlearn');
  const train = runCli([
    'train',
    '--task',
    'all',
    '--units',
    '8',
    '--layers',
    '2',
    '--batch',
    '256',
    '--updates',
    '20',
    '--quiet',
    '--save',
    model,
  ]);
  assert.equal(train.code, 0, train.stderr);
  assert.match(train.stdout, new RegExp(`model written to ${model}`));

  const ev = runCli(['eval', '--model', model]);
  assert.equal(ev.code, 0, ev.stderr);
  assert.match(ev.stdout, /^accuracy \d+\.\d\d % \(\d+ \/ 10000\)/m);
  const matrix = ev.stdout.trim().split('\n').slice(-10);
  assert.ok(
    matrix.every((line, t) => new RegExp(`^\\s*${t}(\\s+\\d+){10}$`).test(line)),
    ev.stdout,
  );

  const task = trainInProcess().task;
  const pngs = [5, 6].map((i) => {
    const path = join(dir, `cli-${i}.png`);
    writeFileSync(path, greyPng(image(task, i), 28, 28));
    return path;
  });
  const pr = runCli(['predict', '--model', model, '--json', ...pngs]);
  assert.equal(pr.code, 0, pr.stderr);
  assert.deepEqual(
    JSON.parse(pr.stdout).map((r: { predicted: string }) => r.predicted),
    expectedClasses(model, task, [5, 6]),
  );
  const text = runCli(['predict', '--model', model, ...pngs]);
  assert.equal(text.stdout.trim().split('\n').length, 2);

  const bytes = readFileSync(model);
  bytes[bytes.length - 50] ^= 0xff;
  const corrupted = join(dir, 'corrupted.edlearn');
  writeFileSync(corrupted, bytes);
  assertUserError(['eval', '--model', corrupted], /corrupted\.edlearn is corrupted or was modified .*re-save it/);
  assertUserError(
    ['eval', '--model', model, '--data', idxDirectory('cli-two-classes', 2, 28)],
    /was trained on 10 classes; .* has 2 — /,
  );
});

test('eval of a model whose data location is not a directory here asks for --data, naming the recorded source', () => {
  const { model } = trainInProcess();
  const { header } = readModelFile(model);
  const moved = { ...header, config: { ...header.config, task: { ...header.config.task, data: 'local IDX files' } } };
  assert.throws(
    () => modelTask(moved, 'lab.edlearn'),
    (err: unknown) =>
      err instanceof UserError &&
      err.message ===
        "model lab.edlearn was trained on data from 'local IDX files', which is not a directory here (the lab " +
          'records files loaded from disk that way); give --data DIR with the same IDX files',
  );
});
