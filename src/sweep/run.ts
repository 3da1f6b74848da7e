/**
 * Runs a planned sweep with an executor: resume from the log, train what is missing, append each finished run's
 * block(s), close the session with a `sweep` event. The executors only train jobs; this file owns the log, so
 * that both write the same log.
 */
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import type { RunEvents } from './execute.js';
import type { SessionEvent } from '../log/events.js';
import { checkNotInput } from '../io.js';
import { lockLog } from '../log/lock.js';
import { appendToLog, blockOf, openSweepLog } from './log.js';
import type { SweepJob, SweepPlan, SweepPoint } from './plan.js';

export interface JobCallbacks {
  started(job: SweepJob): void;
  finished(job: SweepJob, events: RunEvents): void;
}

/** Trains jobs somewhere; run() settles when every job finished (or rejects on the first failure or a stop). */
export interface Executor {
  readonly kind: 'local' | 'queue';
  /** Processes training at once (the local pool's size; for a queue, the workers seen so far). */
  readonly workers: number;
  run(jobs: SweepJob[], on: JobCallbacks): Promise<void>;
  /** Ctrl-C: stop at once; runs in progress are lost (they were not logged) and are redone on resume. */
  stop(): Promise<void>;
}

export interface SweepProgress {
  done: number;
  total: number;
  running: string[];
  /** Seconds left at this session's pace, or null before the first run finished. */
  eta: number | null;
  /** Best validation accuracy (at each run's validation-selected point) so far, and its run. */
  best: { accuracy: number; run: string } | null;
  /** The run that just finished, if any. */
  finished?: { run: string; validation: number; seconds: number };
}

export interface SweepOutcome {
  session: SessionEvent;
  /** Lines of an interrupted run dropped from the log before resuming. */
  repaired: number;
}

export async function runSweep(
  plan: SweepPlan,
  log: string,
  executor: Executor,
  onProgress: (p: SweepProgress) => void = () => {},
): Promise<SweepOutcome> {
  const started = performance.now();
  checkNotInput(log, plan.spec.file, 'the sweep file');
  const unlock = lockLog(log, `edlearn sweep ${plan.spec.file}${executor.kind === 'queue' ? ' --queue' : ''}`);
  try {
    return await runLocked(plan, log, executor, onProgress, started);
  } finally {
    unlock();
  }
}

async function runLocked(
  plan: SweepPlan,
  log: string,
  executor: Executor,
  onProgress: (p: SweepProgress) => void,
  started: number,
): Promise<SweepOutcome> {
  const state = openSweepLog(log, new Set(plan.points.map((p) => p.run)));
  const byId = new Map<string, SweepPoint[]>();
  for (const p of plan.points) if (!state.done.has(p.run)) byId.set(p.runId, [...(byId.get(p.runId) ?? []), p]);
  const resumed = plan.points.length - [...byId.values()].reduce((n, ps) => n + ps.length, 0);
  let done = resumed;
  let copied = 0;
  let best: SweepProgress['best'] = null;
  const running = new Map<string, string>();
  let sessionDone = 0;
  const progress = (finished?: SweepProgress['finished']) => {
    const elapsed = (performance.now() - started) / 1000;
    const left = plan.points.length - done;
    onProgress({
      done,
      total: plan.points.length,
      running: [...running.values()],
      eta: sessionDone ? (elapsed / sessionDone) * left : null,
      best,
      finished,
    });
  };
  const record = (points: SweepPoint[], events: RunEvents) => {
    appendToLog(log, points.map((p) => blockOf(p, events)).join(''));
    done += points.length;
    const accuracy = events.end.selected?.validationAccuracy ?? events.end.bestValAccuracy;
    if (!best || accuracy > best.accuracy) best = { accuracy, run: points[0].run };
  };
  // Points whose run id finished under another label (another sweep, a renamed cell) are copied, not retrained.
  for (const [id, points] of byId) {
    const events = state.results.get(id);
    if (!events) continue;
    record(points, events);
    copied += points.length;
    byId.delete(id);
  }
  const jobs = plan.jobs.filter((j) => byId.has(j.runId));
  progress();
  await executor.run(jobs, {
    started(job) {
      running.set(job.runId, job.label);
      progress();
    },
    finished(job, events) {
      const points = byId.get(job.runId);
      running.delete(job.runId);
      // A run reported twice (a queue redelivering after a stall) is logged once.
      if (!points) return;
      byId.delete(job.runId);
      record(points, events);
      sessionDone += points.length;
      progress({
        run: points[0].run,
        validation: events.end.selected?.validationAccuracy ?? NaN,
        seconds: events.end.trainSeconds,
      });
    },
  });
  if (byId.size > 0) throw new Error(`sweep: ${byId.size} runs were neither trained nor failed; this is a bug`);
  const session: SessionEvent = {
    event: 'sweep',
    sweep: plan.spec.id,
    executor: executor.kind,
    workers: executor.workers,
    points: plan.points.length,
    trained: jobs.length,
    resumed,
    copied,
    seconds: (performance.now() - started) / 1000,
    time: new Date().toISOString(),
    version: VERSION,
  };
  // A session that found everything done leaves the log as it was.
  if (jobs.length + copied > 0) appendToLog(log, JSON.stringify(session) + '\n');
  return { session, repaired: state.dropped };
}

/** The error an interrupted sweep ends with: exit code 130 (Ctrl-C) or 143 (SIGTERM), as a shell reports them. */
export function interrupted(log: string, code = 130): UserError {
  return new UserError(`sweep interrupted; finished runs are in ${log} — run the same command again to resume`, code);
}
