/** Runs an experiment's sweep file through the local executor, appending every run to `<logDir>/<id>.ndjson`. */
import { join } from 'node:path';
import { readSweepFile } from '../sweep/file.js';
import { localExecutorFor } from '../sweep/local.js';
import { planSweep } from '../sweep/plan.js';
import { runSweep, type SweepOutcome, type SweepProgress } from '../sweep/run.js';
import type { Experiment } from './grids.js';

export interface ExperimentRunOptions {
  /** Worker processes (default: every core). */
  workers?: number;
  onProgress?: (p: SweepProgress) => void;
}

/** Resumes the log if it holds some of the runs already; returns the log's path and the session's summary. */
export async function runExperiment(
  exp: Experiment,
  logDir: string,
  options: ExperimentRunOptions = {},
): Promise<{ path: string } & SweepOutcome> {
  const path = join(logDir, `${exp.id}.ndjson`);
  const plan = planSweep(readSweepFile(exp.file));
  const outcome = await runSweep(plan, path, localExecutorFor(plan, options.workers), options.onProgress);
  return { path, ...outcome };
}
