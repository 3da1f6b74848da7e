// Issue 22 on a real Redis (Debian's redis-server on a free loopback port): a worker told to stop hands its run
// back and exits 143 within 10 s, the run finishing exactly once elsewhere; a worker with other data hands the
// job back untouched and exits 2; two coordinators on one log are refused; a Redis restarted without persistence
// mid-sweep is noticed and the sweep completes with every run logged once.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Job, Queue } from 'bullmq';
import { startRedisServer } from '../bench/redis-server.js';
import { QUEUE_NAME } from '../src/sweep/queue.js';
import { runCli, tempDir } from './helpers.js';
import { endsById, runsOf, type Spawned, spawnCli } from './sweep-helpers.js';

const sweep = (id: string, lrs: number[], updates = 1200) => `sweep: ${id}
base: { rule: ed, preset: seed, task: pair, digits: "4,9", layers: 1, batch: 32, updates: ${updates}, evalEvery: 300 }
axes: { lr: [${lrs.join(', ')}] }
seeds: [1, 2]
`;

test(
  'SIGTERM to a worker mid-run: it hands the run back and exits 143 within 10 s; the run finishes once on ' +
    'another worker',
  async () => {
    const redis = await startRedisServer();
    const dir = tempDir();
    const file = join(dir, 'stop.yaml');
    writeFileSync(file, sweep('stop', [0.01, 0.03], 4000));
    const workers: Spawned[] = [];
    try {
      workers.push(spawnCli(['worker', '--queue', redis.url, '--lock-seconds', '600']));
      await workers[0].waitFor(/waiting for jobs/);
      const coordinator = spawnCli(['sweep', file, '--queue', redis.url, '--log', join(dir, 'stop.ndjson')]);
      await workers[0].waitFor(/worker: training /);
      const job = /training .* \(([0-9a-f]{20})\)/.exec(workers[0].stderr())![1];
      const signalled = Date.now();
      workers[0].child.kill('SIGTERM');
      assert.equal(await workers[0].exited, 143, workers[0].stderr());
      assert.ok(Date.now() - signalled < 10_000, `exited after ${Date.now() - signalled} ms`);
      assert.match(workers[0].stderr(), new RegExp(`handed ${job} back to the queue`));
      // The lock was 600 s: only the hand-back lets another worker take the run before the sweep's timeout.
      workers.push(spawnCli(['worker', '--queue', redis.url, '--lock-seconds', '600']));
      assert.equal(await coordinator.exited, 0, coordinator.stderr());
      const ends = endsById(join(dir, 'stop.ndjson'));
      assert.deepEqual([...ends.values()], [1, 1, 1, 1]);
      assert.match(workers[1].stderr(), new RegExp(`training .* \\(${job}\\)`));
      const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
      try {
        const finished = (await Job.fromId(queue, job))!;
        assert.equal(
          finished.attemptsMade,
          1,
          'one attempt counted: the one that finished (the handed-back one spent none)',
        );
        assert.equal(finished.failedReason, undefined);
      } finally {
        await queue.close();
      }
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await redis.stop();
    }
  },
);

test('a worker whose data does not match hands the job back untouched and exits 2 with one line', async () => {
  const redis = await startRedisServer();
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
  try {
    await queue.add(
      'run',
      { runId: 'other-data', label: 'other', fingerprint: 'not-this-machines', input: { task: 'xor' } },
      { jobId: 'other-data', attempts: 3 },
    );
    await queue.add(
      'run',
      { runId: 'innocent', label: 'innocent', fingerprint: 'generated', input: { task: 'xor' } },
      { jobId: 'innocent', attempts: 3 },
    );
    const worker = spawnCli(['worker', '--queue', redis.url, '--lock-seconds', '5']);
    assert.equal(await worker.exited, 2, worker.stderr());
    assert.match(
      worker.stderr(),
      /edlearn: worker: run other-data was planned on data .* fingerprint not-this-machines/,
    );
    assert.doesNotMatch(worker.stderr(), /\n\s+at |ERR_IPC|EPIPE/);
    const job = (await Job.fromId(queue, 'other-data'))!;
    assert.equal(await job.getState(), 'waiting');
    assert.equal(job.attemptsMade, 0);
    const innocent = (await Job.fromId(queue, 'innocent'))!;
    assert.equal(await innocent.getState(), 'waiting', 'the next job was not taken');
    assert.equal(innocent.attemptsMade, 0);
  } finally {
    await queue.close();
    await redis.stop();
  }
});

test(
  'one writer per log: a second sweep (local or --queue) on the same log is refused naming the first; a ' +
    "dead writer's lock is taken over",
  async () => {
    const redis = await startRedisServer();
    const dir = tempDir();
    const file = join(dir, 'two.yaml');
    writeFileSync(file, sweep('two', [0.01, 0.03], 100_000));
    const log = join(dir, 'two.ndjson');
    const workers: Spawned[] = [];
    try {
      workers.push(spawnCli(['worker', '--queue', redis.url]));
      await workers[0].waitFor(/waiting for jobs/);
      const first = spawnCli(['sweep', file, '--queue', redis.url, '--log', log]);
      await workers[0].waitFor(/worker: training /);
      const second = runCli(['sweep', file, '--queue', redis.url, '--log', log]);
      assert.equal(second.code, 2, second.stderr);
      assert.match(
        second.stderr,
        new RegExp(
          `two\\.ndjson is being written by process ${first.child.pid} on .* \\(edlearn sweep .*two\\.yaml --queue`,
        ),
      );
      const local = runCli(['sweep', file, '--workers', '1', '--log', log]);
      assert.equal(local.code, 2, local.stderr);
      assert.match(local.stderr, /is being written by process/);
      first.child.kill('SIGINT');
      assert.equal(await first.exited, 130, first.stderr());
      assert.ok(!existsSync(`${log}.lock`), 'the lock is removed when the sweep ends');
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await redis.stop();
    }
    // A lock left by a process that died (SIGKILL) is taken over.
    const small = join(dir, 'small.yaml');
    writeFileSync(small, sweep('small', [0.03], 300));
    const smallLog = join(dir, 'small.ndjson');
    writeFileSync(
      `${smallLog}.lock`,
      JSON.stringify({ pid: 999_999_999, host: hostname(), command: 'gone', since: '' }),
    );
    const again = runCli(['sweep', small, '--workers', '1', '--log', smallLog]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual([...endsById(smallLog).values()], [1, 1]);
    assert.ok(!existsSync(`${smallLog}.lock`));
  },
);

test(
  'Redis restarted without persistence mid-sweep: the coordinator enqueues the lost runs again; every run ' +
    'logged once, as the local executor logs it',
  async () => {
    let redis = await startRedisServer();
    const dir = tempDir();
    const file = join(dir, 'restart.yaml');
    writeFileSync(file, sweep('restart', [0.01, 0.03, 0.1]));
    const workers: Spawned[] = [];
    try {
      for (let i = 0; i < 2; i++) workers.push(spawnCli(['worker', '--queue', redis.url, '--lock-seconds', '3']));
      await Promise.all(workers.map((w) => w.waitFor(/waiting for jobs/)));
      const coordinator = spawnCli(['sweep', file, '--queue', redis.url, '--log', join(dir, 'restart.ndjson')]);
      await coordinator.waitFor(/restart\/.*: validation/, 120_000);
      const port = redis.port;
      await redis.stop();
      redis = await startRedisServer({ port });
      assert.equal(await coordinator.exited, 0, coordinator.stderr());
      const ends = endsById(join(dir, 'restart.ndjson'));
      assert.deepEqual([...ends.values()], Array(6).fill(1));
      const local = runCli(['sweep', file, '--workers', '1', '--log', join(dir, 'local.ndjson')]);
      assert.equal(local.code, 0, local.stderr);
      assert.deepEqual(runsOf(join(dir, 'restart.ndjson')), runsOf(join(dir, 'local.ndjson')));
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await redis.stop();
    }
  },
);

test('a worker or coordinator killed with SIGKILL takes its training process with it', async () => {
  const dir = tempDir();
  const file = join(dir, 'orphan.yaml');
  writeFileSync(file, sweep('orphan', [0.01], 200_000));
  const coordinator = spawnCli(['sweep', file, '--workers', '1', '--log', join(dir, 'orphan.ndjson')]);
  await new Promise((r) => setTimeout(r, 100));
  const { execFileSync } = await import('node:child_process');
  const children = () => {
    try {
      return execFileSync('pgrep', ['-P', String(coordinator.child.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  let kids: number[] = [];
  for (let i = 0; i < 100 && kids.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    kids = children();
  }
  assert.ok(kids.length > 0, 'the sweep forked its training process');
  // Give the child time to start training (its event loop is then busy).
  await new Promise((r) => setTimeout(r, 3000));
  coordinator.child.kill('SIGKILL');
  // A zombie (exited, not yet reaped by whoever adopted it) counts as ended.
  const alive = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 50 && kids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(kids.filter(alive), [], 'the orphaned training process ended within 5 s');
});

test('redis:// with a password (requirepass and an ACL user) and rediss:// (TLS): a sweep runs through a worker; a wrong or missing password is one line', async () => {
  const dir = tempDir();
  const file = join(dir, 'auth.yaml');
  writeFileSync(file, sweep('auth', [0.03], 300));
  for (const options of [
    { password: 's3cret' },
    { user: 'edlearn', password: 'pw2' },
    { tls: true, password: 'tlspw' },
  ]) {
    const redis = await startRedisServer(options);
    const env = redis.ca ? { NODE_EXTRA_CA_CERTS: redis.ca } : {};
    const worker = spawnCli(['worker', '--queue', redis.url], undefined, env);
    try {
      await worker.waitFor(/waiting for jobs/);
      const log = join(dir, `auth-${redis.port}.ndjson`);
      const r = runCli(['sweep', file, '--queue', redis.url, '--log', log], undefined, env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual([...endsById(log).values()], [1, 1]);
      assert.doesNotMatch(
        r.stdout + r.stderr + worker.stderr(),
        new RegExp(options.password),
        'the password is never printed',
      );
      const wrong = runCli(
        ['sweep', file, '--queue', redis.url.replace(options.password, 'wrong'), '--status'],
        undefined,
        env,
      );
      assert.equal(wrong.code, 2, wrong.stderr);
      assert.match(wrong.stderr, /refused the user or password/);
      const none = runCli(
        ['sweep', file, '--queue', redis.url.replace(/\/\/[^@]*@/, '//'), '--status'],
        undefined,
        env,
      );
      assert.equal(none.code, 2, none.stderr);
      assert.match(none.stderr, options.user ? /needs a password|refused/ : /needs a password/);
      if (redis.ca) {
        const untrusted = runCli(['sweep', file, '--queue', redis.url, '--status']);
        assert.equal(untrusted.code, 2, untrusted.stderr);
        assert.match(
          untrusted.stderr,
          /TLS failed \(.*\); for a server certificate of your own CA, set NODE_EXTRA_CA_CERTS/,
        );
      }
    } finally {
      worker.child.kill('SIGKILL');
      await redis.stop();
    }
  }
});
