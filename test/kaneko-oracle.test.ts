// Kaneko's published XOR / parity tables (shared/docs/ed-spec.md §3) as oracles for the `kaneko` preset:
// fixed pattern order, online updates, convergence when an epoch's Σ|e| < 0.1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTraining } from '../src/train/run.js';

function epochsToConverge(task: 'xor' | 'parity', units: number, seeds: number, bits = 2) {
  const epochs: number[] = [];
  let timeouts = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const { result } = runTraining({ preset: 'kaneko', task, bits, units, seed });
    if (result.convergedEpoch === null) timeouts++;
    else epochs.push(result.convergedEpoch);
  }
  return { mean: epochs.reduce((a, b) => a + b, 0) / Math.max(1, epochs.length), timeouts };
}

test('XOR with 64 hidden converges in ≤ 10 epochs on average (Kaneko: 5.97)', () => {
  const { mean, timeouts } = epochsToConverge('xor', 64, 20);
  assert.equal(timeouts, 0);
  assert.ok(mean <= 10, `mean ${mean}`);
});

test('XOR with 8 hidden converges in 40…120 epochs on average (Kaneko: 75.14)', () => {
  const { mean, timeouts } = epochsToConverge('xor', 8, 20);
  assert.equal(timeouts, 0);
  assert.ok(mean >= 40 && mean <= 120, `mean ${mean}`);
});

test('more hidden units converge faster on XOR (Kaneko: 75.14 > 28.00 > 8.26 epochs)', () => {
  const means = [8, 16, 32].map((h) => epochsToConverge('xor', h, 20).mean);
  assert.ok(means[0] > means[1] && means[1] > means[2], `means ${means.join(', ')}`);
});

test('4-bit parity with 64 hidden converges for every seed (Kaneko: 56.20 epochs)', () => {
  const { mean, timeouts } = epochsToConverge('parity', 64, 20, 4);
  assert.equal(timeouts, 0);
  assert.ok(mean > 5 && mean < 500, `mean ${mean}`);
});
