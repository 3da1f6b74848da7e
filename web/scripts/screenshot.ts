// docs/lab.png: the lab after two 4 vs 9 runs of ED beside backprop (the first, seed 2, kept as a grey curve), with a
// drawn 4 scored and its amine on the network. Run after `npm run web:build -- --mode dev`:
// npx tsx web/scripts/screenshot.ts [out.png]
import { fileURLToPath } from 'node:url';
import { startServer } from '../../src/cli/serve.js';
import { launchChromium } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = process.argv[2] ?? `${root}docs/lab.png`;
const { url, server } = await startServer({ dir: `${root}web-dist` });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(new URL('dev.html', url).href);
  await page.waitForFunction(
    () => (window as unknown as { edlearnLab?: { state(): { dataReady: boolean } } }).edlearnLab?.state().dataReady,
    null,
    { timeout: 60000 },
  );
  await page.fill('#epochs', '20');
  await page.selectOption('#pace', 'full');
  await page.setChecked('#compare-bp', true);
  for (const seed of ['2', '1']) {
    await page.fill('#seed', seed);
    await page.click('#reset');
    await page.waitForFunction(() => document.querySelector('#updates')?.textContent === '0', null, { timeout: 30000 });
    await page.click('#start');
    await page.waitForFunction(() => /^finished/.test(document.querySelector('#status')?.textContent ?? ''), null, {
      timeout: 120000,
    });
  }
  // A 4: the left stroke and the bar, then the long right stroke.
  await page.locator('#draw-canvas').scrollIntoViewIfNeeded();
  const box = (await page.locator('#draw-canvas').boundingBox())!;
  const stroke = async (points: [number, number][]) => {
    await page.mouse.move(box.x + box.width * points[0][0], box.y + box.height * points[0][1]);
    await page.mouse.down();
    for (const [x, y] of points) await page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps: 8 });
    await page.mouse.up();
  };
  await stroke([
    [0.3, 0.25],
    [0.3, 0.6],
    [0.68, 0.6],
  ]);
  await stroke([
    [0.7, 0.2],
    [0.7, 0.88],
  ]);
  await page.waitForFunction(
    () => [...document.querySelectorAll('#scores [data-class]')].every((li) => li.textContent !== '–'),
    null,
    { timeout: 20000 },
  );
  // Say it is a 4: the network panel draws that drawing's amine arriving at every unit.
  await page.selectOption('#draw-class', '0');
  await page.waitForFunction(
    () => /of the drawing/.test(document.querySelector('#network-amine')?.textContent ?? ''),
    null,
    { timeout: 20000 },
  );
  await page.waitForTimeout(300);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`screenshot written to ${out}`);
} finally {
  await browser.close();
  server.close();
}
