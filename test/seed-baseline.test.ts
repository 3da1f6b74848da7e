// The seed article's baseline on MNIST 4 vs 9 (layers 3, units 16, batch 64, lr 0.01), with the reference backend.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runTraining } from '../src/train/run.js';
import { VERSION } from '../src/version.js';
import { ROOT } from './helpers.js';

test('seed baseline reaches ≥ 97 % validation accuracy on 4 vs 9 within 10 epochs', () => {
  // Five evaluations per epoch, as the article's curves sample accuracy along the updates.
  const { header, result } = runTraining({ preset: 'seed', epochs: 10, evalEvery: 37, seed: 1 });
  assert.equal(header.task.test, 1991);
  assert.ok(result.bestValAccuracy >= 0.97, `best ${result.bestValAccuracy}`);
  assert.ok(result.finalValAccuracy >= 0.95, `final ${result.finalValAccuracy}`);
});

test('the same seed gives the same numbers twice; another seed does not', () => {
  const run = (seed: number) => runTraining({ preset: 'seed', epochs: 1, evalEvery: 40, seed }).result.history
    .map((e) => [e.update, e.valAccuracy, e.trainAccuracy, e.trainError]);
  const a = run(5);
  assert.deepEqual(run(5), a);
  assert.notDeepEqual(run(6), a);
});

test('VERSION matches package.json', () => {
  assert.equal(VERSION, JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version);
});

test('kaneko-mnist preset: one online epoch of 10-class MNIST reaches ≥ 95 %', () => {
  const { header, result } = runTraining({ preset: 'kaneko-mnist', task: 'all', epochs: 1, seed: 1 });
  assert.equal(header.config.ed?.units, 64);
  assert.ok(result.finalValAccuracy >= 0.95, `accuracy ${result.finalValAccuracy}`);
});
