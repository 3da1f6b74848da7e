/** The local executor: a pool of worker processes (processes.ts) on this machine, each training one job at a time. */
import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';
import { JobFailure, RunnerProcess } from './processes.js';
import type { Executor, JobCallbacks } from './run.js';
import type { SweepJob, SweepPlan } from './plan.js';

export class LocalExecutor implements Executor {
  readonly kind = 'local';
  private processes: RunnerProcess[] = [];
  private stopped = false;

  constructor(readonly workers: number) {}

  async run(jobs: SweepJob[], on: JobCallbacks): Promise<void> {
    const queue = [...jobs];
    this.processes = Array.from({ length: Math.min(this.workers, queue.length) }, () => new RunnerProcess());
    const loop = async (p: RunnerProcess) => {
      for (let job = queue.shift(); job && !this.stopped; job = queue.shift()) {
        on.started(job);
        try {
          on.finished(job, await p.run(job));
        } catch (err) {
          if (this.stopped) return;
          throw err instanceof JobFailure && err.user ? new UserError(err.message) : err;
        }
      }
    };
    try {
      await Promise.all(this.processes.map(loop));
    } finally {
      // On a failure the other runs are abandoned: a sweep with one impossible run is a mistake to fix first.
      for (const p of this.processes) p.kill();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const p of this.processes) p.kill();
  }
}

/** The pool for `plan`: `requested` processes (default: every core), no more than the sweep file allows. */
export function localExecutorFor(plan: SweepPlan, requested = availableParallelism()): LocalExecutor {
  return new LocalExecutor(Math.min(requested, plan.spec.workers ?? requested));
}
