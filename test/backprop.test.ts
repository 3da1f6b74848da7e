// Backprop gradients against central finite differences of the mean loss, for every output/loss/activation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getBackend } from '../src/kernels/index.js';
import { Random } from '../src/random.js';
import { BACKPROP_DEFAULTS, type BackpropOptions } from '../src/options/backprop.js';
import { BackpropClassifier } from '../src/rules/backprop.js';
import { denseBatch } from './helpers.js';

const INPUTS = 6;
const CASES: { name: string; classes: number; options: Partial<BackpropOptions> }[] = [
  { name: 'sigmoid hidden, sigmoid + BCE output', classes: 2, options: {} },
  { name: 'sigmoid hidden, sigmoid + MSE output', classes: 2, options: { loss: 'mse' } },
  { name: 'ReLU hidden, softmax + cross-entropy output', classes: 3, options: { activation: 'relu' } },
  {
    name: 'ReLU hidden, linear + Huber output (action values)',
    classes: 2,
    options: { activation: 'relu', loss: 'huber' },
  },
];

for (const backendName of ['reference', 'wasm-relaxed-simd']) {
  for (const c of CASES) {
    test(`${backendName}: gradients match finite differences (${c.name})`, () => {
      const be = getBackend(backendName);
      const options = { ...BACKPROP_DEFAULTS, layers: 2, units: 5, ...c.options };
      const net = new BackpropClassifier(options, INPUTS, c.classes, be, new Random(3), 8);
      const rng = new Random(5);
      const x = Float32Array.from({ length: 4 * INPUTS }, () => (rng.next() < 0.3 ? 0 : rng.next()));
      const batch = denseBatch(be, x, 4, INPUTS, [0, 1, c.classes - 1, 1]);
      net.gradients(batch);
      const analytic = net.layers.map((L) => [Float32Array.from(L.gw), Float32Array.from(L.gb)]);
      let checked = 0;
      net.layers.forEach((L, l) => {
        [L.w, L.b].forEach((param, which) => {
          for (let i = 0; i < param.length; i += 3) {
            const saved = param[i];
            const h = 1e-3;
            param[i] = saved + h;
            const up = net.loss(batch);
            param[i] = saved - h;
            const down = net.loss(batch);
            param[i] = saved;
            const numeric = (up - down) / (2 * h);
            const got = analytic[l][which][i];
            assert.ok(
              Math.abs(got - numeric) <= 2e-3 + 3e-2 * Math.abs(numeric),
              `layer ${l} ${which ? 'bias' : 'weight'} ${i}: analytic ${got}, numeric ${numeric}`,
            );
            checked++;
          }
        });
      });
      assert.ok(checked > 20);
    });
  }
}

test('backprop learns XOR-like 4 vs 9 quickly enough to be a baseline', async () => {
  const { runTraining } = await import('../src/train/run.js');
  const { result } = runTraining({ rule: 'backprop', epochs: 2, seed: 1 });
  assert.ok(result.final.validationAccuracy > 0.95, `validation accuracy ${result.final.validationAccuracy}`);
});
