/**
 * A pool of worker threads over shared memory, for work that splits into independent items (the class networks
 * of a multi-class ED model). Each job hands item ranges to the threads (the calling thread takes the first);
 * synchronisation is a generation counter and a done counter in a SharedArrayBuffer: spin briefly, then
 * Atomics.wait. The pool knows nothing of what an item is: the worker script does.
 */
import { Worker } from 'node:worker_threads';

/** Control block slots (Int32). Slots from PARAMS on are the job's parameters, written by the caller. */
export const SLOT = { generation: 0, done: 1, stop: 2, count: 3, threads: 4, ready: 5, failed: 6 } as const;
export const PARAMS = 8;
export const CONTROL_INTS = 32;
const SPINS = 20000;
const START_TIMEOUT_MS = 30000;

/** The contiguous range of items [from, to) of thread t out of `threads` (thread 0 is the caller). */
export function itemRange(count: number, threads: number, t: number): [number, number] {
  const base = Math.floor(count / threads);
  const extra = count % threads;
  const from = t * base + Math.min(t, extra);
  return [from, from + base + (t < extra ? 1 : 0)];
}

/** Waits until control[slot] differs from `value`: spin first (cheap when the other side is quick), then sleep. */
export function waitWhileEqual(control: Int32Array, slot: number, value: number): void {
  for (let i = 0; i < SPINS; i++) if (Atomics.load(control, slot) !== value) return;
  while (Atomics.load(control, slot) === value) Atomics.wait(control, slot, value, 50);
}

export class WorkerPool {
  readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
  private readonly workers: Worker[] = [];

  private started = false;

  /** Starts threads − 1 workers running `script` with `data` (plus the control block) as workerData. */
  constructor(
    readonly threads: number,
    script: URL,
    data: Record<string, unknown>,
  ) {
    this.control[SLOT.threads] = threads;
    // A TypeScript entry (running from src/ under tsx) goes through a bootstrap that registers tsx in the worker.
    const ts = script.pathname.endsWith('.ts');
    const entry = ts ? new URL('./tsx-worker.mjs', import.meta.url) : script;
    for (let t = 1; t < threads; t++) {
      const worker = new Worker(entry, {
        workerData: { ...data, control: this.control, thread: t, tsEntry: ts ? script.href : undefined },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Blocks until every worker has attached (done once); a worker that cannot start is an error, not a hang. */
  awaitStart(): void {
    if (this.started) return;
    const deadline = Date.now() + START_TIMEOUT_MS;
    let ready = Atomics.load(this.control, SLOT.ready);
    while (ready < this.threads - 1) {
      if (Date.now() > deadline)
        throw new Error(
          `WorkerPool: only ${ready} of ${this.threads - 1} worker threads started within ${START_TIMEOUT_MS / 1000} s`,
        );
      Atomics.wait(this.control, SLOT.ready, ready, 100);
      ready = Atomics.load(this.control, SLOT.ready);
    }
    this.started = true;
  }

  /**
   * Runs items [0, count) split over the threads: the workers read `params` from the control block, this thread
   * runs its own share through `local`. Returns when every thread is done.
   */
  run(count: number, params: number[], local: (from: number, to: number) => void): void {
    this.awaitStart();
    const c = this.control;
    for (let i = 0; i < params.length; i++) c[PARAMS + i] = params[i];
    c[SLOT.count] = count;
    Atomics.store(c, SLOT.done, 0);
    Atomics.add(c, SLOT.generation, 1);
    Atomics.notify(c, SLOT.generation);
    const [from, to] = itemRange(count, this.threads, 0);
    local(from, to);
    const others = this.threads - 1;
    let done = Atomics.load(c, SLOT.done);
    while (done < others) {
      waitWhileEqual(c, SLOT.done, done);
      done = Atomics.load(c, SLOT.done);
    }
    if (Atomics.load(c, SLOT.failed))
      throw new Error('WorkerPool: a worker thread failed (its error is printed above)');
  }

  async close(): Promise<void> {
    Atomics.store(this.control, SLOT.stop, 1);
    Atomics.add(this.control, SLOT.generation, 1);
    Atomics.notify(this.control, SLOT.generation);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The worker side: announces itself, then calls `work` for each job until the pool closes. */
export function serveJobs(control: Int32Array, thread: number, work: (from: number, to: number) => void): void {
  Atomics.add(control, SLOT.ready, 1);
  Atomics.notify(control, SLOT.ready);
  // Jobs are numbered from 1; a job posted before this thread got here is still served.
  let generation = 0;
  for (;;) {
    waitWhileEqual(control, SLOT.generation, generation);
    generation = Atomics.load(control, SLOT.generation);
    if (Atomics.load(control, SLOT.stop)) return;
    const [from, to] = itemRange(control[SLOT.count], control[SLOT.threads], thread);
    try {
      work(from, to);
    } catch (err) {
      // Report through shared memory: the caller is blocked and cannot receive an 'error' event.
      console.error(err);
      Atomics.store(control, SLOT.failed, 1);
    }
    Atomics.add(control, SLOT.done, 1);
    Atomics.notify(control, SLOT.done);
  }
}
