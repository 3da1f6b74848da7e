// --ensemble K: K members with seeds seed … seed + K − 1, each at its own validation-selected point; the ensemble
// averages their class scores; its model file loads in the API and the CLI as one model that predicts the same.
// Also the α schedules and --patience.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadMnist, loadModel } from '../src/index.js';
import { EnsembleRule } from '../src/model/ensemble.js';
import { scheduleFactor } from '../src/train/schedule.js';
import { runTraining } from '../src/train/run.js';
import type { EnsembleSummary } from '../src/train/ensemble-score.js';
import { saveModel } from '../src/model/file.js';
import { modelHeader } from '../src/model/header.js';
import { assertAllClose, runCli, tempDir } from './helpers.js';
import { toSparseRows } from '../src/data/sparse.js';
import { predictRows } from '../src/train/predict.js';

const mnist = loadMnist();

test(
  'an ensemble of 3: members of seeds 4, 5, 6, averaged ' + 'scores, one model file that loads and predicts the same',
  () => {
    const dir = tempDir();
    try {
      const input = {
        task: 'all' as const,
        preset: 'kaneko-mnist' as const,
        updates: 2000,
        evalEvery: 500,
        validation: 2000,
        seed: 4,
        threads: 1,
        backend: 'wasm-simd',
      };
      const outcome = runTraining({ ...input, ensemble: 3 });
      const ens = (outcome.result as { ensemble?: EnsembleSummary }).ensemble!;
      assert.deepEqual(
        ens.members.map((m) => m.seed),
        [4, 5, 6],
      );
      const alone = runTraining({ ...input, seed: 5 });
      assert.equal(
        ens.members[1].selected.testAccuracy,
        alone.result.selected.testAccuracy,
        'member 2 is the run of seed 5',
      );
      assert.ok(outcome.rule instanceof EnsembleRule);
      assert.equal(outcome.result.selected.testAccuracy, ens.testAccuracy);
      // Averaging: the ensemble's scores are the members' mean.
      const path = join(dir, 'ens.edlearn');
      saveModel(path, outcome.rule, modelHeader(outcome.header, outcome.result, outcome.rule));
      const model = loadModel(path);
      assert.ok(model.rule instanceof EnsembleRule && model.rule.members.length === 3);
      assert.equal(model.evaluate(mnist.test.images, mnist.test.labels).accuracy, ens.testAccuracy);
      const x = mnist.test.images.subarray(0, 784 * 4);
      const rule = model.rule as EnsembleRule;
      const rows = toSparseRows({ x, labels: new Uint8Array(4), count: 4 }, 784, 1 / 255, rule.backend);
      const mean = new Float32Array(40);
      for (const m of rule.members) predictRows(m, rows).scores.forEach((v, i) => (mean[i] += v / 3));
      assertAllClose(model.predict(x), mean);
      const cli = runCli(['eval', '--model', path]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, new RegExp((ens.testAccuracy * 100).toFixed(2)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('α schedules: constant 1, step halves every stepEvery epochs, cosine falls from about 1 to about 0', () => {
  const step = { kind: 'step' as const, stepEvery: 2, stepFactor: 0.5 };
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((e) => scheduleFactor(step, e, 5)),
    [1, 1, 0.5, 0.5, 0.25],
  );
  assert.equal(scheduleFactor({ ...step, kind: 'constant' }, 7, 10), 1);
  const cos = [0, 1, 2, 3].map((e) => scheduleFactor({ ...step, kind: 'cosine' }, e, 4));
  assert.ok(cos[0] > 0.9 && cos[3] < 0.1 && cos.every((v, i) => i === 0 || v < cos[i - 1]), cos.join(', '));
});

test('--patience stops once validation has not improved for that many evaluations', () => {
  const r = runTraining({
    digits: '4,9',
    preset: 'kaneko',
    lr: 0.8,
    updates: 4000,
    evalEvery: 10,
    patience: 3,
    seed: 2,
    threads: 1,
  });
  assert.ok(r.result.stoppedAt !== null && r.result.updates < 4000, `ran ${r.result.updates} updates`);
  const h = r.result.history;
  const best = Math.max(...h.map((e) => e.valAccuracy));
  assert.deepEqual(
    h.slice(-3).map((e) => e.valAccuracy < best || e.update !== r.result.bestUpdate),
    [true, true, true],
  );
});
