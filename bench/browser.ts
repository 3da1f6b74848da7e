// npm run bench:browser — ED training speed in the browser lab (headless Debian chromium) against Node, in the same
// run, on the same data (the lab's bundled subset), settings and backend; writes bench/browser-results.json, from
// which npm run bench:readme prints the README's line. Uses only the public API (`edlearn`), the CLI's `serve`, and
// the dev page's hook; builds the lab with its dev page first (npm run web:build -- --mode dev).
import { spawn, spawnSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { launchChromium } from '../web/scripts/chromium.js';
import { machine, runTraining, type TrainInput, VERSION } from '../src/index.js';
import { BROWSER_FORMAT, browserRatio, formatBrowserLine, type BrowserReport } from '../src/index.js';

const RUNS = 9;
const EPOCHS = 200;
const DATA = join(process.cwd(), 'web/public/data');

const build = spawnSync('npm', ['run', 'web:build', '--', '--mode', 'dev'], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('bench:browser: npm run web:build -- --mode dev failed');

/** A port nothing listens on now (the OS picks it). */
const port = await new Promise<number>((resolve, reject) => {
  const probe = createServer()
    .once('error', reject)
    .listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address() as { port: number };
      probe.close(() => resolve(p));
    });
});
const serve = spawn(process.execPath, ['dist/cli/bin.js', 'serve', '--port', String(port), '--dir', 'web-dist'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  serve.once('exit', (code) => reject(new Error(`bench:browser: edlearn serve exited (${code})`)));
  serve.stdout.on('data', (chunk: Buffer) => {
    const found = /https?:\/\/\S+/.exec(String(chunk));
    if (found) resolve(found[0]);
  });
});
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(new URL('dev.html', url).href);
  type State = { samplesPerSecond: number; backend: string; updates: number; dataReady: boolean; running: boolean };
  type Lab = { state(): State; checksum(b: string, u: number): Promise<{ inputs: TrainInput[] }> };
  await page.waitForFunction(() => (window as unknown as { edlearnLab?: Lab }).edlearnLab?.state().dataReady, null, {
    timeout: 60000,
  });
  // 4 vs 9 of the bundled subset (≈ 1,700 training images), the seed preset, at full speed, for 200 epochs: long
  // enough (≈ 0.4 s) for the page's coarse clock; its samples/s counts training only.
  await page.fill('#epochs', String(EPOCHS));
  await page.selectOption('#pace', 'full');
  const pageRates: number[] = [];
  const nodeRates: number[] = [];
  let input: TrainInput | null = null;
  let backend = '';
  for (let r = 0; r < RUNS; r++) {
    await page.click('#reset');
    await page.click('#start');
    await page.waitForFunction(
      () => {
        const s = (window as unknown as { edlearnLab: Lab }).edlearnLab.state();
        return !s.running && s.updates > 0;
      },
      null,
      { timeout: 120000 },
    );
    const s = await page.evaluate(() => (window as unknown as { edlearnLab: Lab }).edlearnLab.state());
    pageRates.push(s.samplesPerSecond);
    backend = s.backend;
    // The page's own input (the checksum hook reports it, built without training), on the page's backend and
    // the same data files, trained in Node right after.
    const { inputs } = await page.evaluate(() =>
      (window as unknown as { edlearnLab: Lab }).edlearnLab.checksum('reference', 0),
    );
    input = { ...inputs[0], backend: s.backend as TrainInput['backend'], data: DATA };
    nodeRates.push(runTraining({ ...input, threads: 1 }).result.samplesPerSecond);
  }
  const report: BrowserReport = {
    format: BROWSER_FORMAT,
    version: VERSION,
    time: new Date().toISOString(),
    machine: { ...machine(), chromium: browser.version() },
    input: { ...input!, data: 'web/public/data' },
    backend,
    page: pageRates,
    node: nodeRates,
    ratio: browserRatio(pageRates, nodeRates),
  };
  // Written whole or not at all: a temporary file renamed into place.
  const out = 'bench/browser-results.json';
  writeFileSync(`${out}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${out}.tmp`, out);
  console.log(formatBrowserLine(report));
  console.log('bench/browser-results.json written; npm run bench:readme puts the line in the README');
} finally {
  await browser.close();
  serve.kill();
}
