// The lab as a playground and as a hostable page, in chromium: the 2-D datasets train ED past 90 % with live
// decision heat maps beside backprop's, and the production build runs the WebAssembly backend on a plain static
// server, with the documented _headers or through the service-worker fallback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fillForm, labState, openLab, skip, staticServer } from './browser-lab.js';

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

const state = () => labState(page);
const setForm = (values: Record<string, string | boolean>) => fillForm(page, values);

test("each 2-D dataset trains ED past 90 % validation, with a live decision heat map beside backprop's", {
  skip,
  timeout: 240000,
}, async () => {
  const reached: Record<string, number> = {};
  try {
    for (const task of ['circle', 'xor2d', 'gauss', 'spiral']) {
      await page.selectOption('#task', task);
      await setForm({ 'compare-bp': true, pace: 'full' });
      assert.equal(await page.isVisible('#noise'), true, 'noise applies to 2-D datasets');
      await page.click('#reset');
      await page.waitForFunction(() => document.querySelector('#updates')?.textContent === '0', null, {
        timeout: 10000,
      });
      await page.click('#start');
      await page.waitForFunction(() => /^finished/.test(document.querySelector('#status')?.textContent ?? ''), null, {
        timeout: 60000,
      });
      const s = await state();
      reached[task] = s.bestAccuracy;
      // The page says what ED reached on this dataset.
      assert.match(
        (await page.textContent('#points-result')) ?? '',
        new RegExp(`^${task}: ED reached ${(100 * s.bestAccuracy).toFixed(2)} % validation \\(best, at update`),
      );
      assert.ok(s.bestAccuracy > 0.9, `${task}: ED's best validation accuracy ${s.bestAccuracy}`);
      assert.equal(await page.isVisible('#points-panel'), true);
      assert.equal(await page.isVisible('#draw-panel'), false);
      for (const id of ['#points-ed-canvas', '#points-bp-canvas']) {
        assert.match(
          (await page.getAttribute(id, 'aria-label')) ?? '',
          /puts \d+ of them on their own class's side/,
          `${task}: ${id} drawn`,
        );
      }
    }
    console.log(
      `# 2-D datasets, best validation accuracy of ED (kaneko preset, 16 units, 20 epochs, seed 1): ${Object.entries(
        reached,
      )
        .map(([t, a]) => `${t} ${(100 * a).toFixed(1)} %`)
        .join(', ')}`,
    );
    assert.deepEqual(pageErrors, []);
  } finally {
    await page.selectOption('#task', 'pair');
    await setForm({ preset: 'seed', digits: '4,9', epochs: '1', 'compare-bp': false });
  }
});

test('the production build on a plain static server runs the WebAssembly backend, with the _headers file or ' +
  'through the service-worker fallback', {
  skip,
  timeout: 120000,
}, async () => {
  for (const withHeaders of [true, false]) {
    const host = await staticServer(withHeaders);
    // A fresh profile each time: no service worker left over from the other case.
    const context = await browser!.newContext();
    try {
      const p = await context.newPage();
      await p.goto(host.url);
      await p.waitForFunction(
        () =>
          /\S/.test(document.querySelector('#backend')?.textContent ?? '') &&
          document.querySelector('#backend')?.textContent !== 'loading…',
        null,
        { timeout: 60000 },
      );
      const backend = (await p.textContent('#backend')) ?? '';
      assert.match(backend, /^wasm-[\w-]+$/, `${withHeaders ? 'with' : 'without'} the headers: ${backend}`);
      assert.equal(await p.evaluate(() => crossOriginIsolated), true);
      assert.equal(await p.evaluate(() => 'edlearnLab' in window), false, 'the production page has no test hook');
    } finally {
      await context.close();
      host.close();
    }
  }
});
