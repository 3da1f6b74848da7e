/**
 * Data in NumPy and CSV form, for `--data` and the API: a directory holding a .npy pair per split
 * (x_train.npy / y_train.npy / x_test.npy / y_test.npy, or train-images.npy / train-labels.npy / …) or a CSV
 * file per split (train.csv / test.csv, or mnist_train.csv / mnist_test.csv), checked as IDX data is (the same
 * cross-checks of counts, sizes and labels: datasetFromIdx). loadNpy and loadCsv read one split for model.fit.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { parseCsv } from './csv.js';
import { type Dataset, datasetFromIdx, type Part } from './idx-dataset.js';
import type { IdxArray } from './idx-parse.js';
import { type NpyArray, parseNpy } from './npy.js';

/** One labelled split, as model.fit takes it. */
export interface LabelledImages {
  /** count × inputs: bytes, or (from a float32 .npy) values in 0…1. */
  images: Uint8Array | Float32Array;
  labels: Uint8Array;
  count: number;
  /** Values per image, and its sides when it is square (rows × cols = inputs). */
  inputs: number;
  rows: number;
  cols: number;
}

const NPY_NAMES: Record<Part, RegExp> = {
  trainImages: /^(x_train|train[-_.]?images?)\.npy$/i,
  trainLabels: /^(y_train|train[-_.]?labels?)\.npy$/i,
  testImages: /^(x_test|test[-_.]?images?)\.npy$/i,
  testLabels: /^(y_test|test[-_.]?labels?)\.npy$/i,
};
const CSV_NAMES = { train: /^(mnist_)?train\.csv$/i, test: /^(mnist_)?test\.csv$/i };

function readBytes(path: string, what: string): Uint8Array {
  try {
    if (!statSync(path).isFile()) throw new UserError(`${what}: ${path}: is not a file`);
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${what}: ${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Sides of an image of n values: square when n is a square, else one row. */
function sides(n: number): { rows: number; cols: number } {
  const side = Math.round(Math.sqrt(n));
  return side * side === n ? { rows: side, cols: side } : { rows: 1, cols: n };
}

/** Images from a .npy array: uint8 as they are, float32 checked to lie in 0…1. */
export function npyImages(a: NpyArray, path: string): LabelledImages {
  const fail = (what: string) => new UserError(`readNpy: ${path}: ${what}`);
  if (a.shape.length !== 2 && a.shape.length !== 3)
    throw fail(
      `shape (${a.shape.join(', ')}) is not images; expected n × inputs or n × rows × cols (labels go in the ` +
        `other file)`,
    );
  if (a.shape.some((d) => d === 0)) throw fail(`shape (${a.shape.join(', ')}) holds no images`);
  if (a.type !== 'uint8' && a.type !== 'float32')
    throw fail(
      `images are ${a.type}; expected uint8 (0…255) or float32 (0…1): save array.astype('uint8') or (array / ` +
        `255).astype('float32')`,
    );
  if (a.data instanceof Float32Array) {
    const bad = a.data.findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0)
      throw fail(`value ${a.data[bad]} at index ${bad}; float32 images must lie in 0…1 (divide 0…255 pixels by 255)`);
  }
  const [count, ...rest] = a.shape;
  const inputs = rest.reduce((x, y) => x * y, 1);
  const { rows, cols } = a.shape.length === 3 ? { rows: rest[0], cols: rest[1] } : sides(inputs);
  return { images: a.data as Uint8Array | Float32Array, labels: new Uint8Array(0), count, inputs, rows, cols };
}

/** Labels from a .npy array: one class 0…255 per image (integers, or floats holding integers). */
export function npyLabels(a: NpyArray, path: string): Uint8Array {
  const fail = (what: string) => new UserError(`readNpy: ${path}: ${what}`);
  if (a.shape.length !== 1 && !(a.shape.length === 2 && a.shape[1] === 1))
    throw fail(`shape (${a.shape.join(', ')}) is not labels; expected one class number per image, shape (n,)`);
  const labels = new Uint8Array(a.data.length);
  for (let i = 0; i < a.data.length; i++) {
    const v = a.data[i];
    if (!(Number.isInteger(v) && v >= 0 && v <= 255))
      throw fail(`label ${v} at index ${i}; expected a class number, an integer 0…255`);
    labels[i] = v;
  }
  return labels;
}

/** A labelled split from a .npy pair (images uint8 or float32, n × inputs or n × rows × cols; integer labels). */
export function loadNpy(imagesPath: string, labelsPath: string): LabelledImages {
  const images = npyImages(parseNpy(readBytes(imagesPath, 'readNpy'), imagesPath), imagesPath);
  const labels = npyLabels(parseNpy(readBytes(labelsPath, 'readNpy'), labelsPath), labelsPath);
  if (labels.length !== images.count)
    throw new UserError(
      `readNpy: ${imagesPath} holds ${images.count} images but ${labelsPath} holds ${labels.length} labels; ` +
        `they must match`,
    );
  return { ...images, labels };
}

/** A labelled split from a CSV file in the "label, pixel0, …" layout (header row optional). */
export function loadCsv(path: string): LabelledImages {
  const { images, labels, count, inputs } = parseCsv(readBytes(path, 'readCsv'), path);
  return { images, labels, count, inputs, ...sides(inputs) };
}

/** Which of the supported layouts a --data directory holds: 'npy', 'csv', or 'idx' (the default). */
export function dataFormat(dir: string): 'npy' | 'csv' | 'idx' {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 'idx'; // the IDX reader names the problem
  }
  if (names.some((n) => Object.values(NPY_NAMES).some((re) => re.test(n)))) return 'npy';
  if (names.some((n) => CSV_NAMES.train.test(n) || CSV_NAMES.test.test(n))) return 'csv';
  return 'idx';
}

/** Finds the one file of `dir` matching `re`; `what` describes it in errors. */
function find(dir: string, names: string[], re: RegExp, what: string, expected: string): string {
  const matches = names.filter((n) => re.test(n));
  if (matches.length === 0) throw new UserError(`--data: ${dir} has no ${what}; expected ${expected}`);
  if (matches.length > 1)
    throw new UserError(`--data: ${dir} has several ${what}s (${matches.join(', ')}); keep one dataset per directory`);
  return join(dir, matches[0]);
}

/** As an IDX array, so that datasetFromIdx cross-checks it like IDX data: count × rows × cols bytes. */
function asIdx(split: LabelledImages, bytes: Uint8Array): { images: IdxArray; labels: IdxArray } {
  const images =
    split.images instanceof Uint8Array ? split.images : Uint8Array.from(split.images, (v) => Math.round(v * 255));
  return {
    images: { dims: [split.count, split.rows, split.cols], data: images, bytes },
    labels: { dims: [split.labels.length], data: split.labels, bytes },
  };
}

/**
 * A dataset from a directory of .npy pairs or CSV files. Float32 images are kept as bytes (round(v × 255)),
 * MNIST's precision, as every dataset is.
 */
export function loadArrayDataset(dir: string, format: 'npy' | 'csv', name = dir): Dataset {
  const names = readdirSync(dir);
  const files = {} as Record<Part, IdxArray>;
  const paths = {} as Record<Part, string>;
  const sha256 = {} as Record<Part, string>;
  const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  for (const split of ['train', 'test'] as const) {
    if (format === 'npy') {
      const expected =
        'a .npy pair per split: x_train.npy, y_train.npy, x_test.npy, y_test.npy (or train-images.npy, ' +
        'train-labels.npy, …)';
      const imagesPath = find(dir, names, NPY_NAMES[`${split}Images`], `${split} images .npy file`, expected);
      const labelsPath = find(dir, names, NPY_NAMES[`${split}Labels`], `${split} labels .npy file`, expected);
      const bytes = { images: readBytes(imagesPath, 'readNpy'), labels: readBytes(labelsPath, 'readNpy') };
      const images = npyImages(parseNpy(bytes.images, imagesPath), imagesPath);
      const labels = npyLabels(parseNpy(bytes.labels, labelsPath), labelsPath);
      const idx = asIdx({ ...images, labels }, bytes.images);
      Object.assign(files, {
        [`${split}Images`]: idx.images,
        [`${split}Labels`]: { ...idx.labels, bytes: bytes.labels },
      });
      Object.assign(paths, { [`${split}Images`]: imagesPath, [`${split}Labels`]: labelsPath });
      Object.assign(sha256, { [`${split}Images`]: hash(bytes.images), [`${split}Labels`]: hash(bytes.labels) });
    } else {
      const path = find(
        dir,
        names,
        CSV_NAMES[split],
        `${split} CSV file`,
        'train.csv and test.csv (or mnist_train.csv and mnist_test.csv), each row "label, pixel0, pixel1, …"',
      );
      const bytes = readBytes(path, 'readCsv');
      const { images, labels, count, inputs } = parseCsv(bytes, path);
      const idx = asIdx({ images, labels, count, inputs, ...sides(inputs) }, bytes);
      Object.assign(files, { [`${split}Images`]: idx.images, [`${split}Labels`]: idx.labels });
      Object.assign(paths, { [`${split}Images`]: path, [`${split}Labels`]: path });
      const digest = hash(bytes);
      Object.assign(sha256, { [`${split}Images`]: digest, [`${split}Labels`]: digest });
    }
  }
  const fingerprint = createHash('sha256').update(Object.values(sha256).join('')).digest('hex').slice(0, 16);
  return datasetFromIdx(files, paths, name, sha256, fingerprint);
}
