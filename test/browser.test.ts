// The browser lab in a real browser (Debian's chromium driven by playwright-core): train 4 vs 9 in the page, draw
// a digit, load a model saved by the CLI and compare its predictions with the CLI's, refuse a corrupt model.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadMnist } from '../src/data/dataset.js';
import { startServer } from '../src/cli/serve.js';
import { idxBytes, ROOT, runCli, tempDir } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed (apt-get install -y chromium)`
  : !existsSync(join(ROOT, 'web/index.html')) ? 'the browser lab (web/index.html) is not in this checkout' : false;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let browser: Browser | undefined;
let page: Page;
let close: () => void = () => {};
const pageErrors: string[] = [];

before(async () => {
  if (skip) return;
  const build = spawnSync('npm', ['run', 'web:build'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `web:build failed:\n${build.stdout}\n${build.stderr}`);
  const { url, server } = await startServer({ dir: join(ROOT, 'web-dist') });
  close = () => server.close();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { edlearnLab?: unknown }).edlearnLab !== undefined, null, { timeout: 30000 });
  // The worker has loaded the bundled MNIST subset and chosen its backend.
  await page.waitForFunction(() => (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state().dataReady
    && (document.querySelector('#backend')?.textContent ?? '') !== '', null, { timeout: 60000 });
});

after(async () => {
  await browser?.close();
  close();
});

type LabState = { valAccuracy: number; updates: number; samplesPerSecond: number; backend: string; modelLoaded: boolean; dataReady: boolean };
const state = () => page.evaluate(() => (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state());

test('the page trains 4 vs 9 past 90 % validation accuracy', { skip, timeout: 180000 }, async () => {
  await page.click('#start');
  await page.waitForFunction(() => {
    const s = (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state();
    return s.valAccuracy > 0.9;
  }, null, { timeout: 120000, polling: 500 });
  const s = await state();
  console.log(`# browser: backend ${s.backend}, ${Math.round(s.samplesPerSecond)} samples/s, validation ${s.valAccuracy}`);
  assert.match(s.backend, /wasm/);
  if (await page.isEnabled('#pause')) await page.click('#pause');
});

test('drawing a stroke gives class scores', { skip, timeout: 60000 }, async () => {
  const box = (await page.locator('#draw-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  for (let i = 0; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.2 + 0.06 * i));
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelectorAll('#scores [data-class]').length >= 2, null, { timeout: 20000 });
  assert.ok(await page.locator('#scores [data-class]').count() >= 2);
});

test('a model saved by the CLI predicts the same in the page; a corrupt one is refused and nothing is lost', { skip, timeout: 120000 }, async () => {
  const dir = tempDir();
  const model = join(dir, 'model.edlearn');
  const trained = runCli(['train', '--epochs', '1', '--save', model, '--quiet']);
  assert.equal(trained.code, 0, trained.stderr);
  // Twenty MNIST test images as an IDX file for the CLI, and as pixel arrays for the page.
  const test = loadMnist().test;
  const count = 20;
  const pixels = test.images.subarray(0, count * 784);
  const idx = join(dir, 'images-idx3-ubyte');
  writeFileSync(idx, idxBytes([count, 28, 28], pixels));
  const cli = runCli(['predict', '--model', model, '--json', idx]);
  assert.equal(cli.code, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout) as { predicted: string; scores: Record<string, number> | number[] }[];

  await page.setInputFiles('#model-file', model);
  await page.waitForFunction(() => (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state().modelLoaded, null, { timeout: 20000 });
  const images = Array.from({ length: count }, (_, i) => Array.from(pixels.subarray(i * 784, (i + 1) * 784)));
  const got = await page.evaluate((imgs) => (window as unknown as { edlearnLab: { predict(i: number[][]): Promise<{ predicted: number; scores: number[] }[]> } }).edlearnLab.predict(imgs), images);
  assert.equal(got.length, count);
  got.forEach((g, i) => {
    const e = expected[i];
    const scores = Array.isArray(e.scores) ? e.scores : Object.values(e.scores);
    assert.equal(String(['4', '9'][g.predicted]), String(e.predicted), `image ${i}`);
    g.scores.forEach((v, k) => assert.ok(Math.abs(v - scores[k]) < 1e-4, `image ${i} score ${k}: page ${v}, CLI ${scores[k]}`));
  });

  const before = await state();
  const corrupt = join(dir, 'corrupt.edlearn');
  writeFileSync(corrupt, 'this is not a model');
  await page.setInputFiles('#model-file', corrupt);
  await page.waitForFunction(() => (document.querySelector('#error')?.textContent ?? '').length > 0, null, { timeout: 10000 });
  assert.match((await page.textContent('#error')) ?? '', /corrupt\.edlearn/);
  const afterwards = await state();
  assert.equal(afterwards.updates, before.updates);
  assert.equal(afterwards.modelLoaded, true);

  // A data file that is not IDX: a visible message, and the data and model in use are kept.
  await page.evaluate(() => { document.querySelector('#error')!.textContent = ''; });
  const notIdx = join(dir, 'train-images-idx3-ubyte');
  writeFileSync(notIdx, 'hello, not an IDX file');
  await page.setInputFiles('#data-files', notIdx);
  await page.waitForFunction(() => (document.querySelector('#error')?.textContent ?? '').length > 0, null, { timeout: 10000 });
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
  await download.saveAs(file);
  const r = runCli(['eval', '--model', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /accuracy (9\d|100)\.\d\d %/);
});
