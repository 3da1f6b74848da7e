/**
 * `edlearn worker`: takes sweep jobs from the queue, one at a time, and trains each in a worker process
 * (processes.ts), which keeps this process's event loop free to renew the job's lock while training runs.
 *
 * Stopping hands the run back: the training process is killed and the job moved back to the waiting list
 * untouched (no attempt spent), so that another worker takes it at once rather than after the lock expires.
 * A worker whose data does not match a job's fingerprint hands that job back the same way and stops.
 */
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { UserError } from '../errors.js';
import type { RunEvents } from './execute.js';
import type { SweepJob } from './plan.js';
import { JobFailure, RunnerProcess } from './processes.js';
import { connectionOf, pingRedis, QUEUE_NAME, type RedisTarget } from './queue.js';

export interface WorkerHooks {
  onJob?: (job: SweepJob) => void;
  onDone?: (job: SweepJob, events: RunEvents) => void;
  onFailed?: (job: SweepJob, message: string) => void;
  onHandedBack?: (job: SweepJob) => void;
}

export interface QueueWorker {
  /** Settles when the worker stopped: rejects with the UserError of a dataset mismatch. */
  closed: Promise<void>;
  /** Ctrl-C: stop taking jobs, hand the run in progress back to the queue, close. */
  stop(): Promise<void>;
}

/** Bounds of --lock-seconds: below 1 s a busy machine loses locks; above a day a dead worker's run waits a day. */
export const LOCK_SECONDS = { min: 1, max: 86_400 };

const never = new Promise<never>(() => {});

/**
 * `lockSeconds`: how long a job stays with a worker that stopped answering before it is given to another; the
 * lock is renewed every lockSeconds / 2 while the worker lives.
 */
export async function startWorker(t: RedisTarget, lockSeconds: number, hooks: WorkerHooks = {}): Promise<QueueWorker> {
  if (!Number.isInteger(lockSeconds) || lockSeconds < LOCK_SECONDS.min || lockSeconds > LOCK_SECONDS.max) {
    throw new UserError(
      `--lock-seconds ${lockSeconds}: expected an integer ${LOCK_SECONDS.min}…${LOCK_SECONDS.max} (seconds ` +
        `before the run of a silent worker goes to another)`,
    );
  }
  await pingRedis(t);
  let runner = new RunnerProcess();
  let stopping = false;
  let refusal: UserError | null = null;
  /** The job being trained and the processor's promise that it has been handed back. */
  let current: { job: Job<SweepJob, RunEvents>; handedBack: Promise<void> } | null = null;
  let markHandedBack = () => {};

  const handBack = async (job: Job<SweepJob, RunEvents>, token: string | undefined) => {
    try {
      await job.moveToWait(token);
      hooks.onHandedBack?.(job.data);
    } catch {
      // The lock was lost (Redis restarted, or the lock expired): the stalled-job check returns the job instead.
    }
  };

  const worker = new Worker<SweepJob, RunEvents>(
    QUEUE_NAME,
    async (job, token) => {
      if (stopping) {
        await handBack(job, token);
        return never;
      }
      let resolveBack = () => {};
      current = { job, handedBack: new Promise<void>((r) => (resolveBack = r)) };
      markHandedBack = resolveBack;
      hooks.onJob?.(job.data);
      try {
        const events = await runner.run(job.data);
        hooks.onDone?.(job.data, events);
        return events;
      } catch (err) {
        const mismatch = err instanceof JobFailure && err.mismatch;
        if (stopping || mismatch) {
          if (mismatch) {
            // Not the run's fault: it goes back untouched for a worker with the right data, and this one stops.
            refusal = new UserError((err as Error).message);
            void stop();
          }
          await handBack(job, token);
          resolveBack();
          // Settling now would let BullMQ fetch the next job; the worker is closing instead.
          return never;
        }
        const message = (err as Error).message;
        hooks.onFailed?.(job.data, message);
        if (!(err instanceof JobFailure)) throw err;
        if (err.user) throw new UnrecoverableError(message);
        if (!runner.alive) runner = new RunnerProcess();
        throw err;
      } finally {
        current = null;
      }
    },
    {
      connection: connectionOf(t),
      concurrency: 1,
      lockDuration: lockSeconds * 1000,
      stalledInterval: lockSeconds * 1000,
      maxStalledCount: 2,
      autorun: false,
    },
  );
  worker.on('error', () => {});
  await worker.waitUntilReady();
  void worker.run();

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      const active = current;
      runner.kill();
      // The processor hands the job back once its training process has exited; give Redis a few seconds.
      if (active) await Promise.race([active.handedBack, new Promise((r) => setTimeout(r, 5000).unref())]);
      markHandedBack();
      await worker.close(true);
    })();
    return stopped;
  };
  const closed = new Promise<void>((resolve) => worker.once('closed', () => resolve())).then(async () => {
    await stop();
    if (refusal) throw refusal;
  });
  return { closed, stop };
}
