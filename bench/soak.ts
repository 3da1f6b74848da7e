// npm run soak: the distributed sweep under chaos (issue 22), not part of npm test. Rounds of a 200-run sweep
// (short MNIST 4-vs-9 runs) go through a Redis queue and 3 `edlearn worker` processes while, at random, workers
// are killed (SIGKILL) or stopped (SIGTERM) and restarted, the coordinator is killed and restarted (it resumes
// from its log), and redis-server is restarted without persistence (every job in it lost). Rounds go on until
// SOAK_MINUTES (default 10) have passed. Then every round's log must hold each run exactly once, with results
// equal to the local executor's for the same sweep file (timings aside). Prints the numbers and exits 1 on any
// mismatch; writes bench/soak-results.json. Nothing is left behind: the temp directory is removed unless SOAK_KEEP=1.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type RedisServer, startRedisServer } from './redis-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const WORKERS = 3;
const dir = mkdtempSync(join(tmpdir(), 'edlearn-soak-'));
const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const cli = (args: string[]) => [process.execPath, ['--import', tsx, join(ROOT, 'src/cli/bin.ts'), ...args]] as const;
const log = (text: string) =>
  process.stderr.write(`[soak ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let rng = Number(process.env.SOAK_SEED ?? 1) >>> 0;
const random = () => {
  rng = (Math.imul(rng ^ (rng >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
  return rng / 2 ** 32;
};

/** Round r: 10 learning rates × 5 widths × 4 seeds (new seeds each round, so new run ids). */
function sweepFile(r: number): string {
  const path = join(dir, `soak-${r}.yaml`);
  writeFileSync(
    path,
    `sweep: soak-${r}
base: { rule: ed, preset: seed, task: pair, digits: "4,9", layers: 1, batch: 32, updates: 120, evalEvery: 60, validation: 0.05 }
axes: { lr: [0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3], units: [4, 8, 16, 32, 64] }
seeds: [${[1, 2, 3, 4].map((s) => s + 4 * r).join(', ')}]
`,
  );
  return path;
}

const counts = {
  workerKills: 0,
  workerStops: 0,
  stopFailures: 0,
  coordinatorKills: 0,
  redisRestarts: 0,
  rounds: 0,
  runs: 0,
  stopExitCodes: new Map<string, number>(),
};
let redis: RedisServer;
const workers: ChildProcess[] = [];
/** Workers that have installed their signal handlers (a SIGTERM before that is the default: immediate death). */
const ready = new WeakSet<ChildProcess>();
const t0 = performance.now();

function startWorkerProcess(i: number): void {
  const [node, args] = cli(['worker', '--queue', redis.url, '--lock-seconds', '5']);
  const child = spawn(node, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d).slice(-4000);
    if (err.includes('waiting for jobs')) ready.add(child);
  });
  child.once('exit', (code, signal) => {
    const key = String(code ?? signal);
    counts.stopExitCodes.set(key, (counts.stopExitCodes.get(key) ?? 0) + 1);
    if (workers[i] === child && !stopping) {
      log(`worker ${i} exited by itself (${key}): ${err.trim().split('\n').slice(-2).join(' | ')}; restarting it`);
      setTimeout(() => startWorkerProcess(i), 1000);
    }
  });
  workers[i] = child;
}

let stopping = false;
let coordinator: ChildProcess | null = null;

/** Runs round r's sweep through the queue until it exits 0, restarting the coordinator if chaos killed it. */
async function queueRound(r: number, file: string, out: string): Promise<void> {
  for (;;) {
    const [node, args] = cli(['sweep', file, '--queue', redis.url, '--log', out, '--quiet']);
    const child = spawn(node, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    coordinator = child;
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d;
    });
    const code = await new Promise<number | string>((resolve) => child.once('exit', (c, s) => resolve(c ?? s ?? -1)));
    coordinator = null;
    if (code === 0) return;
    log(
      `round ${r}: coordinator exited ${code}${err.trim() ? `: ${err.trim().split('\n').pop()}` : ''}; ` +
        `running it again (it resumes from its log)`,
    );
    await sleep(1000);
  }
}

async function chaos(): Promise<void> {
  while (!stopping) {
    await sleep(3000 + random() * 9000);
    if (stopping) return;
    const x = random();
    const i = Math.floor(random() * WORKERS);
    if (x < 0.4 || (x < 0.75 && !ready.has(workers[i]))) {
      counts.workerKills++;
      log(`SIGKILL worker ${i}`);
      const w = workers[i];
      workers[i] = undefined as never;
      w.kill('SIGKILL');
      setTimeout(() => startWorkerProcess(i), 500 + random() * 3000);
    } else if (x < 0.75) {
      counts.workerStops++;
      log(`SIGTERM worker ${i}`);
      const w = workers[i];
      workers[i] = undefined as never;
      const started = performance.now();
      w.once('exit', (code) => {
        const seconds = (performance.now() - started) / 1000;
        if (code !== 143 || seconds > 10)
          log(`worker ${i} took ${seconds.toFixed(1)} s and exited ${code} after SIGTERM (expected 143 within 10 s)`);
        if (code !== 143 || seconds > 10) counts.stopFailures++;
        startWorkerProcess(i);
      });
      w.kill('SIGTERM');
    } else if (x < 0.87) {
      if (!coordinator) continue;
      counts.coordinatorKills++;
      log('SIGKILL coordinator');
      coordinator.kill('SIGKILL');
    } else {
      counts.redisRestarts++;
      log('restart redis-server without persistence');
      const port = redis.port;
      await redis.stop();
      await sleep(500 + random() * 2000);
      redis = await startRedisServer({ port });
    }
  }
}

/** End events per run id, and the runs without timings, as the tests compare them. */
function readLog(path: string): { ends: Map<string, number>; runs: Map<string, string> } {
  const TIMINGS = new Set(['time', 'machine', 'trainSeconds', 'wallSeconds', 'samplesPerSecond']);
  const ends = new Map<string, number>();
  const runs = new Map<string, string[]>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as { event: string; runId?: string; run?: string };
    if (e.event === 'sweep') continue;
    if (e.event === 'end') ends.set(e.runId!, (ends.get(e.runId!) ?? 0) + 1);
    runs.set(String(e.run), [
      ...(runs.get(String(e.run)) ?? []),
      JSON.stringify(e, (k, v) => (TIMINGS.has(k) ? undefined : v)),
    ]);
  }
  return { ends, runs: new Map([...runs].map(([k, v]) => [k, v.join('\n')])) };
}

redis = await startRedisServer();
let failed = false;
try {
  for (let i = 0; i < WORKERS; i++) startWorkerProcess(i);
  log(`redis ${redis.url}, ${WORKERS} workers, rounds of 200 runs for ${MINUTES} min of chaos; files in ${dir}`);
  const chaosDone = chaos();
  const rounds: { file: string; log: string; seconds: number }[] = [];
  while ((performance.now() - t0) / 60_000 < MINUTES) {
    const r = rounds.length;
    const file = sweepFile(r);
    const out = join(dir, `soak-${r}.ndjson`);
    const started = performance.now();
    await queueRound(r, file, out);
    rounds.push({ file, log: out, seconds: (performance.now() - started) / 1000 });
    log(`round ${r}: 200 runs done in ${rounds[r].seconds.toFixed(0)} s`);
  }
  stopping = true;
  await chaosDone;
  const chaosMinutes = (performance.now() - t0) / 60_000;
  for (const w of workers) w?.kill('SIGTERM');
  log('checking every round against the local executor');
  let mismatches = 0;
  let duplicates = 0;
  let missing = 0;
  for (const [r, round] of rounds.entries()) {
    const local = join(dir, `local-${r}.ndjson`);
    const [node, args] = cli(['sweep', round.file, '--workers', '2', '--log', local, '--quiet']);
    const res = spawnSync(node, [...args], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`local sweep of round ${r} failed: ${res.stderr}`);
    const q = readLog(round.log);
    const l = readLog(local);
    duplicates += [...q.ends.values()].filter((n) => n !== 1).length;
    missing += 200 - q.ends.size;
    for (const [run, text] of l.runs) if (q.runs.get(run) !== text) mismatches++;
    counts.runs += q.ends.size;
  }
  counts.rounds = rounds.length;
  const exits = [...counts.stopExitCodes].map(([k, n]) => `${k}: ${n}`).join(', ');
  console.log(
    `soak: ${counts.rounds} rounds, ${counts.runs} runs through the queue in ${chaosMinutes.toFixed(1)} min ` +
      `of chaos (round times ${rounds.map((x) => x.seconds.toFixed(0)).join(', ')} s)`,
  );
  console.log(
    `chaos: ${counts.workerKills} worker SIGKILLs, ${counts.workerStops} worker SIGTERMs ` +
      `(${counts.stopFailures} not exiting 143 within 10 s), ${counts.coordinatorKills} coordinator ` +
      `SIGKILLs, ${counts.redisRestarts} redis-server restarts without persistence; worker exits: ${exits}`,
  );
  console.log(
    `check: runs logged twice or more ${duplicates}, runs missing ${missing}, runs differing from the local ` +
      `executor ${mismatches}`,
  );
  failed = duplicates + missing + mismatches > 0;
  // The numbers the README quotes.
  writeFileSync(
    join(ROOT, 'bench/soak-results.json'),
    `${JSON.stringify(
      {
        time: new Date().toISOString(),
        minutes: Number(chaosMinutes.toFixed(1)),
        rounds: counts.rounds,
        runs: counts.runs,
        workers: WORKERS,
        workerKills: counts.workerKills,
        workerStops: counts.workerStops,
        stopFailures: counts.stopFailures,
        coordinatorKills: counts.coordinatorKills,
        redisRestarts: counts.redisRestarts,
        roundSeconds: rounds.map((x) => Math.round(x.seconds)),
        workerExits: Object.fromEntries(counts.stopExitCodes),
        duplicates,
        missing,
        mismatches,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  stopping = true;
  for (const w of workers) w?.kill('SIGKILL');
  (coordinator as ChildProcess | null)?.kill('SIGKILL');
  await redis.stop();
  if (process.env.SOAK_KEEP !== '1' && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
