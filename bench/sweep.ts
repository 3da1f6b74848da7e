// npm run bench:sweep: what the Redis queue costs per run. The same kind of runs (Kaneko's XOR, a few ms each, so
// that the overhead is not hidden by training) are trained one after another by a warm worker process directly,
// and through BullMQ on a throw-away redis-server by one worker (in this process; its training runs in a warm
// worker process too), with the coordinator enqueuing, collecting and logging them. The difference per run is
// enqueue + hand-over + result + collect + log. Fresh seeds every time (a finished run id would be collected from
// Redis without training); medians over repeats, alternating the order; writes bench/sweep-results.json.
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkSweep,
  parseQueueUrl,
  planSweep,
  QueueExecutor,
  RunnerProcess,
  runSweep,
  startWorker,
} from '../src/index.js';
import { startRedisServer } from './redis-server.js';

const RUNS = 50;
const REPEATS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let nextSeed = 1;
const plan = (name: string) =>
  planSweep(
    checkSweep(
      { base: { task: 'xor', epochs: 20 }, seeds: Array.from({ length: RUNS }, () => nextSeed++) },
      'bench',
      name,
    ),
  );

const redis = await startRedisServer();
const target = parseQueueUrl(redis.url);
const worker = await startWorker(target, 30);
const rows: {
  repeat: number;
  localMsPerRun: number;
  queueMsPerRun: number;
  overheadMsPerRun: number;
  load1: number;
}[] = [];
const direct = new RunnerProcess();
try {
  for (let r = -1; r < REPEATS; r++) {
    const local = async () => {
      const { jobs } = plan(`bench-local-${r}`);
      const t0 = performance.now();
      for (const job of jobs) await direct.run(job);
      return (performance.now() - t0) / RUNS;
    };
    const queue = async () => {
      const p = plan(`bench-queue-${r}`);
      const t0 = performance.now();
      await runSweep(p, join(tmpdir(), `edlearn-${process.pid}-${p.spec.id}.ndjson`), new QueueExecutor(target));
      return (performance.now() - t0) / RUNS;
    };
    const [l, q] = r % 2 === 0 ? [await local(), await queue()] : (([b, a]) => [a, b])([await queue(), await local()]);
    // Repeat −1 warms both worker processes up and is not counted.
    if (r < 0) continue;
    rows.push({ repeat: r, localMsPerRun: l, queueMsPerRun: q, overheadMsPerRun: q - l, load1: loadavg()[0] });
    process.stderr.write(
      `repeat ${r + 1}/${REPEATS}: ${l.toFixed(1)} ms per run directly, ${q.toFixed(1)} ms through the queue ` +
        `→ ${(q - l).toFixed(1)} ms overhead (load ${loadavg()[0].toFixed(1)})\n`,
    );
  }
} finally {
  direct.close();
  await worker.stop();
  await redis.stop();
}
const result = {
  runs: RUNS,
  repeats: REPEATS,
  medianLocalMsPerRun: median(rows.map((x) => x.localMsPerRun)),
  medianQueueMsPerRun: median(rows.map((x) => x.queueMsPerRun)),
  medianOverheadMsPerRun: median(rows.map((x) => x.overheadMsPerRun)),
  targetMsPerRun: 50,
  rows,
  node: process.version,
  time: new Date().toISOString(),
};
console.log(
  `queue + collect overhead: median ${result.medianOverheadMsPerRun.toFixed(1)} ms per run ` +
    `(${result.medianQueueMsPerRun.toFixed(1)} through the queue, ${result.medianLocalMsPerRun.toFixed(1)} ` +
    `directly) over ${REPEATS} repeats (target ≤ 50 ms); bench/sweep-results.json`,
);
writeFileSync('bench/sweep-results.json', JSON.stringify(result, null, 2) + '\n');
