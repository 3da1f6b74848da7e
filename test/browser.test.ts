// The browser lab in a real browser (Debian's chromium driven by playwright-core): train 4 vs 9 in the page, draw
// a digit after scrolling, load a model saved by the CLI and compare its predictions with the CLI's, refuse a
// corrupt model, build bit-identical weights to Node's for the same settings, reset cleanly.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadIdxDataset, loadMnist } from '../src/data/dataset.js';
import { referenceBackend } from '../src/kernels/reference.js';
import { taskFor } from '../src/train/build.js';
import { decodeModel } from '../src/model/format.js';
import { loadRule } from '../src/model/load.js';
import { toSparseRows } from '../src/data/sparse.js';
import { evaluateRows } from '../src/train/predict.js';
import { resolveConfig, type TrainInput, unusedOptions } from '../src/train/config.js';
import {
  CHECKSUM_CASES,
  fillForm,
  labState,
  type LabState,
  nodeChecksums,
  openLab,
  type PageChecksums,
  skip,
} from './browser-lab.js';
import { idxBytes, ROOT, runCli, tempDir } from './helpers.js';

let browser: Browser | undefined;
let page: Page;
let close: () => void = () => {};
let baseUrl = '';
const pageErrors: string[] = [];

before(async () => {
  if (skip) return;
  ({ browser, page, close, baseUrl } = await openLab(pageErrors));
});

after(async () => {
  await browser?.close();
  close();
});

const state = () => labState(page);
const setForm = (values: Record<string, string | boolean>) => fillForm(page, values);

test('the page trains 4 vs 9 past 90 % validation accuracy', { skip, timeout: 180000 }, async () => {
  await page.click('#start');
  await page.waitForFunction(
    () => {
      const s = (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state();
      return s.valAccuracy > 0.9;
    },
    null,
    { timeout: 120000, polling: 500 },
  );
  const s = await state();
  console.log(
    `# browser: backend ${s.backend}, ${Math.round(s.samplesPerSecond)} samples/s, validation ${s.valAccuracy}`,
  );
  assert.match(s.backend, /wasm/);
  if (await page.isEnabled('#pause')) await page.click('#pause');
});

test('a stroke drawn after scrolling lands where it was drawn, selects no text, and the scores do not move the page', {
  skip,
  timeout: 60000,
}, async () => {
  await page.setViewportSize({ width: 1280, height: 600 });
  try {
    await page.click('#clear');
    // Scrolled so that the canvas's top 100 px are above the viewport: the page has content above and below.
    await page.evaluate(() =>
      window.scrollBy(0, document.querySelector('#draw-canvas')!.getBoundingClientRect().top + 100),
    );
    const listHeight = () => page.evaluate(() => document.querySelector('#scores')!.getBoundingClientRect().height);
    const [scrollBefore, heightBefore] = [await page.evaluate(() => window.scrollY), await listHeight()];
    assert.ok(scrollBefore > 0, 'the page scrolled');
    const box = (await page.locator('#draw-canvas').boundingBox())!;
    // A "0": a loop around (0.5, 0.65) of the canvas, in its visible part.
    const path = Array.from({ length: 33 }, (_, i) => [
      0.5 + 0.2 * Math.sin((i * Math.PI) / 16),
      0.65 - 0.2 * Math.cos((i * Math.PI) / 16),
    ]);
    await page.mouse.move(box.x + box.width * path[0][0], box.y + box.height * path[0][1]);
    await page.mouse.down();
    for (const [x, y] of path) {
      await page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps: 2 });
      await page.waitForTimeout(10); // let scores arrive mid-stroke, as they do under a hand
    }
    await page.mouse.up();
    await page.waitForFunction(
      () => [...document.querySelectorAll('#scores [data-class]')].every((li) => li.textContent !== '–'),
      null,
      { timeout: 20000 },
    );
    assert.equal(await page.evaluate(() => window.scrollY), scrollBefore, 'the page did not scroll');
    assert.equal(
      await listHeight(),
      heightBefore,
      'the score list kept its height (its rows are there before any score)',
    );
    assert.equal(await page.evaluate(() => String(window.getSelection())), '', 'no text selected');
    // The canvas's own pixels (red channel; read whole, as a function defined inside evaluate would not survive tsx).
    const { width, data } = await page.evaluate(() => {
      const c = document.querySelector('#draw-canvas') as HTMLCanvasElement;
      return {
        width: c.width,
        data: Array.from(
          c
            .getContext('2d')!
            .getImageData(0, 0, c.width, c.height)
            .data.filter((_, i) => i % 4 === 0),
        ),
      };
    });
    const at = (x: number, y: number) => data[Math.round(y * width) * width + Math.round(x * width)];
    const ink = { path: path.map(([x, y]) => at(x, y)), centre: at(0.5, 0.65) };
    ink.path.forEach((v, i) => assert.ok(v > 200, `point ${i} of the stroke is inked (${v})`));
    assert.equal(ink.centre, 0, "the loop's centre is not inked");
    assert.equal(await page.locator('#scores [data-class]').count(), 2);
    // Saying what the drawing is draws its amine on the network: e = t − y for that class.
    await page.selectOption('#draw-class', '0');
    await page.waitForFunction(
      () => /of the drawing \(a 4\)/.test(document.querySelector('#network-amine')?.textContent ?? ''),
      null,
      { timeout: 10000 },
    );
    assert.match(
      (await page.textContent('#network-amine')) ?? '',
      /^Amine: of the drawing \(a 4\): e = t − y = −\d\.\d{3}, so d⁺ = 0\.000 and d⁻ = \d\.\d{3} at every unit\.$/,
    );
    await page.selectOption('#draw-class', '');
  } finally {
    await page.setViewportSize({ width: 1280, height: 1100 });
  }
});

test('a model saved by the CLI predicts the same in the page; a corrupt one is refused and nothing is lost', {
  skip,
  timeout: 120000,
}, async () => {
  const dir = tempDir();
  // Twenty MNIST test images as an IDX file for the CLI, and as pixel arrays for the page.
  const test = loadMnist().test;
  const count = 20;
  const pixels = test.images.subarray(0, count * 784);
  const idx = join(dir, 'images-idx3-ubyte');
  writeFileSync(idx, idxBytes([count, 28, 28], pixels));
  const images = Array.from({ length: count }, (_, i) => Array.from(pixels.subarray(i * 784, (i + 1) * 784)));
  // One model, and an ensemble of two from the CLI (its file loads here as a model does).
  for (const [name, extra] of [
    ['model.edlearn', []],
    ['ensemble.edlearn', ['--ensemble', '2']],
  ] as [string, string[]][]) {
    const model = join(dir, name);
    const trained = runCli(['train', '--epochs', '1', ...extra, '--save', model, '--quiet']);
    assert.equal(trained.code, 0, trained.stderr);
    const cli = runCli(['predict', '--model', model, '--json', idx]);
    assert.equal(cli.code, 0, cli.stderr);
    const expected = JSON.parse(cli.stdout) as { predicted: string; scores: Record<string, number> | number[] }[];

    await page.setInputFiles('#model-file', model);
    await page.waitForFunction(
      (n) => (document.querySelector('#model-status')?.textContent ?? '').startsWith(`${n}:`),
      name,
      { timeout: 20000 },
    );
    assert.equal((await state()).modelLoaded, true);
    const got = await page.evaluate(
      (imgs) =>
        (
          window as unknown as {
            edlearnLab: { predict(i: number[][]): Promise<{ predicted: number; scores: number[] }[]> };
          }
        ).edlearnLab.predict(imgs),
      images,
    );
    assert.equal(got.length, count);
    got.forEach((g, i) => {
      const e = expected[i];
      const scores = Array.isArray(e.scores) ? e.scores : Object.values(e.scores);
      assert.equal(String(['4', '9'][g.predicted]), String(e.predicted), `${name}, image ${i}`);
      g.scores.forEach((v, k) =>
        assert.ok(Math.abs(v - scores[k]) < 1e-4, `${name}, image ${i} score ${k}: page ${v}, CLI ${scores[k]}`),
      );
    });
  }

  const before = await state();
  const corrupt = join(dir, 'corrupt.edlearn');
  writeFileSync(corrupt, 'this is not a model');
  await page.setInputFiles('#model-file', corrupt);
  // The message appears in the Models panel, where the file was chosen, not in a box elsewhere on the page.
  await page.waitForFunction(
    () => (document.querySelector('#model-panel .panel-error')?.textContent ?? '').length > 0,
    null,
    { timeout: 10000 },
  );
  assert.match((await page.textContent('#models-error')) ?? '', /corrupt\.edlearn/);
  assert.equal(await page.locator('#train-error').isVisible(), false);
  const afterwards = await state();
  assert.equal(afterwards.updates, before.updates);
  assert.equal(afterwards.modelLoaded, true);

  // A data file that is not IDX: a visible message in the Data panel, and the data and model in use are kept.
  const notIdx = join(dir, 'train-images-idx3-ubyte');
  writeFileSync(notIdx, 'hello, not an IDX file');
  await page.setInputFiles('#data-files', notIdx);
  await page.waitForFunction(() => (document.querySelector('#data-error')?.textContent ?? '').length > 0, null, {
    timeout: 10000,
  });
  assert.match((await page.textContent('#data-error')) ?? '', /missing train-labels-idx1-ubyte/);
  const kept = await state();
  assert.equal(kept.dataReady, true);
  assert.equal(kept.modelLoaded, true);

  const shots = process.env.EDLEARN_SCREENSHOT_DIR ?? dir;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'lab.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('the model trained in the page downloads as a file the CLI evaluates', { skip, timeout: 60000 }, async () => {
  const dir = tempDir();
  const file = join(dir, 'page.edlearn');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
  assert.equal(download.suggestedFilename(), 'edlearn-ed-4v9-seed1.edlearn');
  await download.saveAs(file);
  const r = runCli(['eval', '--model', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /accuracy (9\d|100)\.\d\d %/);
});

test('the same settings and seed give bit-identical weights in the page and in Node, before and after training', {
  skip,
  timeout: 180000,
}, async () => {
  const initials: string[] = [];
  try {
    for (const c of CHECKSUM_CASES) {
      await setForm(c.form);
      const got = await page.evaluate(
        ([backend, updates]) =>
          (
            window as unknown as { edlearnLab: { checksum(b: string, u: number): Promise<PageChecksums> } }
          ).edlearnLab.checksum(backend as string, updates as number),
        [c.backend, c.updates] as const,
      );
      assert.equal(got.backend, c.backend, c.name);
      assert.equal(got.rules.length, c.form['compare-bp'] ? 2 : 1, c.name);
      // The page gives each rule only options that apply to it (backprop: no α, no initial range).
      got.inputs.forEach((input) => assert.deepEqual(unusedOptions(input), [], `${c.name}: ${input.rule} input`));
      const node = nodeChecksums(got.inputs, c.backend, c.updates);
      node.forEach((n, i) => {
        assert.deepEqual(got.configs[i], n.config, `${c.name}: the page resolved the config Node resolves`);
        assert.equal(got.rules[i].initial, n.checksums.initial, `${c.name}, ${n.config.rule}: initial weights`);
        assert.equal(
          got.rules[i].trained,
          n.checksums.trained,
          `${c.name}, ${n.config.rule}: weights after ${c.updates} updates`,
        );
        assert.notEqual(n.checksums.initial, n.checksums.trained, `${c.name}: training moved the weights`);
      });
      assert.equal(got.configs[0].seed, Number(c.form.seed));
      assert.deepEqual(
        [got.configs[0].train.augment, got.configs[0].train.schedule?.kind],
        [c.form.augment ?? 'none', c.form.schedule ?? 'constant'],
        `${c.name}: augmentation and schedule as the form says`,
      );
      // The form starts from the preset's own values: the same rule options and batch as the library's preset.
      const preset = resolveConfig({ preset: c.form.preset as TrainInput['preset'] });
      const edOf = (config: object) => (config as { ed?: unknown }).ed;
      assert.deepEqual(
        [edOf(got.configs[0]), got.configs[0].train.batch],
        [edOf(preset), preset.train.batch],
        `${c.name}: the preset's values`,
      );
      initials.push(got.rules[0].initial);
    }
    assert.equal(new Set(initials).size, initials.length, 'another seed or preset gives other initial weights');
  } finally {
    await setForm({
      preset: 'seed',
      task: 'pair',
      digits: '4,9',
      seed: '1',
      'compare-bp': false,
      augment: 'none',
      schedule: 'constant',
    });
  }
});

test('reset clears a finished run; the downloads hold the validation-selected weights and are named after ' +
  'rule, task and seed', {
  skip,
  timeout: 120000,
}, async () => {
  await setForm({ epochs: '1', pace: 'full', seed: '3', 'compare-bp': true });
  await page.click('#reset');
  await page.click('#start');
  await page.waitForFunction(() => /^finished/.test(document.querySelector('#status')?.textContent ?? ''), null, {
    timeout: 60000,
  });
  // Validation during the run; test read once at the end, shown as its own stat.
  assert.match(
    (await page.textContent('#status')) ?? '',
    /^finished: best validation \d+\.\d\d % at update \d+; test accuracy below/,
  );
  assert.match((await page.textContent('#test-accuracy')) ?? '', /^\d+\.\d\d$/);
  assert.match((await page.textContent('#test-final')) ?? '', /^final weights \d+\.\d\d %$/);
  const { bestUpdate, bestAccuracy } = await state();
  assert.match(
    (await page.textContent('#download-model')) ?? '',
    new RegExp(`selected: update ${bestUpdate.toLocaleString('en')}, `),
  );
  const dir = tempDir();
  const names: string[] = [];
  for (const button of ['#download-model', '#download-bp-model']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    names.push(download.suggestedFilename());
    await download.saveAs(join(dir, download.suggestedFilename()));
  }
  assert.deepEqual(names, ['edlearn-ed-4v9-seed3.edlearn', 'edlearn-backprop-4v9-seed3.edlearn']);
  // The ED file holds the weights of the selected update: on the run's validation split (rebuilt in Node from the
  // file's own config and the bundled images) they score exactly the best validation accuracy the page showed.
  const bytes = readFileSync(join(dir, names[0]));
  const { header } = decodeModel(bytes, names[0]);
  assert.equal(header.accuracy.bestUpdate, bestUpdate);
  assert.equal(header.config.train.keepBest, true, 'the header says the stored weights are the selected ones');
  const { rule } = loadRule(bytes, names[0], referenceBackend);
  const task = taskFor(header.config, loadIdxDataset(join(ROOT, 'web/public/data')));
  const rows = toSparseRows(task.validation, task.inputs, task.scale, referenceBackend);
  const { accuracy } = evaluateRows(rule, rows);
  assert.ok(
    Math.abs(accuracy - bestAccuracy) < 1e-9,
    `validation accuracy of the file ${accuracy}, page's best ${bestAccuracy}`,
  );

  // The validation panel: a confusion matrix over every validation image, and digits that score with a click.
  await page.waitForFunction(() => document.querySelectorAll('#confusion tr').length === 3, null, { timeout: 10000 });
  const cells = await page.$$eval('#confusion td', (tds) =>
    tds.map((td) => Number((td.textContent ?? '').replace(/,/g, ''))),
  );
  assert.equal(
    cells.reduce((a, b) => a + b, 0),
    task.validation.count,
    'the matrix counts every validation image',
  );
  assert.equal(await page.locator('#samples button').count(), 2);
  await page.locator('#samples button').first().focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => [...document.querySelectorAll('#scores [data-class]')].every((li) => li.textContent !== '–'),
    null,
    { timeout: 10000 },
  );
  assert.match((await page.textContent('#draw-source')) ?? '', /^scoring validation digit 4/);
  // That digit's amine, drawn arriving at every unit of the network: a class-0 digit of a pair wants output 0.
  await page.waitForFunction(
    () => /e = t − y/.test(document.querySelector('#network-amine')?.textContent ?? ''),
    null,
    { timeout: 10000 },
  );
  assert.match(
    (await page.textContent('#network-amine')) ?? '',
    /^Amine: of the validation digit \(a 4\): e = t − y = −\d\.\d{3}, so d⁺ = 0\.000 and d⁻ = \d\.\d{3} at every unit\.$/,
  );

  await page.click('#reset');
  await page.waitForFunction(() => document.querySelector('#updates')?.textContent === '0', null, { timeout: 10000 });
  await page.waitForTimeout(200);
  assert.equal(await page.textContent('#status'), 'ready — press start');
  assert.equal(await page.textContent('#best-update'), '0');
  assert.equal(await page.isDisabled('#download-model'), true, 'nothing trained: no download');
  assert.match((await page.textContent('#net option')) ?? '', /^network 0: 4 vs 9 \(output: P\(9\)\)$/);
  assert.deepEqual(pageErrors, []);
});

test('a settings change mid-run keeps the run: noted, asked before a new run, resumed exactly, the old run ' +
  'kept as a ghost', {
  skip,
  timeout: 120000,
}, async () => {
  await setForm({
    preset: 'seed',
    task: 'pair',
    digits: '4,9',
    epochs: '3',
    pace: 'watch',
    seed: '1',
    'compare-bp': false,
  });
  await page.click('#reset');
  await page.click('#start');
  await page.waitForFunction(
    () => (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state().updates > 0,
    null,
    { timeout: 30000 },
  );
  const units = await page.inputValue('#units');
  await page.fill('#units', String(Number(units) * 2));
  // The note stays while the run goes on (it was overwritten in under a second).
  await page.waitForTimeout(1500);
  assert.match((await page.textContent('#pending')) ?? '', new RegExp(`units ${units} → ${Number(units) * 2}`));
  await page.click('#pause');
  const paused = (await state()).updates;
  await page.click('#start');
  assert.equal(await page.isVisible('#ask'), true, 'start asks before it begins a new run');
  assert.equal((await state()).updates, paused, 'nothing was thrown away');
  await page.click('#ask-keep');
  assert.equal(await page.inputValue('#units'), units, 'keeping the run puts its settings back in the form');
  await page.waitForFunction(
    (p) => (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state().updates > p,
    paused,
    { timeout: 30000 },
  );
  await page.click('#pause');
  // The pace applies live, without a question or a new run.
  const before = (await state()).updates;
  await page.selectOption('#pace', 'full');
  assert.equal(await page.isVisible('#ask'), false);
  assert.equal((await state()).updates, before);
  // α too: it applies to the run under way from its next update, without a question or a new run.
  const lr = await page.inputValue('#lr');
  const half = String(Number(lr) / 2);
  await page.fill('#lr', half);
  await page.press('#lr', 'Tab');
  await page.waitForFunction(
    (u) => (document.querySelector('#rate-note')?.textContent ?? '').includes(`applied live from update ${u} on`),
    before.toLocaleString('en'),
    { timeout: 10000 },
  );
  assert.equal((await state()).updates, before, 'the run kept its place');
  await page.selectOption('#pace', 'watch'); // slow enough to pause again before the end
  await page.click('#start');
  assert.equal(await page.isVisible('#ask'), false, 'α needs no new run');
  await page.waitForFunction(
    (p) => (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state().updates > p,
    before,
    { timeout: 30000 },
  );
  await page.evaluate(() => (document.querySelector('#pause') as HTMLButtonElement).click());
  // The downloaded model records the change: the α it was built with, and from which update α was the new one.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
  const file = join(tempDir(), download.suggestedFilename());
  await download.saveAs(file);
  const { header } = decodeModel(readFileSync(file), file);
  assert.equal(header.config.rule === 'ed' && header.config.ed.lr, Number(lr));
  assert.deepEqual((header as { lrChanges?: unknown }).lrChanges, [{ update: before, lr: Number(half) }]);
  await page.fill('#lr', lr);
  await page.press('#lr', 'Tab');
  await page.fill('#units', String(Number(units) * 2));
  await page.click('#start');
  await page.click('#ask-new');
  await page.waitForFunction(
    () => /earlier run/.test(document.querySelector('#chart')?.getAttribute('aria-label') ?? ''),
    null,
    { timeout: 30000 },
  );
  // Stop it if it still runs (at full speed it may end first).
  await page.evaluate(() => (document.querySelector('#pause') as HTMLButtonElement).click());
  await setForm({ units, epochs: '1', pace: 'full' });
  assert.deepEqual(pageErrors, []);
});

/** Weights of a family that moved, as the page's worker/families.ts counts them (independently written here). */
function moved(before: number[], after: number[], pairSize: number[]): number {
  // The engine's online layout stores W⁺ + W⁻ and W⁺ and derives W⁻ as their difference: below float32
  // rounding of that pair (2⁻²⁰ of |W⁺| + |W⁻|, a few units in the last place) a first-layer weight has not moved.
  return before.filter((w, i) => Math.abs(after[i] - w) > 2 ** -20 * pairSize[i]).length;
}

test('the step button makes one update of a paused run and changes exactly one synapse family: W⁺ when the ' +
  "sample's e > 0, W⁻ when e < 0", { skip, timeout: 90000 }, async () => {
  // Online (batch 1), as Kaneko's preset: one sample per update.
  await setForm({ preset: 'kaneko', task: 'pair', digits: '4,9', epochs: '1', seed: '2', 'compare-bp': false });
  await page.click('#reset');
  await page.waitForFunction(() => document.querySelector('#updates')?.textContent === '0', null, { timeout: 10000 });
  const families = () =>
    page.evaluate(() =>
      (
        window as unknown as {
          edlearnLab: { families(net: number): Promise<{ plus: number[]; minus: number[]; pairSize: number[] }> };
        }
      ).edlearnLab.families(0),
    );
  const seen = new Set<string>();
  for (let update = 1; update <= 16 && seen.size < 2; update++) {
    const before = await families();
    await page.click('#step');
    await page.waitForFunction(
      (u) => document.querySelector('#step-info')?.textContent?.startsWith(`update ${u},`) ?? false,
      update,
      { timeout: 10000 },
    );
    assert.equal(await page.textContent('#updates'), String(update));
    const after = await families();
    const plus = moved(before.plus, after.plus, before.pairSize);
    const minus = moved(before.minus, after.minus, before.pairSize);
    assert.ok(plus > 0 !== minus > 0, `update ${update}: exactly one family changed (W⁺ ${plus}, W⁻ ${minus})`);
    const family = plus > 0 ? 'plus' : 'minus';
    const info = (await page.textContent('#step-info')) ?? '';
    assert.equal(await page.getAttribute('#step-info', 'data-family'), family, info);
    // The page names the family from the weights and the sample's e: the sign of e chose it.
    const e = /e = ([+−])\d\.\d{3}/.exec(info);
    assert.ok(e, info);
    assert.equal(e[1] === '+' ? 'plus' : 'minus', family, info);
    assert.match(
      info,
      family === 'plus' ? /W⁺ learned: [\d,]+ weights .*; W⁻ did not move/ : /W⁺ did not move; W⁻ learned/,
    );
    // The network drawing says it too, and shows that sample's amine.
    assert.match(
      (await page.getAttribute('#network-canvas', 'aria-label')) ?? '',
      new RegExp(
        `the amine of the sample trained at update ${update}: .*last step: ${family === 'plus' ? 'W⁺' : 'W⁻'} learned`,
      ),
    );
    seen.add(family);
  }
  assert.deepEqual([...seen].sort(), ['minus', 'plus'], 'over the steps, each family learned from some sample');
  assert.equal((await state()).running, false);
  // The network drawn with its excitatory and inhibitory units and signed synapses.
  assert.match(
    (await page.getAttribute('#network-canvas', 'aria-label')) ?? '',
    /^Network 0: 784 inputs \(the 8 strongest drawn, each as its excitatory and its inhibitory copy\), hidden layer 1 of \d+ units \(\d+ excitatory, \d+ inhibitory; \d+ drawn\)(, hidden layer \d of \d+ units [^)]+\))*, one output; \d+ synapses drawn, \d+ positive and \d+ negative/,
  );
  // The receptive-field grid: one image per first-layer unit.
  const units = await page.locator('#unit option').count();
  assert.equal(await page.locator('#fields canvas').count(), Math.min(64, units));
  assert.equal(await page.isEnabled('#download-model'), true, 'trained: the download is enabled');
  // Training on forgets the step: the drawing no longer claims a family.
  await setForm({ pace: 'full' });
  await page.click('#start');
  await page.waitForFunction(() => /^finished/.test(document.querySelector('#status')?.textContent ?? ''), null, {
    timeout: 60000,
  });
  assert.doesNotMatch((await page.getAttribute('#network-canvas', 'aria-label')) ?? '', /last step/);
  await setForm({ preset: 'seed', epochs: '1' });
  assert.deepEqual(pageErrors, []);
});

test('fields are checked as the CLI checks them, marked when invalid, and arrow keys keep a learning rate valid', {
  skip,
  timeout: 30000,
}, async () => {
  const lr = await page.inputValue('#lr');
  try {
    await page.fill('#units', '1e2');
    assert.equal(await page.getAttribute('#units', 'aria-invalid'), 'true');
    assert.match((await page.textContent('#train-error')) ?? '', /^Units: expected an integer 1…\d+; got '1e2'$/);
    await page.fill('#units', '16');
    assert.equal(await page.getAttribute('#units', 'aria-invalid'), null);
    for (const [key, expected] of [
      ['ArrowDown', '0.009'],
      ['ArrowUp', '0.011'],
    ]) {
      await page.fill('#lr', '0.01');
      await page.focus('#lr');
      await page.keyboard.press(key);
      assert.equal(await page.inputValue('#lr'), expected, key);
      assert.equal(await page.getAttribute('#lr', 'aria-invalid'), null);
    }
  } finally {
    await page.fill('#lr', lr);
  }
});

test('a link restores the form; copy link gives the same settings back; augmentation and the α schedule are in ' +
  'the link and the downloaded model', { skip, timeout: 90000 }, async () => {
  const other = await browser!.newPage();
  try {
    const link =
      'dev.html?task=all&preset=kaneko-mnist&seed=7&units=64&lr=0.005&epochs=3&augment=shift:1&schedule=cosine';
    await other.goto(new URL(link, baseUrl).href);
    await other.waitForFunction(() => (window as unknown as { edlearnLab?: unknown }).edlearnLab !== undefined, null, {
      timeout: 30000,
    });
    const form = await other.evaluate(
      () =>
        (window as unknown as { edlearnLab: { state(): { settings: Record<string, unknown> } } }).edlearnLab.state()
          .settings,
    );
    assert.deepEqual(
      [form.task, form.preset, form.seed, form.units, form.lr, form.epochs, form.augment, form.schedule],
      ['all', 'kaneko-mnist', 7, 64, 0.005, 3, 'shift:1', 'cosine'],
    );
    await other.click('#copy-link');
    const query = new URL(other.url()).searchParams;
    assert.deepEqual(
      [
        query.get('task'),
        query.get('preset'),
        query.get('seed'),
        query.get('units'),
        query.get('lr'),
        query.get('epochs'),
        query.get('augment'),
        query.get('schedule'),
      ],
      ['all', 'kaneko-mnist', '7', '64', '0.005', '3', 'shift:1', 'cosine'],
    );
  } finally {
    await other.close();
  }
  // A run with them: the model file records both in its config, as the CLI's --augment and --schedule would.
  try {
    await setForm({ preset: 'seed', task: 'pair', digits: '4,9', augment: 'rotate:10+shift:1', schedule: 'step' });
    assert.match(new URL(page.url()).search, /augment=rotate%3A10%2Bshift%3A1&schedule=step/);
    await page.click('#reset');
    await page.waitForFunction(() => document.querySelector('#updates')?.textContent === '0', null, { timeout: 10000 });
    await page.click('#step');
    await page.waitForFunction(() => document.querySelector('#updates')?.textContent === '1', null, { timeout: 10000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    const file = join(tempDir(), download.suggestedFilename());
    await download.saveAs(file);
    const { config } = decodeModel(readFileSync(file), file).header;
    assert.deepEqual([config.train.augment, config.train.schedule?.kind], ['rotate:10+shift:1', 'step']);
    // An augmentation the CLI refuses is refused here, in the CLI's words.
    await setForm({ augment: 'shift' });
    assert.equal(await page.getAttribute('#augment', 'aria-invalid'), 'true');
    assert.match((await page.textContent('#train-error')) ?? '', /^Augment: expected none, or transforms joined by/);
  } finally {
    await setForm({ augment: 'none', schedule: 'constant' });
  }
  assert.deepEqual(pageErrors, []);
});

test('axe-core finds no serious or critical WCAG 2.2 A/AA violations; at phone width every control is at ' +
  'least 44 px tall', {
  skip,
  timeout: 60000,
}, async () => {
  await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') });
  type AxeResult = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  const result = await page.evaluate(() =>
    (window as unknown as { axe: { run(o: unknown): Promise<AxeResult> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    }),
  );
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((nd) => nd.target.join(' ')).join(', ')}`);
  assert.deepEqual(serious, []);
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('button, select, input:not([type=file]):not([type=checkbox])')]
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => ({ id: el.id || el.textContent, h: el.getBoundingClientRect().height }))
        .filter((c) => c.h < 44),
    );
    assert.deepEqual(small, []);
  } finally {
    await page.setViewportSize({ width: 1280, height: 1100 });
  }
});

type CartpoleState = {
  ready: boolean;
  running: boolean;
  episodes: number;
  mean100: number;
  replays: number;
  framesDrawn: number;
  backend: string;
  error: string;
};
const cartpole = () =>
  page.evaluate(() => (window as unknown as { edlearnCartpole: { state(): CartpoleState } }).edlearnCartpole.state());

test('the CartPole panel trains an agent live in its worker, draws the return chart and replays greedy episodes', {
  skip,
  timeout: 90000,
}, async () => {
  // It loads on first use: nothing of it (nor its worker) before its section is opened.
  assert.equal(await page.evaluate(() => 'edlearnCartpole' in window), false);
  await page.click('#rl-details > summary');
  await page.waitForFunction(
    () => (window as unknown as { edlearnCartpole?: { state(): CartpoleState } }).edlearnCartpole?.state().ready,
    null,
    { timeout: 30000 },
  );
  await page.selectOption('#rl-agent', 'ed-dqn');
  await page.click('#rl-start');
  // Episodes arrive while it trains; a greedy episode is replayed every few seconds.
  await page.waitForFunction(
    () => {
      const s = (window as unknown as { edlearnCartpole: { state(): CartpoleState } }).edlearnCartpole.state();
      return s.episodes >= 60 && s.replays >= 1 && s.framesDrawn > 10;
    },
    null,
    { timeout: 60000, polling: 250 },
  );
  const s = await cartpole();
  assert.match(s.backend, /wasm/);
  assert.equal(s.error, '');
  assert.match(
    (await page.textContent('#rl-status')) ?? '',
    /^episode \d+ · solved at \S+ · mean of the last 100 \d+\.\d/,
  );
  await page.click('#rl-start');
  const paused = (await cartpole()).episodes;
  await page.waitForTimeout(300);
  assert.ok((await cartpole()).episodes - paused <= 20, 'pause stops training (one slice may still arrive)');
  // Reset leaves nothing of the old run: its status goes, and nothing it sent late is drawn.
  await page.click('#rl-reset');
  await page.waitForTimeout(300);
  assert.match((await page.textContent('#rl-status')) ?? '', /^ready: a new ed-dqn run \(seed 1\) begins at start$/);
  assert.equal((await cartpole()).episodes, 0);
  assert.deepEqual(pageErrors, []);
});
