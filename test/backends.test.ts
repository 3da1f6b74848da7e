// Training gives the same result on every backend and thread count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTraining } from '../src/train/run.js';

const BACKENDS = ['reference', 'wasm-simd', 'wasm-relaxed-simd'];

test('2 epochs of 4 vs 9 reach the same accuracy (±0.2 %) on every backend and thread count', () => {
  const runs = BACKENDS.flatMap((backend) =>
    [1, 2].map((threads) => {
      const { header, result } = runTraining({ preset: 'seed', epochs: 2, seed: 3, backend, threads });
      assert.equal(header.backend, backend);
      return { backend, threads, acc: result.finalValAccuracy };
    }),
  );
  const base = runs[0].acc;
  for (const r of runs)
    assert.ok(Math.abs(r.acc - base) <= 0.002, `${r.backend} × ${r.threads}: ${r.acc} vs reference ${base}`);
  assert.ok(base > 0.9, `accuracy ${base}`);
});

test('10-class training: identical with 1 and 2 threads, and close to the reference backend', () => {
  const run = (backend: string, threads: number) =>
    runTraining({
      preset: 'seed',
      task: 'all',
      units: 8,
      layers: 2,
      batch: 256,
      updates: 30,
      evalEvery: 10,
      seed: 4,
      backend,
      threads,
    });
  const one = run('wasm-relaxed-simd', 1);
  const two = run('wasm-relaxed-simd', 2);
  assert.equal(two.header.threads, 2);
  assert.deepEqual(
    two.result.history.map((e) => [e.valAccuracy, e.trainError]),
    one.result.history.map((e) => [e.valAccuracy, e.trainError]),
  );
  const ref = run('reference', 1);
  assert.ok(
    Math.abs(ref.result.finalValAccuracy - one.result.finalValAccuracy) <= 0.002,
    `reference ${ref.result.finalValAccuracy} vs wasm ${one.result.finalValAccuracy}`,
  );
});
