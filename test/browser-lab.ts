// The browser tests' shared setup (test/browser.test.ts, test/browser-playground.test.ts): the dev build of the
// lab served by edlearn serve in Debian's chromium (playwright-core), the page's state hook, the form, and a plain
// static server of the build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../web/scripts/chromium.js';
import { createHash } from 'node:crypto';
import { startServer } from '../src/cli/serve.js';
import { loadIdxDataset } from '../src/data/dataset.js';
import { createWasmBackend } from '../src/kernels/node-loader.js';
import { referenceBackend } from '../src/kernels/reference.js';
import { buildRun } from '../src/train/build.js';
import { type RunConfig, resolveConfig, type TrainInput } from '../src/train/config.js';
import { TrainingSession } from '../src/train/trainer.js';
import { ROOT } from './helpers.js';

export const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt-get install -y chromium)`
  : !existsSync(join(ROOT, 'web/index.html'))
    ? 'the browser lab (web/index.html) is not in this checkout'
    : false;

export type LabState = {
  valAccuracy: number;
  updates: number;
  samplesPerSecond: number;
  backend: string;
  modelLoaded: boolean;
  dataReady: boolean;
  running: boolean;
  bestUpdate: number;
  bestAccuracy: number;
};

/**
 * Builds the lab with its dev page (dev.html adds the window.edlearnLab hook the tests drive), serves it, and opens
 * it in chromium once the worker has loaded the bundled MNIST subset and chosen its backend.
 */
export async function openLab(
  pageErrors: string[],
): Promise<{ browser: Browser; page: Page; close: () => void; baseUrl: string }> {
  const build = spawnSync('npm', ['run', 'web:build', '--', '--mode', 'dev'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `web:build failed:\n${build.stdout}\n${build.stderr}`);
  const { url, server } = await startServer({ dir: join(ROOT, 'web-dist') });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  await page.goto(new URL('dev.html', url).href);
  await page.waitForFunction(() => (window as unknown as { edlearnLab?: unknown }).edlearnLab !== undefined, null, {
    timeout: 30000,
  });
  await page.waitForFunction(
    () =>
      (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state().dataReady &&
      (document.querySelector('#backend')?.textContent ?? '') !== '',
    null,
    { timeout: 60000 },
  );
  return { browser, page, close: () => server.close(), baseUrl: url };
}

export const labState = (page: Page) =>
  page.evaluate(() => (window as unknown as { edlearnLab: { state(): LabState } }).edlearnLab.state());

/**
 * Sets form fields like a user: selects by value, boxes by text, check boxes by
 * boolean (preset first: it fills others).
 */
export async function fillForm(page: Page, values: Record<string, string | boolean>): Promise<void> {
  for (const [id, value] of Object.entries(values)) {
    const field = page.locator(`#${id}`);
    if (typeof value === 'boolean') await field.setChecked(value);
    else if (await field.evaluate((el) => el.tagName === 'SELECT')) await field.selectOption(value);
    else await field.fill(value);
  }
}

/**
 * A plain static server of web-dist (no headers but Content-Type), optionally with the headers web/public/_headers
 * documents for hosts that read it.
 */
export async function staticServer(withHeaders: boolean): Promise<{ url: string; close: () => void }> {
  const root = join(ROOT, 'web-dist');
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.wasm': 'application/wasm',
    '.gz': 'application/gzip',
  };
  const extra: Record<string, string> = {};
  if (withHeaders) {
    for (const line of readFileSync(join(root, '_headers'), 'utf8').split('\n')) {
      const m = /^\s+([\w-]+):\s*(.+)$/.exec(line);
      if (m) extra[m[1]] = m[2].trim();
    }
  }
  const server = createServer((req, res) => {
    const path = join(
      root,
      decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/\/$/, '/index.html'),
    );
    if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) return res.writeHead(404).end();
    res
      .writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream', ...extra })
      .end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

export interface PageChecksums {
  backend: string;
  inputs: TrainInput[];
  configs: RunConfig[];
  rules: { initial: string; trained: string }[];
}

const sha256 = (arrays: Float32Array[]) => {
  const hash = createHash('sha256');
  for (const a of arrays) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return hash.digest('hex');
};

/**
 * The same inputs built in Node by resolveConfig + buildRun, on the images the page bundles (web:build wrote
 * them to web/public/data), trained `updates` updates by the same TrainingSession.
 */
export function nodeChecksums(inputs: TrainInput[], backend: 'wasm-simd' | 'reference', updates: number) {
  const data = loadIdxDataset(join(ROOT, 'web/public/data'));
  return inputs.map((input) => {
    const config = resolveConfig(input);
    const built = buildRun(config, data, backend === 'reference' ? referenceBackend : createWasmBackend('wasm-simd')!);
    const initial = sha256(built.rule.parameters());
    new TrainingSession(built.rule, built.task, built.train).step(updates);
    return { config, checksums: { initial, trained: sha256(built.rule.parameters()) } };
  });
}

/*
 * The page trains on relaxed SIMD when chromium has it, but a relaxed multiply-add may be fused or not as the
 * engine version and the CPU choose (Node 20 and chromium 150 happened to agree on an AVX2 + FMA machine), so
 * Node and the page compare on plain SIMD and on the TypeScript reference, whose results the WebAssembly and
 * IEEE 754 specifications fix.
 */
export const CHECKSUM_CASES: {
  name: string;
  form: Record<string, string | boolean>;
  backend: 'wasm-simd' | 'reference';
  updates: number;
}[] = [
  {
    name: 'the default form (seed preset, 4 vs 9) with backprop',
    form: { preset: 'seed', task: 'pair', digits: '4,9', seed: '1', 'compare-bp': true },
    backend: 'wasm-simd',
    updates: 40,
  },
  {
    name: 'kaneko-mnist, 10 classes, seed 7',
    form: { preset: 'kaneko-mnist', task: 'all', seed: '7', 'compare-bp': false },
    backend: 'wasm-simd',
    updates: 300,
  },
  {
    name: 'the seed preset on the reference backend, seed 2',
    form: { preset: 'seed', task: 'pair', digits: '4,9', seed: '2', 'compare-bp': false },
    backend: 'reference',
    updates: 6,
  },
  {
    name: 'the seed preset with shift:1+rotate:10 augmentation and a cosine α schedule, with backprop, seed 4',
    form: {
      preset: 'seed',
      task: 'pair',
      digits: '4,9',
      seed: '4',
      augment: 'shift:1+rotate:10',
      schedule: 'cosine',
      'compare-bp': true,
    },
    backend: 'wasm-simd',
    updates: 40,
  },
];
