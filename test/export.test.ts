// Export (issue 23): a trained ED model written by `edlearn export` as ONNX, run by onnxruntime-web
// (WebAssembly, in Node), and as TF.js Layers, loaded over HTTP by @tensorflow/tfjs's loadLayersModel, gives the
// arg-max `edlearn eval` gives on every one of the 10,000 MNIST test images, and scores within 1e-5; the variants
// (two classes, softmax, RMS normalisation, ternary) in memory; bad input refused in one line; `edlearn summary`.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { evalCommand } from '../src/cli/model.js';
import { exportCommand } from '../src/cli/export.js';
import { createModel, loadMnist, loadModel, mnistDirectory, type ModelOptions } from '../src/index.js';
import { assertUserError, tempDir } from './helpers.js';

ort.env.wasm.numThreads = 1;
const mnist = loadMnist();
const dir = tempDir('edlearn-export-');
after(() => rmSync(dir, { recursive: true, force: true }));
const silent = () => {};
const test10k = Float32Array.from(mnist.test.images, (v) => v / 255);

async function trained(options: ModelOptions, n: number) {
  const model = createModel({ preset: 'kaneko-mnist', units: 16, seed: 1, ...options });
  const classes = options.classes ?? 10;
  await model.fit(
    mnist.train.images.subarray(0, 784 * n),
    mnist.train.labels.subarray(0, n).map((l) => l % classes),
    { epochs: 1 },
  );
  return model;
}

function argmax(scores: ArrayLike<number>, count: number, classes: number): Int32Array {
  return Int32Array.from({ length: count }, (_, s) => {
    let best = 0;
    for (let k = 1; k < classes; k++) if (scores[s * classes + k] > scores[s * classes + best]) best = k;
    return best;
  });
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, count: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual([session.inputNames, session.outputNames], [['images'], ['scores']]);
  const out = await session.run({ images: new ort.Tensor('float32', x, [count, x.length / count]) });
  return out.scores.data as Float32Array;
}

function runTfjs(model: tf.LayersModel, x: Float32Array, count: number): Float32Array {
  return tf.tidy(
    () => (model.predict(tf.tensor2d(x, [count, x.length / count])) as tf.Tensor).dataSync() as Float32Array,
  );
}

test("edlearn export: ONNX (onnxruntime-web) and TF.js (loadLayersModel) give eval's arg-max on all 10,000 " +
  'MNIST test images, scores within 1e-5', {
  timeout: 300_000,
}, async () => {
  const file = join(dir, 'mnist.edlearn');
  await (await trained({ classes: 10 }, 2000)).save(file);
  const evaluated = evalCommand({ model: file, data: mnistDirectory(), json: true }, silent);
  assert.equal(evaluated.count, 10000);
  // What eval classifies each image as: the same rule, read from the same file.
  const reference = loadModel(file).predict(mnist.test.images);
  const expected = argmax(reference, 10000, 10);
  const confusion = (predicted: Int32Array) => {
    const m = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    predicted.forEach((p, s) => m[mnist.test.labels[s]][p]++);
    return m;
  };
  assert.deepEqual(confusion(expected), evaluated.confusion);

  const onnxFile = join(dir, 'mnist.onnx');
  exportCommand({ model: file, format: 'onnx', out: onnxFile }, silent);
  const onnxScores = await runOnnx(new Uint8Array(readFileSync(onnxFile)), test10k, 10000);
  assert.ok(
    maxDifference(onnxScores, reference) <= 1e-5,
    `ONNX scores differ by ${maxDifference(onnxScores, reference)}`,
  );
  assert.deepEqual(argmax(onnxScores, 10000, 10), expected);
  assert.deepEqual(confusion(argmax(onnxScores, 10000, 10)), evaluated.confusion);

  const tfjsDir = join(dir, 'mnist-tfjs');
  exportCommand({ model: file, format: 'tfjs', out: tfjsDir }, silent);
  assert.deepEqual(readdirSync(tfjsDir).sort(), ['model.json', 'weights.bin']);
  // Served over HTTP as a page would load it: model.json names weights.bin, fetched beside it.
  const server = createServer((req, res) => {
    const name = (req.url ?? '').slice(1);
    if (!['model.json', 'weights.bin'].includes(name)) return void res.writeHead(404).end();
    res.writeHead(200).end(readFileSync(join(tfjsDir, name)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const { port } = server.address() as AddressInfo;
    const layers = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
    const tfScores = runTfjs(layers, test10k, 10000);
    assert.ok(
      maxDifference(tfScores, reference) <= 1e-5,
      `TF.js scores differ by ${maxDifference(tfScores, reference)}`,
    );
    assert.deepEqual(argmax(tfScores, 10000, 10), expected);
  } finally {
    server.close();
  }
});

test("toOnnx / toTfjs: two classes, softmax outputs, RMS normalisation and ternary weights give predict's scores", {
  timeout: 120_000,
}, async () => {
  const n = 300;
  const x = test10k.subarray(0, 784 * n);
  const bytes = mnist.test.images.subarray(0, 784 * n);
  for (const options of [
    { classes: 2 },
    { classes: 10, output: 'softmax' },
    { classes: 10, rmsNorm: true, layers: 2 },
    { classes: 10, ternary: true, ternaryBias: true, batch: 8 },
  ] as ModelOptions[]) {
    const model = await trained(options, 300);
    const classes = options.classes!;
    const reference = model.predict(bytes);
    const onnx = await runOnnx(model.toOnnx(), x, n);
    assert.ok(
      maxDifference(onnx, reference) <= 1e-5,
      `${JSON.stringify(options)}: ONNX scores differ by ${maxDifference(onnx, reference)}`,
    );
    assert.deepEqual(argmax(onnx, n, classes), argmax(reference, n, classes));
    if (options.rmsNorm) {
      assert.throws(() => model.toTfjs(), /rmsNorm.*export it with --format onnx/);
      continue;
    }
    const files = model.toTfjs();
    const json = JSON.parse(files.modelJson) as {
      modelTopology: object;
      weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
    };
    const weightData = files.weights.buffer.slice(
      files.weights.byteOffset,
      files.weights.byteOffset + files.weights.byteLength,
    ) as ArrayBuffer;
    const layers = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }),
    );
    const scores = runTfjs(layers, x, n);
    assert.ok(
      maxDifference(scores, reference) <= 1e-5,
      `${JSON.stringify(options)}: TF.js scores differ by ${maxDifference(scores, reference)}`,
    );
  }
});

test('edlearn export and summary refuse bad input in one line and leave no file', async () => {
  const file = join(dir, 'small.edlearn');
  await (await trained({ classes: 2 }, 50)).save(file);
  const backprop = join(dir, 'backprop.edlearn');
  await createModel({ rule: 'backprop', classes: 2 }).save(backprop);
  assertUserError(
    ['export', '--model', file, '--format', 'keras', '--out', join(dir, 'x')],
    /export --format: keras is not a format; expected onnx or tfjs/,
  );
  assertUserError(
    ['export', '--model', join(dir, 'none.edlearn'), '--format', 'onnx', '--out', join(dir, 'x.onnx')],
    /--model: cannot read .*none\.edlearn \(ENOENT\)/,
  );
  assertUserError(
    ['export', '--model', backprop, '--format', 'onnx', '--out', join(dir, 'b.onnx')],
    /export: model .*backprop\.edlearn: export writes ED models; this one is trained with backprop/,
  );
  assertUserError(
    ['export', '--model', file, '--format', 'onnx', '--out', dir],
    /export --out: .* is a directory; give the \.onnx file to write/,
  );
  writeFileSync(join(dir, 'plain'), 'x');
  assertUserError(
    ['export', '--model', file, '--format', 'tfjs', '--out', join(dir, 'plain')],
    /--format tfjs writes a directory/,
  );
  assertUserError(['summary', '--model', join(dir, 'plain')], /plain/);
  assert.ok(!existsSync(join(dir, 'x.onnx')) && !existsSync(join(dir, 'b.onnx')) && !existsSync(join(dir, 'x')));
});
