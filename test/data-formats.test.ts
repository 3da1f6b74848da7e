// --data as NumPy .npy pairs and Kaggle-layout CSV files (issue 23): the same dataset as the IDX files of the same
// images, the same trained weights; loadNpy / loadCsv for the API; bad files refused in one line (the readers
// themselves are fuzzed in test/fuzz).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encodeNpy } from '../src/data/npy.js';
import { UserError } from '../src/errors.js';
import {
  createModel,
  loadCsv,
  loadDataDirectory,
  loadIdxDataset,
  loadMnist,
  loadNpy,
  runTraining,
} from '../src/index.js';
import { assertUserError, idxBytes, tempDir } from './helpers.js';

const mnist = loadMnist();
const root = tempDir('edlearn-formats-');
after(() => rmSync(root, { recursive: true, force: true }));
const nTrain = 600;
const nTest = 200;
const part = (split: 'train' | 'test', n: number) => ({
  images: mnist[split].images.subarray(0, 784 * n),
  labels: mnist[split].labels.subarray(0, n),
});
const train = part('train', nTrain);
const testSplit = part('test', nTest);

function dir(name: string, files: Record<string, Uint8Array | string>): string {
  const d = join(root, name);
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(d, file), content, { flag: 'w' });
  }
  return d;
}
const mkdir = (name: string) => {
  mkdirSync(join(root, name), { recursive: true });
  return name;
};

const u8 = (a: Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.length);
const csvText = (s: { images: Uint8Array; labels: Uint8Array }, n: number, header = true, eol = '\n') => {
  const rows = Array.from({ length: n }, (_, i) =>
    [s.labels[i], ...s.images.subarray(784 * i, 784 * (i + 1))].join(','),
  );
  const head = header ? `label,${Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')}${eol}` : '';
  return `${head}${rows.join(eol)}${eol}`;
};

const idxDir = dir(mkdir('idx'), {
  'train-images-idx3-ubyte': idxBytes([nTrain, 28, 28], train.images),
  'train-labels-idx1-ubyte': idxBytes([nTrain], train.labels),
  't10k-images-idx3-ubyte': idxBytes([nTest, 28, 28], testSplit.images),
  't10k-labels-idx1-ubyte': idxBytes([nTest], testSplit.labels),
});
const npyDir = dir(mkdir('npy'), {
  'x_train.npy': encodeNpy([nTrain, 28, 28], train.images),
  'y_train.npy': encodeNpy([nTrain], Int32Array.from(train.labels)),
  // Float images in 0…1, n × 784: the same data.
  'x_test.npy': encodeNpy(
    [nTest, 784],
    Float32Array.from(testSplit.images, (v) => v / 255),
  ),
  'y_test.npy': encodeNpy([nTest], Float64Array.from(testSplit.labels)),
});
const csvDir = dir(mkdir('csv'), {
  'mnist_train.csv': csvText(train, nTrain),
  'mnist_test.csv': csvText(testSplit, nTest, false, '\r\n'),
});

test(
  'a directory of .npy pairs or of CSV files is the same ' + 'dataset as its IDX files, and trains to the same weights',
  () => {
    const idx = loadIdxDataset(idxDir);
    for (const d of [npyDir, csvDir]) {
      const other = loadDataDirectory(d);
      assert.deepEqual(
        [other.rows, other.cols, other.classes, other.train.count, other.test.count],
        [28, 28, 10, nTrain, nTest],
      );
      for (const split of ['train', 'test'] as const) {
        assert.deepEqual(u8(other[split].images), u8(idx[split].images));
        assert.deepEqual(u8(other[split].labels), u8(idx[split].labels));
      }
    }
    const run = (data: string) =>
      runTraining({ data, epochs: 1, units: 8, seed: 3, backend: 'reference', validation: 'none' });
    const a = run(idxDir);
    const b = run(npyDir);
    const c = run(csvDir);
    assert.equal(b.result.final.testAccuracy, a.result.final.testAccuracy);
    assert.equal(c.result.final.testAccuracy, a.result.final.testAccuracy);
    assert.deepEqual(b.rule.parameters(), a.rule.parameters());
    assert.deepEqual(c.rule.parameters(), a.rule.parameters());
  },
);

test('loadNpy and loadCsv give arrays model.fit takes', async () => {
  const n = loadNpy(join(npyDir, 'x_test.npy'), join(npyDir, 'y_test.npy'));
  assert.ok(n.images instanceof Float32Array);
  assert.deepEqual([n.count, n.inputs, n.rows, n.cols], [nTest, 784, 28, 28]);
  const c = loadCsv(join(csvDir, 'mnist_train.csv'));
  assert.deepEqual(u8(c.images as Uint8Array), u8(train.images));
  assert.deepEqual(u8(c.labels), u8(train.labels));
  const model = createModel({ preset: 'seed', classes: 10, seed: 1 });
  await model.fit(c.images, c.labels, { epochs: 1 });
  assert.equal(
    model
      .evaluate(n.images, n.labels)
      .confusion.flat()
      .reduce((a, v) => a + v, 0),
    nTest,
  );
  assert.throws(
    () => loadNpy(join(npyDir, 'x_test.npy'), join(npyDir, 'y_train.npy')),
    (e: unknown) => e instanceof UserError && /holds 200 images but .*y_train\.npy holds 600 labels/.test(e.message),
  );
  assert.throws(
    () => loadCsv(join(root, 'none.csv')),
    (e: unknown) => e instanceof UserError && /readCsv: .*none\.csv: cannot read file \(ENOENT\)/.test(e.message),
  );
});

test('bad .npy and CSV data is refused in one line naming the file and the fix', () => {
  const good = {
    'x_train.npy': encodeNpy([4, 4], new Uint8Array(16)),
    'y_train.npy': encodeNpy([4], Int32Array.of(0, 1, 0, 1)),
    'x_test.npy': encodeNpy([2, 4], new Uint8Array(8)),
    'y_test.npy': encodeNpy([2], Int32Array.of(0, 1)),
  };
  const cases: [Record<string, Uint8Array | string>, RegExp][] = [
    [
      { ...good, 'x_train.npy': encodeNpy([4, 4], new Uint8Array(16)).subarray(0, 132) },
      /readNpy: .*x_train\.npy: file is truncated: shape \(4, 4\) of uint8 needs 16 bytes of data, found 4/,
    ],
    [
      { ...good, 'x_train.npy': encodeNpy([4, 4], new Float32Array(16).fill(255)) },
      /x_train\.npy: value 255 at index 0; float32 images must lie in 0…1 \(divide 0…255 pixels by 255\)/,
    ],
    [
      { ...good, 'y_train.npy': encodeNpy([4], Float32Array.of(0, 1.5, 0, 1)) },
      /y_train\.npy: label 1\.5 at index 1; expected a class number, an integer 0…255/,
    ],
    [
      { ...good, 'y_train.npy': encodeNpy([3], Int32Array.of(0, 1, 0)) },
      /x_train\.npy holds 4 images but .*y_train\.npy holds 3 labels/,
    ],
    [{ ...good, 'x_train.npy': 'not numpy' }, /x_train\.npy: not a \.npy file \(expected the magic bytes \\x93NUMPY\)/],
    [
      { 'x_train.npy': good['x_train.npy'], 'y_train.npy': good['y_train.npy'] },
      /--data: .* has no test images \.npy file; expected a \.npy pair per split/,
    ],
    [
      { 'train.csv': 'label,p0,p1\n1,2,3\n0,4,300\n', 'test.csv': '1,2,3\n' },
      /readCsv: .*train\.csv: line 3: column 3 is "300", expected a pixel value, an integer 0…255/,
    ],
    [
      { 'train.csv': '1,2,3\n0,0.5,3\n', 'test.csv': '1,2,3\n' },
      /train\.csv: line 2: column 2 is "0\.5", expected a pixel value, an integer 0…255/,
    ],
    [
      { 'train.csv': '1,2,3\n0,4\n', 'test.csv': '1,2,3\n' },
      /train\.csv: line 2: the row has 1 pixels, the first row had 2/,
    ],
    [
      { 'train.csv': '1,2,3\n0,1,1\n', 'test.csv': 'pixel0,pixel1\n2,3\n' },
      /test\.csv: line 1: the header's first column is "pixel0", expected "label" \(an unlabelled file, like Kaggle's competition test\.csv/,
    ],
    [{ 'train.csv': '1,2,3\n0,1,1\n', 'test.csv': '1,2,3,4\n' }, /training images are 1×2 but test images are 1×3/],
  ];
  cases.forEach(([files, pattern], i) => {
    const d = dir(mkdir(`bad-${i}`), files);
    assertUserError(['train', '--data', d, '--epochs', '1', '--quiet'], pattern);
  });
});
