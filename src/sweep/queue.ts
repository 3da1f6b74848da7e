/**
 * The distributed executor: sweep jobs as BullMQ jobs on one Redis, trained by `edlearn worker` processes on any
 * number of machines. The job id is the run id, so the queue itself refuses a run twice; results stay in Redis
 * (a coordinator that restarts collects what finished meanwhile). A worker that dies loses its lock and its job
 * goes back to the queue (stalled-job detection); crashes are retried with backoff; a user error fails at once.
 */
import { connect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Job, Queue, QueueEvents } from 'bullmq';
import { UserError } from '../errors.js';
import type { RunEvents } from './execute.js';
import type { SweepJob, SweepPlan } from './plan.js';
import type { Executor, JobCallbacks } from './run.js';

/** One queue for every sweep: run ids are content addresses, so two sweeps sharing a run share its job. */
export const QUEUE_NAME = 'edlearn-runs';
/** Attempts per job and the first backoff (doubling) for runs whose worker crashed. */
export const ATTEMPTS = 3;
const BACKOFF_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  /** An ACL user (Redis 6+), and the password (of that user, or requirepass's). */
  username?: string;
  password?: string;
  /** rediss://: TLS, the server's certificate checked against the system's CAs (and NODE_EXTRA_CA_CERTS). */
  tls: boolean;
  /** As the user gave it, password hidden, for messages. */
  url: string;
}

const URL_FORM = 'redis://[USER:PASSWORD@]HOST:PORT[/DB] or rediss://… (TLS), e.g. redis://127.0.0.1:6379/0';

export function parseQueueUrl(url: string): RedisTarget {
  const m =
    /^(rediss?):\/\/(?:([^:@/\s]*)(?::([^@/\s]*))?@)?([^/:?#@\s]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?(?:\/(\d{1,2}))?\/?$/.exec(
      url.trim(),
    );
  const port = Number(m?.[5] ?? 6379);
  const shown = url.replace(/(\/\/[^:@/]*:)[^@/]*@/, '$1***@');
  if (!m || port < 1 || port > 65535) throw new UserError(`--queue ${shown}: expected ${URL_FORM}`);
  let username: string | undefined;
  let password: string | undefined;
  try {
    username = m[2] ? decodeURIComponent(m[2]) : undefined;
    password = m[3] !== undefined ? decodeURIComponent(m[3]) : undefined;
  } catch {
    throw new UserError(
      `--queue ${shown}: the user or password is not valid %-encoding; write characters such as @ : / as %40 %3A %2F`,
    );
  }
  // redis://:password@host is the requirepass form; redis://password@host (no colon) is read the same way.
  if (password === undefined && username !== undefined) [password, username] = [username, undefined];
  return {
    host: m[4].replace(/^\[|\]$/g, ''),
    port,
    db: Number(m[6] ?? 0),
    username,
    password,
    tls: m[1] === 'rediss',
    url: shown,
  };
}

export const connectionOf = (t: RedisTarget) => ({
  host: t.host,
  port: t.port,
  db: t.db,
  maxRetriesPerRequest: null,
  ...(t.username ? { username: t.username } : {}),
  ...(t.password !== undefined ? { password: t.password } : {}),
  ...(t.tls ? { tls: { servername: isIP(t.host) ? undefined : t.host } } : {}),
});

/** The RESP form of a command, for the PING check below. */
const resp = (args: string[]) =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/**
 * Fails with a message saying where Redis was expected unless a Redis answers PING there (after AUTH when the
 * URL has a password, over TLS for rediss://). Checked before BullMQ connects: its client retries for ever,
 * which would leave a mistyped --queue hanging.
 */
export function pingRedis(t: RedisTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = t.tls
      ? tlsConnect({ host: t.host, port: t.port, servername: isIP(t.host) ? undefined : t.host })
      : connect({ host: t.host, port: t.port });
    let reply = '';
    const fail = (why: string) => {
      socket.destroy();
      reject(new UserError(`--queue ${t.url}: ${why}`));
    };
    const unreachable = (why: string) => fail(`${why}; start redis-server there, or check the host, port and firewall`);
    socket.setTimeout(CONNECT_TIMEOUT_MS, () =>
      unreachable(
        `no answer within ${CONNECT_TIMEOUT_MS / 1000} ` +
          `s${t.tls ? ' (a TLS handshake with a server that does not speak TLS?)' : ''}`,
      ),
    );
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? err.message;
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL|wrong version/i.test(code + err.message)) {
        fail(`TLS failed (${code}); for a server certificate of your own CA, set NODE_EXTRA_CA_CERTS=/path/to/ca.pem`);
      } else unreachable(`cannot connect (${code})`);
    });
    const auth = t.password === undefined ? '' : resp(['AUTH', ...(t.username ? [t.username] : []), t.password]);
    socket.once(t.tls ? 'secureConnect' : 'connect', () => socket.write(auth + resp(['PING'])));
    socket.on('data', (d) => {
      reply += d;
      const lines = reply.split('\r\n');
      const needed = auth ? 2 : 1;
      if (lines.length <= needed && !lines[0].startsWith('-')) return;
      socket.end();
      const first = lines[0];
      if (first.startsWith('-NOAUTH'))
        fail(
          'the Redis there needs a password; give it in the URL: redis://:PASSWORD@HOST:PORT (or USER:PASSWORD@ for an ACL user)',
        );
      else if (first.startsWith('-ERR') && auth && /without any password|no password/i.test(first))
        fail('the Redis there has no password set; leave the password out of the URL');
      else if (
        first.startsWith('-WRONGPASS') ||
        first.startsWith('-ERR invalid password') ||
        (auth && first.startsWith('-ERR') && /AUTH|password/i.test(first))
      )
        fail(`the Redis there refused the user or password (${first.slice(1, 60)}); check the URL`);
      else if ((auth ? lines[1] : first).startsWith('+PONG')) resolve();
      else
        fail(
          `the server there answered ${JSON.stringify(first.slice(0, 60))} instead of PONG (not Redis?); ` +
            `start redis-server there, or check the host and port`,
        );
    });
  });
}

/** ioredis reports every failed reconnect as an 'error' event; the timeout above turns that into one message. */
const quiet = <T extends { on(event: 'error', f: (e: Error) => void): unknown }>(x: T): T => {
  x.on('error', () => {});
  return x;
};

export async function openQueue(t: RedisTarget): Promise<Queue> {
  await pingRedis(t);
  return quiet(new Queue(QUEUE_NAME, { connection: connectionOf(t) }));
}

export class QueueExecutor implements Executor {
  readonly kind = 'queue';
  private stopping: (() => void) | null = null;
  private seen = new Set<string>();
  /** Jobs found missing from Redis (a restart without persistence) and enqueued again. */
  reenqueued = 0;

  /** `pollMs`: how often the states of open jobs are read again (events are not enough across a Redis restart). */
  constructor(
    private readonly target: RedisTarget,
    private readonly pollMs = 3000,
  ) {}

  get workers(): number {
    return Math.max(1, this.seen.size);
  }

  async run(jobs: SweepJob[], on: JobCallbacks): Promise<void> {
    if (jobs.length === 0) return;
    const queue = await openQueue(this.target);
    const events = quiet(new QueueEvents(QUEUE_NAME, { connection: connectionOf(this.target) }));
    try {
      await events.waitUntilReady();
      await this.collect(queue, events, jobs, on);
    } finally {
      await events.close();
      await queue.close();
    }
  }

  private async collect(queue: Queue, events: QueueEvents, jobs: SweepJob[], on: JobCallbacks): Promise<void> {
    const byId = new Map(jobs.map((j) => [j.runId, j]));
    const open = new Set(byId.keys());
    const failures: string[] = [];
    let done = false;
    await new Promise<void>((resolve, reject) => {
      const settle = () => {
        if (open.size > 0) return;
        done = true;
        if (failures.length)
          reject(
            new UserError(
              `sweep: ${failures.length} run${failures.length > 1 ? 's' : ''} failed; the first: ${failures[0]}`,
            ),
          );
        else resolve();
      };
      this.stopping = () => {
        done = true;
        resolve();
      };
      const finish = async (id: string) => {
        const job = await Job.fromId<SweepJob, RunEvents>(queue, id);
        if (!job || !open.delete(id)) return;
        on.finished(byId.get(id)!, job.returnvalue);
        settle();
      };
      const fail = async (id: string, reason: string) => {
        const job = await Job.fromId(queue, id);
        // A failed attempt that will be retried moves the job to delayed or waiting, not to failed.
        if (!job || (await job.getState()) !== 'failed' || !open.delete(id)) return;
        failures.push(`run ${byId.get(id)!.label} (${id}): ${reason}`);
        settle();
      };
      const guard = (p: Promise<void>) =>
        p.catch((err) => {
          done = true;
          reject(err);
        });
      events.on('active', ({ jobId }) => {
        const job = byId.get(jobId);
        if (job && open.has(jobId)) on.started(job);
      });
      events.on('completed', ({ jobId }) => {
        if (byId.has(jobId)) void guard(finish(jobId));
      });
      events.on('failed', ({ jobId, failedReason }) => {
        if (byId.has(jobId)) void guard(fail(jobId, failedReason));
      });
      const enqueue = (list: SweepJob[]) =>
        queue.addBulk(
          list.map((j) => ({
            name: 'run',
            data: j,
            opts: {
              jobId: j.runId,
              attempts: ATTEMPTS,
              backoff: { type: 'exponential', delay: BACKOFF_MS },
              removeOnComplete: false,
              removeOnFail: false,
            },
          })),
        );
      /**
       * Jobs already in Redis keep their state: collect the finished ones, give failed ones one more chance. Run
       * again every few seconds: events are lost while Redis restarts, and a Redis restarted without persistence
       * has lost the jobs themselves, which are then enqueued again by run id.
       */
      const sweepStates = async (first: boolean) => {
        const missing: SweepJob[] = [];
        for (const id of [...open]) {
          const job = await Job.fromId(queue, id);
          const state = job ? await job.getState() : 'unknown';
          if (state === 'completed') await finish(id);
          else if (state === 'failed') {
            if (first) await job!.retry('failed');
            else await fail(id, job!.failedReason);
          } else if (state === 'unknown') missing.push(byId.get(id)!);
        }
        if (missing.length && !first) {
          this.reenqueued += missing.length;
          await enqueue(missing);
        }
      };
      void guard(
        (async () => {
          await enqueue(jobs);
          await sweepStates(true);
          for (const w of await queue.getWorkers()) this.seen.add(String(w.id ?? w.name));
          settle();
          while (open.size > 0 && !done) {
            // Every 3 s, or less often for a large sweep (its events are the usual path; this is the fallback).
            await new Promise((r) => setTimeout(r, Math.max(this.pollMs, open.size * 5)));
            if (open.size > 0 && !done) await sweepStates(false);
          }
        })(),
      );
    });
  }

  async stop(): Promise<void> {
    // Queued jobs stay queued: workers go on training them, and a rerun collects their results.
    this.stopping?.();
  }
}

export interface QueueStatus {
  queued: number;
  active: number;
  done: number;
  failed: number;
  /** Runs of the sweep not in the queue (never enqueued, or removed). */
  absent: number;
  /** Failure messages, first few. */
  reasons: string[];
  workers: number;
}

export async function queueStatus(plan: SweepPlan, t: RedisTarget): Promise<QueueStatus> {
  const queue = await openQueue(t);
  try {
    const s: QueueStatus = {
      queued: 0,
      active: 0,
      done: 0,
      failed: 0,
      absent: 0,
      reasons: [],
      workers: (await queue.getWorkers()).length,
    };
    for (const j of plan.jobs) {
      const job = await Job.fromId(queue, j.runId);
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed') s.done++;
      else if (state === 'active') s.active++;
      else if (state === 'failed') {
        s.failed++;
        if (s.reasons.length < 3) s.reasons.push(`${j.label}: ${job!.failedReason}`);
      } else if (state === 'unknown') s.absent++;
      else s.queued++;
    }
    return s;
  } finally {
    await queue.close();
  }
}
