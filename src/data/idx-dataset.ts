/**
 * A labelled image dataset from its four IDX arrays (train/test × images/labels), checked against each other.
 * Browser-safe: reading the files and hashing them is the caller's job (dataset.ts in Node).
 */
import { check } from '../errors.js';
import type { IdxArray } from './idx-parse.js';

export type Part = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface ImageSet {
  /** count × rows × cols bytes. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface Dataset {
  name: string;
  rows: number;
  cols: number;
  /** 1 + the largest label (checked: every class below it but perhaps 0 occurs in the training labels). */
  classes: number;
  train: ImageSet;
  test: ImageSet;
  /** SHA-256 of each (decompressed) file, as the loader computed it. */
  sha256: Record<Part, string>;
  /** Short hash over the four files: identifies the data in logs and model files. */
  fingerprint: string;
}

/** Cross-checks the four arrays; `names` (file names) and `name` appear in error messages and logs. */
export function datasetFromIdx(
  files: Record<Part, IdxArray>,
  names: Record<Part, string>,
  name: string,
  sha256: Record<Part, string>,
  fingerprint: string,
): Dataset {
  const train = imageSet(files.trainImages, files.trainLabels, names.trainImages, names.trainLabels);
  const test = imageSet(files.testImages, files.testLabels, names.testImages, names.testLabels);
  const [, rows, cols] = files.trainImages.dims;
  const [, testRows, testCols] = files.testImages.dims;
  check(
    rows === testRows && cols === testCols,
    `--data: ${name}: training images are ${rows}×${cols} but test images are ${testRows}×${testCols}; both ` +
      `must have the same size`,
  );
  const classes = checkLabels(train.labels, test.labels, names.trainLabels, names.testLabels);
  return { name, rows, cols, classes, train, test, sha256, fingerprint };
}

/**
 * The number of classes, after checking that the labels are plausible: the training labels must hold every class
 * of a range lo…C−1 that starts at 0 (or 1: EMNIST letters numbers its classes 1…26), and the test labels must
 * lie in it. Without this a single stray byte (255 in a 10-class set) makes a 256-class task.
 */
function checkLabels(train: Uint8Array, test: Uint8Array, trainPath: string, testPath: string): number {
  const counts = new Uint32Array(256);
  for (const l of train) counts[l]++;
  let lo = 0;
  while (counts[lo] === 0) lo++; // the training set is not empty
  let hi = lo;
  while (hi < 255 && counts[hi + 1] > 0) hi++;
  const range = lo === hi ? `class ${lo}` : `classes ${lo}…${hi}`;
  check(
    lo <= 1,
    () =>
      `--data: ${trainPath}: label ${train[0]} at index 0: the smallest training label is ${lo}; labels must ` +
      `number the classes from 0 (or 1, like EMNIST letters) — is this a labels file?`,
  );
  const stray = train.findIndex((l) => l > hi);
  check(
    stray < 0,
    () =>
      `--data: ${trainPath}: label ${train[stray]} at index ${stray} is implausible: the other training ` +
      `labels hold ${range}, and ${hi + 1}…${train[stray] - 1} never occur; labels must be ${lo}…C−1 with every ` +
      `class present — fix or remove that label`,
  );
  const strayTest = test.findIndex((l) => l < lo || l > hi);
  check(
    strayTest < 0,
    () =>
      `--data: ${testPath}: label ${test[strayTest]} at index ${strayTest} is not a class of the training ` +
      `labels (${range}); test labels must be classes the training set holds`,
  );
  return hi + 1;
}

function imageSet(images: IdxArray, labels: IdxArray, imagesPath: string, labelsPath: string): ImageSet {
  check(
    images.dims.length === 3,
    `readIdx: ${imagesPath}: expected 3 dimensions (count × rows × cols), got ${images.dims.length}; is this ` +
      `an images file?`,
  );
  check(
    labels.dims.length === 1,
    `readIdx: ${labelsPath}: expected 1 dimension (count), got ${labels.dims.length}; is this a labels file?`,
  );
  check(
    images.dims[0] === labels.dims[0],
    `--data: ${imagesPath} holds ${images.dims[0]} images but ${labelsPath} holds ${labels.dims[0]} labels; ` +
      `they must match`,
  );
  check(images.dims[0] > 0, `readIdx: ${imagesPath}: holds no images`);
  return { images: images.data, labels: labels.data, count: images.dims[0] };
}
