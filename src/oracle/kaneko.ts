/**
 * Kaneko's published XOR and parity tables (docs/ed-method.md, Oracles) and the runs that reproduce them: the
 * `kaneko` preset on task xor / parity (fixed pattern order, online, stop when an epoch's Σ|e| < 0.1, at most
 * 10,000 epochs), one run per seed, for each hidden width. Kaneko's mean is over the runs that converged; the
 * timed-out runs are counted apart. We report both that mean and one with every timeout counted as the maximum.
 */
import type { TrainInput } from '../train/config.js';
import { runTraining } from '../train/run.js';

export const ORACLE_HIDDEN = [2, 4, 8, 16, 32, 64, 128] as const;

/** One cell of Kaneko's table: mean epochs over converged runs (null: not reported) and timed-out runs per 100. */
export interface KanekoCell {
  mean: number | null;
  /** Timed-out runs out of 100; 'some' where the table marks X (some runs timed out, no mean given). */
  timeouts: number | 'some' | null;
}

const cell = (mean: number | null, timeouts: number | 'some' | null = mean === null ? null : 0): KanekoCell => ({
  mean,
  timeouts,
});
const X = cell(null, 'some');
const NONE = cell(null, null);

/** Kaneko's table, per number of bits (2 = XOR), for ORACLE_HIDDEN. */
export const KANEKO_TABLE: Record<number, KanekoCell[]> = {
  2: [cell(339.75, 37), cell(180.72, 1), cell(75.14), cell(28.0), cell(8.26), cell(5.97), cell(5.09)],
  3: [NONE, NONE, cell(162.79), cell(81.64), cell(22.53), cell(11.22), cell(10.04)],
  4: [NONE, NONE, X, cell(344.92), cell(111.17), cell(56.2), cell(30.54)],
  5: [NONE, NONE, X, X, X, cell(330.94), cell(217.62)],
};

export interface OracleRow {
  hidden: number;
  seeds: number;
  /** Runs that met the criterion, and the 1-based epoch at which each did (null: timed out), seed by seed. */
  converged: number;
  epochs: (number | null)[];
  timeouts: number;
  timeoutShare: number;
  /** Mean epochs over the converged runs (Kaneko's definition); null when every run timed out. */
  meanEpochs: number | null;
  /** Mean epochs with every timed-out run counted as maxEpochs. */
  meanWithTimeouts: number;
  maxEpochs: number;
  kaneko: KanekoCell;
}

export interface OracleInput {
  /** 2 bits is XOR. */
  bits: number;
  /** Runs per width, seeds 1 … seeds. */
  seeds: number;
  hidden: number;
  backend?: TrainInput['backend'];
}

/** Kaneko's protocol for one hidden width over seeds 1 … seeds. */
export function oracleRow({ bits, seeds, hidden, backend }: OracleInput): OracleRow {
  const epochs: (number | null)[] = [];
  let maxEpochs = 0;
  const task = bits === 2 ? 'xor' : 'parity';
  for (let seed = 1; seed <= seeds; seed++) {
    // Evaluated only at the end: convergence reads the training error, which evaluating does not change.
    const { header, result } = runTraining({
      preset: 'kaneko',
      task,
      bits: task === 'parity' ? bits : undefined,
      units: hidden,
      seed,
      threads: 1,
      backend,
      evalEvery: 1_000_000_000,
    });
    maxEpochs = header.config.train.epochs ?? 0;
    epochs.push(result.convergedEpoch);
  }
  const done = epochs.filter((e): e is number => e !== null);
  const timeouts = seeds - done.length;
  const sum = done.reduce((a, b) => a + b, 0);
  const index = ORACLE_HIDDEN.indexOf(hidden as (typeof ORACLE_HIDDEN)[number]);
  return {
    hidden,
    seeds,
    converged: done.length,
    epochs,
    timeouts,
    timeoutShare: timeouts / seeds,
    meanEpochs: done.length ? sum / done.length : null,
    meanWithTimeouts: (sum + timeouts * maxEpochs) / seeds,
    maxEpochs,
    kaneko: KANEKO_TABLE[bits]?.[index] ?? NONE,
  };
}
