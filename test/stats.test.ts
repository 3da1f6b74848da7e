// Confidence intervals and Welch's t against values from statistical tables (independent oracles).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarize, tCdf, tQuantile, welch } from '../src/report/stats.js';

test('Student t quantiles match the tables', () => {
  // t_{0.975, df}: 12.706 (1), 4.303 (2), 2.776 (4), 2.262 (9), 2.042 (30), 1.960 (∞).
  for (const [df, t] of [
    [1, 12.7062],
    [2, 4.3027],
    [4, 2.7764],
    [9, 2.2622],
    [30, 2.0423],
    [1e6, 1.96],
  ] as const) {
    assert.ok(Math.abs(tQuantile(0.975, df) - t) < 1e-3, `df ${df}: ${tQuantile(0.975, df)} vs ${t}`);
  }
  assert.ok(Math.abs(tCdf(0, 7) - 0.5) < 1e-12);
  assert.ok(Math.abs(tCdf(-2.015, 5) - 0.05) < 1e-4);
});

test('summaries and Welch differences', () => {
  const s = summarize([0.97, 0.98, 0.975, 0.972, 0.978]);
  assert.ok(Math.abs(s.mean - 0.975) < 1e-12);
  assert.ok(Math.abs(s.sd - Math.sqrt(68e-6 / 4)) < 1e-9);
  assert.ok(Math.abs(s.ci[1] - s.mean - (2.7764 * s.sd) / Math.sqrt(5)) < 1e-6);
  // a = 1…5 (variance 2.5), b = 2, 4…10 (variance 10): t = 3 / √2.5 = 1.897, df = 2.5² / (0.5²/4 + 2²/4) = 5.882,
  // two-sided p = 0.1075 (R's t.test gives the same); the CI of the difference contains 0.
  const d = welch([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
  assert.equal(d.diff, -3);
  assert.ok(Math.abs(d.df - 5.882) < 1e-3, `df ${d.df}`);
  assert.ok(Math.abs(d.p - 0.1075) < 1e-3, `p ${d.p}`);
  assert.ok(d.ci[0] < -3 && d.ci[1] > 0, `ci ${d.ci}`);
  const clear = welch([0.98, 0.981, 0.979, 0.982, 0.98], [0.97, 0.971, 0.969, 0.972, 0.97]);
  assert.ok(clear.ci[0] > 0 && clear.p < 1e-6, `ci ${clear.ci}, p ${clear.p}`);
});
