/**
 * The seed article's experiments (the article that sped ED up and compared it with Keras backprop) and the
 * ablations, as sweep files in sweeps/article/ run by the sweep machinery: MNIST 4 vs 9 (and 10-class for the
 * kaneko-mnist ones); curves are validation accuracy (a stratified sixth held out of the training files) against
 * the number of updates; the test files are read once per run, at the end, and the verdicts (conclusions.ts)
 * compare those test accuracies at each run's validation-selected point. Each cell of a sweep is a curve; every
 * curve runs for each seed. Where the article gives no value, the choice is stated in the file's `note`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSweepFile, type SweepSpec } from '../sweep/file.js';
import type { TrainInput } from '../train/config.js';
import { EXPERIMENT_IDS as IDS } from './ids.js';

export interface ExperimentCurve {
  curve: string;
  rule: 'ed' | 'backprop';
  panel?: string;
  param?: { name: string; value: number | string };
  input: TrainInput;
}

export interface Experiment {
  id: string;
  title: string;
  /** The seed article's conclusion, word for word (the report prints it beside ours). */
  claim: string;
  /** Settings the article fixes (the sweep's base). */
  fixed: TrainInput;
  /** Our choices where the article is silent. */
  note: string;
  seeds: number[];
  curves: ExperimentCurve[];
  /** Part of `edlearn experiment all` (the long 10-class runs are run by name). */
  inAll?: boolean;
  /** The sweep file it is read from. */
  file: string;
}

/** Where the article's sweep files are: the same relative place from src/ and from dist/. */
export const ARTICLE_SWEEPS = fileURLToPath(new URL('../../sweeps/article/', import.meta.url));

function experimentOf(spec: SweepSpec): Experiment {
  return {
    id: spec.id,
    title: spec.title ?? spec.id,
    claim: spec.claim ?? '',
    note: spec.note ?? '',
    fixed: spec.base,
    seeds: spec.seeds,
    inAll: spec.all,
    file: spec.file,
    curves: spec.cells.map((c) => {
      const input = { ...spec.base, ...c.set };
      return {
        curve: c.label,
        rule: input.rule ?? 'ed',
        ...(c.panel ? { panel: c.panel } : {}),
        ...(c.param ? { param: c.param } : {}),
        input,
      };
    }),
  };
}

export const EXPERIMENTS: Experiment[] = IDS.map((id) =>
  experimentOf(readSweepFile(join(ARTICLE_SWEEPS, `${id}.yaml`))),
);

export const EXPERIMENT_IDS = EXPERIMENTS.map((e) => e.id);
/** What `edlearn experiment all` runs. */
export const ALL_IDS = EXPERIMENTS.filter((e) => e.inAll !== false).map((e) => e.id);
