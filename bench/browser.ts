// npm run bench:browser — ED training speed in the browser lab (headless Debian chromium) against Node on the same
// task and settings (4 vs 9, seed baseline 3 × 16, batch 64), in the same run. Needs `npm run web:build` first.
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { runTraining } from '../src/index.js';
import { startServer } from '../src/cli/serve.js';

const RUNS = 5;
const { url, server } = await startServer({ dir: join(process.cwd(), 'web-dist') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  type State = { samplesPerSecond: number; backend: string; updates: number; dataReady: boolean };
  const state = () => page.evaluate(() => (window as unknown as { edlearnLab: { state(): State } }).edlearnLab.state());
  await page.waitForFunction(() => (window as unknown as { edlearnLab?: { state(): State } }).edlearnLab?.state().dataReady, null, { timeout: 60000 });
  // 4 vs 9 of the bundled subset, seed preset, 20 epochs at full speed; the page's samples/s counts training only.
  await page.fill('#epochs', '20');
  await page.selectOption('#pace', 'full');
  const pageRates: number[] = [];
  let backend = '';
  for (let r = 0; r < RUNS; r++) {
    await page.click(r === 0 ? '#start' : '#reset');
    if (r > 0) await page.click('#start');
    await page.waitForFunction(() => !(document.querySelector('#start') as HTMLButtonElement).disabled
      && (window as unknown as { edlearnLab: { state(): State } }).edlearnLab.state().updates > 0, null, { timeout: 120000 });
    const s = await state();
    pageRates.push(s.samplesPerSecond);
    backend = s.backend;
  }
  const nodeRates = Array.from({ length: RUNS }, (_, r) =>
    runTraining({ preset: 'seed', epochs: 3, evalEvery: 185, seed: r + 1, threads: 1 }).result.samplesPerSecond);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const ratio = median(pageRates) / median(nodeRates);
  console.log(`page (headless chromium, ${backend}): median ${Math.round(median(pageRates))} samples/s over ${RUNS} runs`);
  console.log(`node (same rule and batch, full 4 vs 9): median ${Math.round(median(nodeRates))} samples/s`);
  console.log(`page / node = ${(ratio * 100).toFixed(0)} % (target ≥ 70 %)`);
} finally {
  await browser.close();
  server.close();
}
