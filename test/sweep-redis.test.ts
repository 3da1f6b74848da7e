// The distributed executor on a real Redis (Debian's redis-server, started here on a free loopback port): three
// `edlearn worker` processes, one killed with SIGKILL in the middle of a run; every run must finish exactly once
// and match the local executor bit for bit (timings aside). Without redis-server this test fails: CI installs it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Job, Queue } from 'bullmq';
import { startRedisServer } from '../bench/redis-server.js';
import { QUEUE_NAME } from '../src/sweep/queue.js';
import { runCli, tempDir } from './helpers.js';
import { endsById, runsOf, type Spawned, spawnCli } from './sweep-helpers.js';

const SWEEP = `# 12 short runs
sweep: queue-test
base: { rule: ed, preset: seed, task: pair, digits: "4,9", layers: 1, batch: 32, updates: 1200, evalEvery: 300 }
axes: { lr: [0.01, 0.03, 0.1], units: [16, 64] }
seeds: [1, 2]
`;

test(
  '12 runs through 3 workers on a real Redis, one SIGKILLed mid-run: each run once, identical to the local ' +
    'executor; a user error fails once',
  async () => {
    const redis = await startRedisServer();
    const dir = tempDir();
    const file = join(dir, 'queue-test.yaml');
    writeFileSync(file, SWEEP);
    const workers: Spawned[] = [];
    try {
      for (let i = 0; i < 3; i++) workers.push(spawnCli(['worker', '--queue', redis.url, '--lock-seconds', '2']));
      await Promise.all(workers.map((w) => w.waitFor(/waiting for jobs/)));
      const coordinator = spawnCli(['sweep', file, '--queue', redis.url, '--log', join(dir, 'queue.ndjson')]);
      await workers[0].waitFor(/worker: training /);
      workers[0].child.kill('SIGKILL');
      const killedJob = /training .* \(([0-9a-f]{20})\)/.exec(workers[0].stderr())![1];
      assert.equal(await coordinator.exited, 0, coordinator.stderr());

      const ends = endsById(join(dir, 'queue.ndjson'));
      assert.equal(ends.size, 12);
      assert.deepEqual([...ends.values()], Array(12).fill(1), 'every run id finished exactly once');
      assert.ok(ends.has(killedJob), "the killed worker's run was finished by another worker");
      assert.match(workers[1].stderr() + workers[2].stderr(), new RegExp(`training .* \\(${killedJob}\\)`));

      const local = runCli(['sweep', file, '--workers', '2', '--log', join(dir, 'local.ndjson')]);
      assert.equal(local.code, 0, local.stderr);
      assert.deepEqual(runsOf(join(dir, 'queue.ndjson')), runsOf(join(dir, 'local.ndjson')));

      const status = runCli(['sweep', file, '--queue', redis.url, '--status']);
      assert.match(
        status.stdout,
        /queue-test: 12 runs · queued 0 · active 0 · done 12 · failed 0 · not queued 0 · 2 workers connected/,
      );

      // A job with an impossible option (as from a coordinator with other option
      // ranges) fails at once, with its message.
      const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
      try {
        await queue.add(
          'run',
          { runId: 'bad', label: 'bad', fingerprint: 'generated', input: { task: 'xor', lr: -1 } },
          { jobId: 'bad', attempts: 3, backoff: { type: 'fixed', delay: 100 } },
        );
        let job: Job | undefined;
        for (let i = 0; i < 100; i++) {
          job = await Job.fromId(queue, 'bad');
          if ((await job?.getState()) === 'failed') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(await job!.getState(), 'failed');
        assert.equal(job!.attemptsMade, 1);
        assert.match(job!.failedReason, /options: option lr: expected a number > 0/);
      } finally {
        await queue.close();
      }
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await redis.stop();
    }
  },
);
