// A custom dataset from CSV: 8 × 8 images of horizontal (class 0) or vertical (class 1) bars with noise, written
// in the "label, pixel0, …" layout, read back with loadCsv, trained and evaluated. Run: npx tsx csv-dataset.ts
import { writeFileSync } from 'node:fs';
import { createModel, loadCsv, Random } from 'edlearn';

const side = 8;
const rng = new Random(7);
function rows(count: number): string {
  const lines = ['label,' + Array.from({ length: side * side }, (_, i) => `pixel${i}`).join(',')];
  for (let s = 0; s < count; s++) {
    const label = rng.next() < 0.5 ? 0 : 1;
    const bar = Math.floor(rng.next() * side);
    const pixels = Array.from({ length: side * side }, (_, i) => {
      const onBar = label === 0 ? Math.floor(i / side) === bar : i % side === bar;
      return Math.min(255, Math.floor((onBar ? 200 : 0) + rng.next() * 60));
    });
    lines.push([label, ...pixels].join(','));
  }
  return lines.join('\n') + '\n';
}
writeFileSync('bars-train.csv', rows(400));
writeFileSync('bars-test.csv', rows(200));

const train = loadCsv('bars-train.csv');
const test = loadCsv('bars-test.csv');
console.log(`read ${train.count} training and ${test.count} test images of ${train.rows} × ${train.cols}`);
// Kaneko's original rule (one hidden layer, online) tells the bars apart; neither
// class is a linear function of the pixels.
const model = createModel({
  preset: 'kaneko',
  units: 16,
  inputs: train.inputs,
  classes: 2,
  classNames: ['horizontal', 'vertical'],
  seed: 1,
});
await model.fit(train.images, train.labels, { epochs: 20, batchSize: 1 });
const { accuracy, confusion } = model.evaluate(test.images, test.labels);
console.log(`test accuracy ${accuracy.toFixed(4)} · confusion ${JSON.stringify(confusion)}`);
