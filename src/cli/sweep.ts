/**
 * `edlearn sweep FILE` and `edlearn worker`: parse-free — typed options in, progress on stderr, a summary on stdout.
 */
import { basename, extname } from 'node:path';
import { UserError } from '../errors.js';
import { readSweepFile } from '../sweep/file.js';
import { localExecutorFor } from '../sweep/local.js';
import { planSweep, type SweepPlan } from '../sweep/plan.js';
import { parseQueueUrl, QUEUE_NAME, QueueExecutor, queueStatus } from '../sweep/queue.js';
import { type Executor, interrupted, runSweep, type SweepOutcome, type SweepProgress } from '../sweep/run.js';
import { startWorker } from '../sweep/worker.js';

export interface SweepCommandOptions {
  /** Worker processes (default: every core); ignored with --queue. */
  workers?: number;
  /** NDJSON log (default: <sweep id>.ndjson here). */
  log?: string;
  /** redis://HOST:PORT[/DB]: enqueue for `edlearn worker` processes instead of training here. */
  queue?: string;
  status?: boolean;
  quiet?: boolean;
}

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const clock = (s: number) =>
  s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
    : s >= 60
      ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
      : `${Math.round(s)} s`;

/** One status line: a rewritten line on a terminal, a line per finished run otherwise. */
export function progressLine(p: SweepProgress): string {
  const eta = p.eta === null ? '' : ` · ETA ${clock(p.eta)}`;
  const best = p.best ? ` · best validation ${pct(p.best.accuracy)} (${p.best.run})` : '';
  return `[${p.done}/${p.total}] running ${p.running.length}${eta}${best}`;
}

function printer(quiet: boolean): (p: SweepProgress) => void {
  if (quiet) return () => {};
  const tty = process.stderr.isTTY;
  return (p) => {
    if (tty) process.stderr.write(`\r\x1b[K${progressLine(p)}`);
    else if (p.finished)
      process.stderr.write(
        `${p.finished.run}: validation ${pct(p.finished.validation)} · ${p.finished.seconds.toFixed(2)} s ` +
          `training · ${progressLine(p)}\n`,
      );
  };
}

/** Runs `plan` with `executor`; Ctrl-C stops the executor and exits 130 with the log resumable. */
export async function executeSweep(
  plan: SweepPlan,
  log: string,
  executor: Executor,
  quiet = false,
): Promise<SweepOutcome> {
  let stopped: NodeJS.Signals | null = null;
  const onSigint = (signal: NodeJS.Signals) => {
    stopped = signal;
    void executor.stop();
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    return await runSweep(plan, log, executor, printer(quiet));
  } catch (err) {
    throw stopped ? interrupted(log, stopped === 'SIGTERM' ? 143 : 130) : err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    if (!quiet && process.stderr.isTTY) process.stderr.write('\n');
  }
}

export async function sweepCommand(
  file: string,
  options: SweepCommandOptions,
  out: (text: string) => void = console.log,
): Promise<void> {
  const target = options.queue === undefined ? null : parseQueueUrl(options.queue);
  if (options.status && !target)
    throw new UserError('--status needs --queue redis://HOST:PORT[/DB]: it reports the queue of a distributed sweep');
  const plan = planSweep(readSweepFile(file));
  if (target && options.status) {
    const s = await queueStatus(plan, target);
    out(
      `${plan.spec.id}: ${plan.jobs.length} runs · queued ${s.queued} · active ${s.active} · done ${s.done} · ` +
        `failed ${s.failed} · not queued ${s.absent} · ${s.workers} worker${s.workers === 1 ? '' : 's'} connected`,
    );
    for (const r of s.reasons) out(`  failed: ${r}`);
    return;
  }
  const log = options.log ?? `${basename(file, extname(file))}.ndjson`;
  const executor = target ? new QueueExecutor(target) : localExecutorFor(plan, options.workers);
  const { session, repaired } = await executeSweep(plan, log, executor, options.quiet);
  if (repaired)
    out(`${log}: dropped ${repaired} line${repaired === 1 ? '' : 's'} of an interrupted run before resuming`);
  out(
    `${plan.spec.id}: ${session.points} runs (${session.trained} trained, ${session.resumed} already in the ` +
      `log, ${session.copied} copied from a run with the same id) in ${session.seconds.toFixed(1)} s ` +
      `on ${session.workers} ${executor.kind === 'local' ? 'worker processes' : 'queue workers'}; log: ${log}`,
  );
}

export interface WorkerCommandOptions {
  queue: string;
  /** Seconds before the job of a worker that stopped answering goes to another (default 30). */
  lockSeconds?: number;
  quiet?: boolean;
}

export async function workerCommand(options: WorkerCommandOptions): Promise<void> {
  const target = parseQueueUrl(options.queue);
  const say = (text: string) => {
    if (!options.quiet) process.stderr.write(`${text}\n`);
  };
  const worker = await startWorker(target, options.lockSeconds ?? 30, {
    onJob: (job) => say(`worker: training ${job.label} (${job.runId})`),
    onDone: (job, e) =>
      say(
        `worker: done ${job.runId}: validation ${pct(e.end.selected.validationAccuracy)} ` +
          `· ${e.end.trainSeconds.toFixed(2)} s`,
      ),
    onFailed: (job, message) => say(`worker: failed ${job.runId}: ${message.split('\n')[0]}`),
    onHandedBack: (job) => say(`worker: handed ${job.runId} back to the queue`),
  });
  say(`worker: waiting for jobs on ${target.url} (queue ${QUEUE_NAME}); Ctrl-C stops`);
  let signal: NodeJS.Signals | null = null;
  const stop = (s: NodeJS.Signals) => {
    // A second signal while handing back means "now".
    if (signal) process.exit(SIGNAL_CODES[s]);
    signal = s;
    say(`worker: ${s}: stopping; the run in progress goes back to the queue (${s} again to quit at once)`);
    void worker.stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await worker.closed;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
  if (signal) throw new UserError(`worker stopped (${signal})`, SIGNAL_CODES[signal]);
}

/** 128 + the signal's number, as a shell reports a command a signal ended. */
const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> & Record<'SIGINT' | 'SIGTERM', number> = {
  SIGINT: 130,
  SIGTERM: 143,
};
