/**
 * Worker processes for sweeps: each is a forked Node process (child.ts) that owns its WebAssembly memory and
 * trains one job at a time with one thread. Processes rather than threads: a run that crashes or is killed takes
 * only its own process down, and the coordinator's event loop stays free for progress, Ctrl-C and the queue.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { RunEvents } from './execute.js';
import type { SweepJob } from './plan.js';

export interface ChildRequest {
  job: SweepJob;
}
export type ChildReply =
  | { kind: 'done'; runId: string; events: RunEvents }
  | { kind: 'failed'; runId: string; user: boolean; mismatch: boolean; message: string };

/** A job that did not finish: a user error (bad config, wrong data) or a crash of its process. */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly user: boolean,
    readonly mismatch = false,
  ) {
    super(message);
  }
}

// Under tsx (tests, `npm run` from src/) the entry is TypeScript; forked processes inherit tsx's --import flag.
const ENTRY = new URL(`./child${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export class RunnerProcess {
  private readonly child: ChildProcess;
  private pending: { resolve: (e: RunEvents) => void; reject: (err: Error) => void } | null = null;
  private exited = false;

  constructor() {
    this.child = fork(ENTRY, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: ChildReply) => {
      const p = this.pending;
      this.pending = null;
      if (m.kind === 'done') p?.resolve(m.events);
      else p?.reject(new JobFailure(m.message, m.user, m.mismatch));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const p = this.pending;
      this.pending = null;
      p?.reject(new JobFailure(`worker process exited (${signal ?? `code ${code}`}) during the run`, false));
    });
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  get alive(): boolean {
    return !this.exited;
  }

  run(job: SweepJob): Promise<RunEvents> {
    if (this.pending) throw new Error('RunnerProcess.run: already running a job');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send({ job } satisfies ChildRequest);
    });
  }

  /** Ends the process (a run in progress is lost; it was not logged). */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Ends the process once idle: closing the channel makes child.ts exit. */
  close(): void {
    if (!this.exited && this.child.connected) this.child.disconnect();
  }
}
