/**
 * Which file is which of the four standard IDX files, by name alone. Browser-safe: the CLI matches a
 * directory's listing (dataset.ts), the lab the files a user picked.
 */
import type { Part } from './idx-dataset.js';

export const PARTS = {
  trainImages: ['train-images', 'idx3-ubyte'],
  trainLabels: ['train-labels', 'idx1-ubyte'],
  testImages: ['t10k-images', 'idx3-ubyte'],
  testLabels: ['t10k-labels', 'idx1-ubyte'],
} as const;

export const PART_NAMES = Object.keys(PARTS) as Part[];

/** "train-images-idx3-ubyte": the name a part goes by in messages. */
export function standardName(part: Part): string {
  return PARTS[part].join('-');
}

export interface IdxNameMatch {
  /** The names that match the part, sorted. */
  matches: string[];
  /** Several distinct files match (not just a raw and a .gz copy of one): the caller must refuse. */
  ambiguous: boolean;
  /** The name to read, the uncompressed copy when both are present; undefined when none matches or ambiguous. */
  chosen?: string;
}

/**
 * Matches names to parts: a name ending with e.g. "train-images-idx3-ubyte" or "train-images.idx3-ubyte",
 * optionally ".gz", so EMNIST's "emnist-letters-train-images-idx3-ubyte.gz" is found too. EMNIST calls its test
 * files "test-*", so "test" is accepted in place of "t10k".
 */
export function matchIdxNames(names: readonly string[]): Record<Part, IdxNameMatch> {
  const result = {} as Record<Part, IdxNameMatch>;
  for (const part of PART_NAMES) {
    const [stem, kind] = PARTS[part];
    const stems = stem.startsWith('t10k') ? [stem, stem.replace('t10k', 'test')] : [stem];
    const pattern = new RegExp(`(^|[-_.])(${stems.join('|')})[-.]${kind}(\\.gz)?$`);
    const matches = names.filter((n) => pattern.test(n)).sort();
    const ambiguous = new Set(matches.map((n) => n.replace(/\.gz$/, ''))).size > 1;
    const chosen = ambiguous ? undefined : (matches.find((n) => !n.endsWith('.gz')) ?? matches[0]);
    result[part] = { matches, ambiguous, chosen };
  }
  return result;
}
