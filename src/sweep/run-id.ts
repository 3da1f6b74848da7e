/**
 * Content-addressed run ids. A run's id is the hash of what decides its numbers: the resolved config (rule
 * options after the preset, task, split, training settings, seed, requested backend) with
 * - `threads` left out: a sweep trains with one thread per run, and the thread count does not change results;
 * - the data directory replaced by the dataset's fingerprint (SHA-256 of its four files): the same files under
 *   another path, or on another machine, are the same run; other files at the same path are not.
 * The edlearn version is not in it, so that a sweep resumes across releases; a change that alters the numbers
 * of an unchanged config bumps RUN_ID_SCHEME instead.
 */
import { createHash } from 'node:crypto';
import type { RunConfig } from '../train/config.js';

/**
 * /2: online training of the plain rule keeps its first layer stacked (W⁺ + W⁻ and W⁺, W⁻ derived), which moves
 * the float rounding of batch-1 runs; runs logged under /1 are not reused for them or for any other.
 */
export const RUN_ID_SCHEME = 'edlearn-run/2';

/** JSON with object keys sorted at every depth and undefined fields dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the id hashes (see above). */
export function identity(config: RunConfig, fingerprint: string): unknown {
  const { threads: _threads, ...rest } = config;
  return { scheme: RUN_ID_SCHEME, ...rest, task: { ...config.task, data: fingerprint } };
}

/** 20 hex digits (80 bits) of SHA-256: collisions are out of reach for any number of runs a lab makes. */
export function runId(config: RunConfig, fingerprint: string): string {
  return createHash('sha256')
    .update(canonicalJson(identity(config, fingerprint)))
    .digest('hex')
    .slice(0, 20);
}
