// Train an ED network on MNIST in Node and evaluate it: the TF.js-shaped API with callbacks.
// Run: npx tsx train-node.ts
import { createModel, earlyStopping, loadMnist, type EpochLogs } from 'edlearn';

const data = loadMnist();
const n = 5000;
const model = createModel({ preset: 'kaneko-mnist', classes: 10, seed: 1 });
console.log(model.summary());

const history = await model.fit(data.train.images.subarray(0, 784 * n), data.train.labels.subarray(0, n), {
  epochs: 3,
  validationSplit: 0.1,
  callbacks: [
    earlyStopping({ monitor: 'valAccuracy', patience: 1 }),
    {
      onEpochEnd: (epoch: number, logs: EpochLogs) =>
        console.log(`epoch ${epoch}: validation accuracy ${logs.valAccuracy?.toFixed(4)}`),
    },
  ],
});

const { accuracy } = model.evaluate(data.test.images, data.test.labels);
console.log(`epochs ${history.epoch.length} · test accuracy ${accuracy.toFixed(4)}`);
