// An ensemble trained in the browser lab (Debian's chromium driven by playwright-core): Ensemble 3 trains three ED
// models one after another in the page's worker, each kept at its own validation-selected update; the averaged
// scores are tested once, score the drawing, and download as one file that the CLI evaluates and predicts with,
// holding each member's selected weights.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadIdxDataset } from '../src/data/dataset.js';
import { toSparseRows } from '../src/data/sparse.js';
import { referenceBackend } from '../src/kernels/reference.js';
import type { EnsembleRule } from '../src/model/ensemble.js';
import { decodeModel } from '../src/model/format.js';
import { loadRule } from '../src/model/load.js';
import { taskFor } from '../src/train/build.js';
import { evaluateRows } from '../src/train/predict.js';
import { fillForm, openLab, skip } from './browser-lab.js';
import { idxBytes, ROOT, runCli, tempDir } from './helpers.js';

let browser: Browser | undefined;
let page: Page;
let close: () => void = () => {};
const pageErrors: string[] = [];

before(async () => {
  if (skip) return;
  ({ browser, page, close } = await openLab(pageErrors));
});

after(async () => {
  await browser?.close();
  close();
});

const text = async (selector: string) => (await page.textContent(selector)) ?? '';

test('the page trains an ensemble of three, member after member, and its download is the ensemble the CLI loads', {
  skip,
  timeout: 180000,
}, async () => {
  await fillForm(page, {
    preset: 'seed',
    task: 'pair',
    digits: '4,9',
    seed: '5',
    epochs: '1',
    ensemble: '3',
    pace: 'full',
    'compare-bp': false,
  });
  await page.click('#reset');
  // The new run is announced with what it will train.
  await page.waitForFunction(() => /an ensemble/.test(document.querySelector('#run-length')?.textContent ?? ''), null, {
    timeout: 10000,
  });
  assert.match(await text('#run-length'), /^1 epochs .*; an ensemble: 3 ED models \(seeds 5 … 7\) one after another/);
  assert.equal(await text('#updates'), '0');
  // One update of the first member: no file yet, and the axis spans all three members.
  await page.click('#step');
  await page.waitForFunction(() => document.querySelector('#updates')?.textContent === '1', null, { timeout: 10000 });
  assert.equal(await page.isDisabled('#download-model'), true, 'no ensemble file before its last member ends');
  assert.match(await text('#download-model'), /after member 3 of 3 ends/);
  const total = Number((await text('#total-updates')).replace(/,/g, ''));
  assert.ok(total > 0 && total % 3 === 0, `total updates ${total}: three members' worth`);

  await page.click('#start');
  await page.waitForFunction(() => /^finished/.test(document.querySelector('#status')?.textContent ?? ''), null, {
    timeout: 120000,
  });
  assert.match(await text('#status'), /^finished: the ensemble of 3 scores \d+\.\d\d % on validation/);
  assert.equal(await text('#updates'), total.toLocaleString('en'), 'every member trained its epoch');
  const shown = await text('#ensemble-result');
  const head = /^Ensemble of 3 \(class scores averaged\): validation (\d+\.\d\d) %, test (\d+\.\d\d) %\./.exec(shown);
  assert.ok(head, shown);
  const members = [
    ...shown.matchAll(/seed (\d+) (\d+\.\d\d) % validation, (\d+\.\d\d) % test \(update ([\d,]+)\)/g),
  ].map((m) => ({ seed: Number(m[1]), validation: m[2], test: m[3], update: Number(m[4].replace(/,/g, '')) }));
  assert.deepEqual(
    members.map((m) => m.seed),
    [5, 6, 7],
  );
  // Each member was selected on its own stretch of the run's update axis.
  members.forEach((m, i) =>
    assert.ok(m.update > (i * total) / 3 && m.update <= ((i + 1) * total) / 3, `member ${i}: update ${m.update}`),
  );
  assert.equal(await text('#test-accuracy'), head[2]);
  assert.equal(await page.isDisabled('#download-model'), false);

  const dir = tempDir();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
  assert.equal(download.suggestedFilename(), 'edlearn-ed-4v9-seed5-ensemble3.edlearn');
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const bytes = readFileSync(file);
  const { header } = decodeModel(bytes, file);
  assert.deepEqual(header.ensemble?.seeds, [5, 6, 7]);
  assert.equal(header.config.ensemble, 3);
  assert.equal(header.config.seed, 5);

  // In Node, on the page's bundled images: the file's averaged scores give the page's validation and test
  // accuracy, and each member alone gives that member's — the weights of its own selected update.
  const ensemble = loadRule(bytes, file, referenceBackend).rule as EnsembleRule;
  assert.equal(ensemble.members.length, 3);
  const task = taskFor(header.config, loadIdxDataset(join(ROOT, 'web/public/data')));
  const rows = (split: typeof task.validation) => toSparseRows(split, task.inputs, task.scale, referenceBackend);
  const pct = (v: number) => (v * 100).toFixed(2);
  const validation = rows(task.validation);
  const testRows = rows(task.test);
  assert.equal(pct(evaluateRows(ensemble, validation).accuracy), head[1], 'the ensemble on validation');
  assert.equal(pct(evaluateRows(ensemble, testRows).accuracy), head[2], 'the ensemble on test');
  ensemble.members.forEach((m, i) => {
    assert.equal(pct(evaluateRows(m, validation).accuracy), members[i].validation, `member ${i} on validation`);
    assert.equal(pct(evaluateRows(m, testRows).accuracy), members[i].test, `member ${i} on test`);
  });
  const [a, b] = ensemble.members.map((m) => m.parameters()[0]);
  assert.notDeepEqual(a, b, 'members of other seeds hold other weights');

  // The CLI evaluates the file, and predicts what the page predicts (the drawing is scored by the ensemble).
  const evaluated = runCli(['eval', '--model', file]);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const count = 10;
  const pixels = loadIdxDataset(join(ROOT, 'web/public/data')).test.images.subarray(0, count * 784);
  const idx = join(dir, 'images-idx3-ubyte');
  writeFileSync(idx, idxBytes([count, 28, 28], pixels));
  const cli = runCli(['predict', '--model', file, '--json', idx]);
  assert.equal(cli.code, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout) as { scores: Record<string, number> | number[] }[];
  const images = Array.from({ length: count }, (_, i) => Array.from(pixels.subarray(i * 784, (i + 1) * 784)));
  const got = await page.evaluate(
    (imgs) =>
      (
        window as unknown as { edlearnLab: { predict(i: number[][]): Promise<{ scores: number[] }[]> } }
      ).edlearnLab.predict(imgs),
    images,
  );
  got.forEach((g, i) => {
    const scores = Object.values(expected[i].scores);
    g.scores.forEach((v, k) => assert.ok(Math.abs(v - scores[k]) < 1e-4, `image ${i} score ${k}: ${v}, ${scores[k]}`));
  });
  assert.deepEqual(pageErrors, []);
});
