// Data that parses but makes no sense is refused, naming the file, the value and where it is: empty images,
// implausible labels, PNG and gzip headers that claim more memory than the file could ever need.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { UserError } from '../src/errors.js';
import { loadIdxDataset } from '../src/data/dataset.js';
import { decodeIdxFile, parseIdx } from '../src/data/idx.js';
import { readImageFile } from '../src/data/image-files.js';
import { buildTask, subsampleClass } from '../src/data/tasks.js';
import { decodePng } from '../src/data/png.js';
import { idxBytes, runCli, tempDir } from './helpers.js';
import { chunk } from './png-writer.js';

const userError = (pattern: RegExp) => (e: unknown) =>
  e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n');

/** A dataset directory with 2×2 images; labels as given. */
function dataset(trainLabels: number[], testLabels: number[], dims: { rows?: number; cols?: number } = {}): string {
  const dir = tempDir();
  const rows = dims.rows ?? 2;
  const cols = dims.cols ?? 2;
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxBytes([trainLabels.length, rows, cols]));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes([trainLabels.length], Uint8Array.from(trainLabels)));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes([testLabels.length, rows, cols]));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes([testLabels.length], Uint8Array.from(testLabels)));
  return dir;
}

const TEN = Array.from({ length: 30 }, (_, i) => i % 10);

test('IDX arrays with a zero dimension are refused, naming the file and the dimension', () => {
  assert.throws(
    () => parseIdx(idxBytes([5, 0, 28]), 'imgs'),
    userError(/readIdx: imgs: dimension 2 of 3 is 0 \(5×0×28\)/),
  );
  assert.throws(() => parseIdx(idxBytes([5, 28, 0]), 'imgs'), userError(/dimension 3 of 3 is 0/));
  assert.throws(() => parseIdx(idxBytes([0, 28, 28]), 'imgs'), userError(/dimension 1 of 3 is 0/));
  assert.throws(() => parseIdx(idxBytes([0]), 'labels'), userError(/labels: dimension 1 of 1 is 0/));
  const dir = dataset(TEN, TEN, { rows: 0 });
  assert.throws(() => loadIdxDataset(dir), userError(/train-images-idx3-ubyte: dimension 2 of 3 is 0 \(30×0×2\)/));
});

test('a label byte of 255 in a 10-class set is refused with its value and index', () => {
  const train = [...TEN];
  train[17] = 255;
  assert.throws(
    () => loadIdxDataset(dataset(train, TEN)),
    userError(
      /train-labels-idx1-ubyte: label 255 at index 17 is implausible: the other training labels hold classes 0…9, and 10…254 never occur/,
    ),
  );
});

test('a gap in the classes, labels starting above 1, and test labels the training set lacks are refused', () => {
  assert.throws(
    () => loadIdxDataset(dataset([0, 1, 3, 0, 1, 3], [0, 1])),
    userError(/label 3 at index 2 is implausible: the other training labels hold classes 0…1, and 2…2 never occur/),
  );
  assert.throws(
    () => loadIdxDataset(dataset([5, 6, 7], [5])),
    userError(/label 5 at index 0: the smallest training label is 5/),
  );
  assert.throws(
    () => loadIdxDataset(dataset(TEN, [0, 1, 12, 3])),
    userError(/t10k-labels-idx1-ubyte: label 12 at index 2 is not a class of the training labels \(classes 0…9\)/),
  );
  assert.throws(
    () => loadIdxDataset(dataset([1, 2, 3], [0])),
    userError(/label 0 at index 0 is not a class of the training labels \(classes 1…3\)/),
  );
});

test('plausible labels are accepted: 0…9, and 1…26 like EMNIST letters', () => {
  assert.equal(loadIdxDataset(dataset(TEN, [3, 4])).classes, 10);
  const letters = Array.from({ length: 52 }, (_, i) => 1 + (i % 26));
  assert.equal(loadIdxDataset(dataset(letters, [1, 26])).classes, 27);
});

test('the CLI refuses a stray label in one line with exit code 2', () => {
  const train = [...TEN];
  train[4] = 200;
  const r = runCli(['train', '--data', dataset(train, TEN), '--task', 'all', '--epochs', '1']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /label 200 at index 4 is implausible/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test(
  'gzipped IDX: a header larger than the budget, or data longer than the header, is refused without ' +
    'inflating it all',
  () => {
    const huge = idxBytes([2, 2, 2]);
    new DataView(huge.buffer).setUint32(4, 0xffffffff);
    assert.throws(
      () => decodeIdxFile(gzipSync(huge), 'big.gz'),
      userError(/big\.gz: header declares 4294967295×2×2 bytes .* more than the 2147483648/),
    );
    // A small header in front of 64 MB of zeros (a 64 KB gzip): refused at the header's 24 bytes.
    const bomb = new Uint8Array(16 + (64 << 20));
    bomb.set(idxBytes([2, 2, 2]).subarray(0, 16));
    assert.throws(
      () => decodeIdxFile(gzipSync(bomb), 'bomb.gz'),
      userError(/bomb\.gz: file is longer than its header says: dimensions 2×2×2 need 24 bytes/),
    );
    assert.deepEqual(decodeIdxFile(gzipSync(idxBytes([3, 2, 2])), 'ok.gz').dims, [3, 2, 2]);
  },
);

/** A PNG of just its signature, an IHDR and an IEND: what a 20000 × 20000 claim costs to make. */
function pngClaiming(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8; // 8-bit grey
  const idat = chunk('IDAT', new Uint8Array(0));
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    idat,
    chunk('IEND', new Uint8Array(0)),
  ];
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

test('a PNG whose IHDR claims 20000 × 20000 is refused before anything is inflated', () => {
  let inflated = 0;
  const inflate = (b: Uint8Array) => {
    inflated++;
    return b;
  };
  for (const [w, h] of [
    [20000, 20000],
    [8193, 1],
    [1, 8193],
    [8192, 8192],
  ]) {
    assert.throws(
      () => decodePng(pngClaiming(w, h), 'huge.png', inflate),
      userError(
        new RegExp(
          `png: huge\\.png: is ${w}×${h} pixels; edlearn reads images up to 8192 pixels a side and 16777216 ` +
            `pixels in all`,
        ),
      ),
    );
  }
  assert.equal(inflated, 0, 'inflated before checking the size');
  const dir = tempDir();
  writeFileSync(join(dir, 'huge.png'), pngClaiming(20000, 20000));
  assert.throws(() => readImageFile(join(dir, 'huge.png')), userError(/is 20000×20000 pixels/));
});

test('a two-class task needs both classes in both splits; --imbalance must keep one image of its class', () => {
  const ds = loadIdxDataset(dataset(TEN, [0, 1, 2, 3, 4, 5, 6, 7, 8, 4]));
  assert.throws(
    () => buildTask(ds, 'pair', [4, 9]),
    userError(
      /option digits: the test split of .* holds no images of 9 \(task .* 4 vs 9\); choose classes both splits hold/,
    ),
  );
  assert.throws(() => buildTask(ds, 'pair', [9, 4]), userError(/holds no images of 9/));
  assert.throws(() => buildTask(ds, 'one-vs-rest', [9]), userError(/the test split of .* holds no images of 9/));
  const onlyNines = loadIdxDataset(dataset(TEN, [9, 9]));
  assert.throws(
    () => buildTask(onlyNines, 'one-vs-rest', [9]),
    userError(/the test split of .* holds no images of rest/),
  );
  assert.equal(buildTask(ds, 'pair', [4, 5]).test.count, 3);
  const pair = buildTask(ds, 'pair', [4, 5]);
  assert.throws(
    () => subsampleClass(pair, 1, 1e-9),
    userError(/option imbalance: 1e-9 keeps none of the 3 training images of 5; give a fraction ≥ 0\.33/),
  );
  assert.equal(subsampleClass(pair, 1, 0.99).classes, 2);
});

test('the CLI refuses a pair the test split lacks in one line instead of printing NaN %', () => {
  const r = runCli(['train', '--data', dataset(TEN, [0, 1, 2, 3]), '--digits', '4,9', '--epochs', '1']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /the test split of .* holds no images of 4 or 9/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});
