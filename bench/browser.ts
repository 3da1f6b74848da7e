// npm run bench:browser — ED training speed in the browser lab (headless Debian chromium) against Node, in the same
// run, on the same data (the lab's bundled subset), settings and backend; writes bench/browser-results.json, from
// which npm run bench:readme prints the README's line. Needs `npm run web:build` first.
import { cpus } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadTask, resolveRunConfig, runTraining } from '../src/index.js';
import type { TrainInput } from '../src/train/config.js';
import { startServer } from '../src/cli/serve.js';
import { BROWSER_FORMAT, browserRatio, formatBrowserLine, type BrowserReport } from '../src/bench/browser-report.js';
import { writeFileAtomic } from '../src/io.js';
import { VERSION } from '../src/version.js';
import { runInputs } from '../web/src/run-input.js';
import type { Settings } from '../web/src/protocol.js';

const RUNS = 9;
const EPOCHS = 200;
const DATA = join(process.cwd(), 'web/public/data');
const { url, server } = await startServer({ dir: join(process.cwd(), 'web-dist') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  type State = { samplesPerSecond: number; backend: string; updates: number; dataReady: boolean; settings: Settings };
  const state = () => page.evaluate(() => (window as unknown as { edlearnLab: { state(): State } }).edlearnLab.state());
  await page.waitForFunction(() => (window as unknown as { edlearnLab?: { state(): State } }).edlearnLab?.state().dataReady, null, { timeout: 60000 });
  // 4 vs 9 of the bundled subset (≈ 1,700 training images), the seed preset, at full speed, for 200 epochs: long
  // enough (≈ 0.4 s) for the page's coarse clock; its samples/s counts training only.
  await page.fill('#epochs', String(EPOCHS));
  await page.selectOption('#pace', 'full');
  const pageRates: number[] = [];
  const nodeRates: number[] = [];
  let input: TrainInput | null = null;
  let backend = '';
  for (let r = 0; r < RUNS; r++) {
    await page.click(r === 0 ? '#start' : '#reset');
    if (r > 0) await page.click('#start');
    await page.waitForFunction(() => !(document.querySelector('#start') as HTMLButtonElement).disabled
      && (window as unknown as { edlearnLab: { state(): State } }).edlearnLab.state().updates > 0, null, { timeout: 120000 });
    const s = await state();
    pageRates.push(s.samplesPerSecond);
    backend = s.backend;
    // The page's own input (same settings, backend and data files), trained in Node right after.
    input = runInputs(s.settings, { backend: s.backend as TrainInput['backend'], data: DATA }, (i) => loadTask(resolveRunConfig(i)).train.count).ed;
    nodeRates.push(runTraining({ ...input, threads: 1 }).result.samplesPerSecond);
  }
  const report: BrowserReport = {
    format: BROWSER_FORMAT, version: VERSION, time: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, chromium: browser.version() },
    input: { ...input!, data: 'web/public/data' }, backend, page: pageRates, node: nodeRates, ratio: browserRatio(pageRates, nodeRates),
  };
  writeFileAtomic('bench/browser-results.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatBrowserLine(report));
  console.log('bench/browser-results.json written; npm run bench:readme puts the line in the README');
} finally {
  await browser.close();
  server.close();
}
