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
  /** 1 + the largest label. */
  classes: number;
  train: ImageSet;
  test: ImageSet;
  /** SHA-256 of each (decompressed) file, as the loader computed it. */
  sha256: Record<Part, string>;
  /** Short hash over the four files: identifies the data in logs and model files. */
  fingerprint: string;
}

/** Cross-checks the four arrays; `names` (file names) and `name` appear in error messages and logs. */
export function datasetFromIdx(files: Record<Part, IdxArray>, names: Record<Part, string>, name: string,
  sha256: Record<Part, string>, fingerprint: string): Dataset {
  const train = imageSet(files.trainImages, files.trainLabels, names.trainImages, names.trainLabels);
  const test = imageSet(files.testImages, files.testLabels, names.testImages, names.testLabels);
  const [, rows, cols] = files.trainImages.dims;
  const [, testRows, testCols] = files.testImages.dims;
  check(rows === testRows && cols === testCols,
    `--data: ${name}: training images are ${rows}×${cols} but test images are ${testRows}×${testCols}; both must have the same size`);
  let maxLabel = 0;
  for (const set of [train, test]) for (const l of set.labels) maxLabel = Math.max(maxLabel, l);
  return { name, rows, cols, classes: maxLabel + 1, train, test, sha256, fingerprint };
}

function imageSet(images: IdxArray, labels: IdxArray, imagesPath: string, labelsPath: string): ImageSet {
  check(images.dims.length === 3, `readIdx: ${imagesPath}: expected 3 dimensions (count × rows × cols), got ${images.dims.length}; is this an images file?`);
  check(labels.dims.length === 1, `readIdx: ${labelsPath}: expected 1 dimension (count), got ${labels.dims.length}; is this a labels file?`);
  check(images.dims[0] === labels.dims[0],
    `--data: ${imagesPath} holds ${images.dims[0]} images but ${labelsPath} holds ${labels.dims[0]} labels; they must match`);
  check(images.dims[0] > 0, `readIdx: ${imagesPath}: holds no images`);
  return { images: images.data, labels: labels.data, count: images.dims[0] };
}

