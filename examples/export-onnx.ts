// Export a trained ED model to ONNX and run it with onnxruntime-web (WebAssembly; no native binary), checking it
// classifies as the model does. Run: npm install onnxruntime-web && npx tsx export-onnx.ts
import { writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { createModel, loadMnist } from 'edlearn';

const data = loadMnist();
const n = 2000;
const model = createModel({ preset: 'kaneko-mnist', classes: 10, units: 32, seed: 1 });
await model.fit(data.train.images.subarray(0, 784 * n), data.train.labels.subarray(0, n), { epochs: 1 });
const onnx = model.toOnnx();
writeFileSync('mnist.onnx', onnx);

// The ONNX graph takes images as floats in 0…1, n × 784, and returns the scores predict returns.
const count = 1000;
const images = data.test.images.subarray(0, 784 * count);
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(onnx);
const { scores } = await session.run({
  images: new ort.Tensor(
    'float32',
    Float32Array.from(images, (v) => v / 255),
    [count, 784],
  ),
});
const theirs = scores.data as Float32Array;
const ours = model.predict(images);
const argmax = (s: Float32Array, i: number) =>
  s.subarray(10 * i, 10 * i + 10).reduce((best, v, k, row) => (v > row[best] ? k : best), 0);
let same = 0;
let correct = 0;
let maxDifference = 0;
for (let i = 0; i < count; i++) {
  if (argmax(theirs, i) === argmax(ours, i)) same++;
  if (argmax(theirs, i) === data.test.labels[i]) correct++;
}
for (let i = 0; i < theirs.length; i++) maxDifference = Math.max(maxDifference, Math.abs(theirs[i] - ours[i]));
console.log(
  `mnist.onnx: ${onnx.length} bytes · onnxruntime agrees with predict on ${same} / ${count} images · ` +
    `accuracy ${correct / count} · largest score difference ${maxDifference.toExponential(1)}`,
);
