/**
 * `edlearn worker`: takes sweep jobs from the queue, one at a time, and trains each in a worker process
 * (processes.ts), which keeps this process's event loop free to renew the job's lock while training runs.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import { UserError } from '../errors.js';
import type { RunEvents } from './execute.js';
import type { SweepJob } from './plan.js';
import { JobFailure, RunnerProcess } from './processes.js';
import { connectionOf, pingRedis, QUEUE_NAME, type RedisTarget } from './queue.js';

export interface WorkerHooks {
  onJob?: (job: SweepJob) => void;
  onDone?: (job: SweepJob, events: RunEvents) => void;
  onFailed?: (job: SweepJob, message: string) => void;
}

export interface QueueWorker {
  /** Settles when the worker stops: rejects with the UserError of a dataset mismatch. */
  closed: Promise<void>;
  /** Ctrl-C: stop taking jobs; a run in progress is abandoned and goes back to the queue once its lock expires. */
  stop(): Promise<void>;
}

/**
 * `lockSeconds`: how long a job stays with a worker that stopped answering before it is given to another; the
 * lock is renewed every lockSeconds / 2 while the worker lives.
 */
export async function startWorker(t: RedisTarget, lockSeconds: number, hooks: WorkerHooks = {}): Promise<QueueWorker> {
  await pingRedis(t);
  let runner = new RunnerProcess();
  let refuse: ((err: UserError) => void) | null = null;
  const refused = new Promise<never>((_, reject) => {
    refuse = reject;
  });
  refused.catch(() => {});
  const worker = new Worker<SweepJob, RunEvents>(QUEUE_NAME, async (job) => {
    hooks.onJob?.(job.data);
    try {
      const events = await runner.run(job.data);
      hooks.onDone?.(job.data, events);
      return events;
    } catch (err) {
      const message = (err as Error).message;
      hooks.onFailed?.(job.data, message);
      if (!(err instanceof JobFailure)) throw err;
      if (err.mismatch) {
        // Not the run's fault: it goes back to the queue for a worker with the right data, and this one stops.
        refuse!(new UserError(message));
        throw new Error(message);
      }
      if (err.user) throw new UnrecoverableError(message);
      if (!runner.alive) runner = new RunnerProcess();
      throw err;
    }
  }, { connection: connectionOf(t), concurrency: 1, lockDuration: lockSeconds * 1000, stalledInterval: lockSeconds * 1000, maxStalledCount: 2, autorun: false });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  void worker.run();
  const stop = async () => {
    runner.kill();
    await worker.close(true);
  };
  const closed = Promise.race([refused, new Promise<void>((done) => worker.once('closed', () => done()))]).finally(async () => {
    await stop();
  });
  return { closed, stop };
}
