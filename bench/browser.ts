// npm run bench:browser — ED training speed in the browser lab (headless Debian chromium) against Node on the same
// task and settings (4 vs 9, seed baseline 3 × 16, batch 64), in the same run. Needs `npm run web:build` first.
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { runTraining } from '../src/index.js';
import { startServer } from '../src/cli/serve.js';

const SECONDS = Number(process.env.SECONDS_IN_PAGE ?? 15);
const { url, server } = await startServer({ dir: join(process.cwd(), 'web-dist') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => 'edlearnLab' in window, null, { timeout: 30000 });
  await page.click('#start');
  await page.waitForTimeout(SECONDS * 1000);
  await page.click('#pause');
  const state = await page.evaluate(() => (window as unknown as { edlearnLab: { state(): { samplesPerSecond: number; backend: string; updates: number } } }).edlearnLab.state());
  const node = runTraining({ preset: 'seed', epochs: 3, evalEvery: 185 });
  const ratio = state.samplesPerSecond / node.result.samplesPerSecond;
  console.log(`page (headless chromium, ${state.backend}): ${Math.round(state.samplesPerSecond)} samples/s over ${state.updates} updates`);
  console.log(`node (${node.header.backend}): ${Math.round(node.result.samplesPerSecond)} samples/s`);
  console.log(`page / node = ${(ratio * 100).toFixed(0)} % (target ≥ 70 %)`);
} finally {
  await browser.close();
  server.close();
}
