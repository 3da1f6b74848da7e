/**
 * `edlearn bench`: kernels (checked against the reference, then timed in GFLOP/s), training throughput per
 * backend, engine and thread count beside the machine's parallel ceiling, evaluation throughput, and peak memory
 * of 10-class training, with the targets of the fast engine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '../data/dataset.js';
import { toSparseRows } from '../data/sparse.js';
import { buildTask } from '../data/tasks.js';
import { getBackend } from '../kernels/index.js';
import type { WasmBackend } from '../kernels/wasm.js';
import { worthMeetingPerBatch } from '../engine/threads.js';
import { edNetworkCount } from '../rules/ed.js';
import { edBandSize, edStackedGroups } from '../engine/ed-stacked-columns.js';
import { itemRange } from '../engine/pool.js';
import { edLayoutFor } from '../train/build.js';
import { VERSION } from '../version.js';
import { measureCeiling } from './ceiling.js';
import { benchEvaluation, type EvaluationResult } from './evaluation.js';
import { benchKernels, type KernelResult } from './kernels.js';
import { machine } from './stats.js';
import { benchFit } from './fit.js';
import { benchTraining, type Engine, TRAINING_CASES, type TrainingResult } from './training.js';
import type { BenchReport } from './report.js';
import { benchTargets } from './targets.js';
import { benchStream } from './stream.js';
import { benchStartup } from './startup.js';
import { benchCutover, denserTask } from './density.js';

export { formatBenchReport, formatSpeedMarkdown } from './format.js';
export type { BenchReport } from './report.js';

export interface BenchOptions {
  /** Fewer repeats (for a smoke run). */
  quick?: boolean;
  /** Progress lines go here. */
  log?: (line: string) => void;
}

/** Threads of the multi-thread rows: this machine's cores, at least 2, at most the 10 class networks. */
const threadsFor = (cores: number) => Math.max(2, Math.min(cores, 10));

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const before = machine();
  const wasm = ['wasm-simd', 'wasm-relaxed-simd'].filter((name) => {
    try {
      getBackend(name);
      return true;
    } catch {
      return false;
    }
  });
  const backends = ['reference', ...wasm];
  const best = wasm[wasm.length - 1];
  const mnist = loadMnist();
  const all = buildTask(mnist, 'all', []);
  const tasks = { pair: buildTask(mnist, 'pair', [4, 9]), all, dense: denserTask(all) };

  // First, while nothing of this process competes with them: fresh processes, as a user starts them.
  const startup = benchStartup(options.quick ? 3 : 9, log);

  const kernels: KernelResult[] = [];
  for (const name of backends) {
    log(`kernels: ${name}`);
    const be = getBackend(name);
    kernels.push(...benchKernels(be, toSparseRows(tasks.all.train, tasks.all.inputs, tasks.all.scale, be), be));
  }

  const many = threadsFor(before.cores);
  const evaluation: EvaluationResult[] = [];
  for (const name of wasm) {
    for (const threads of [1, many]) {
      log(`evaluation: 10,000 test images · ${name} · ${threads} thread(s)`);
      evaluation.push(await benchEvaluation(tasks.all, name, threads));
    }
  }

  const training: TrainingResult[] = [];
  const ceilings: BenchReport['ceilings'] = [];
  const repeats = options.quick ? 2 : 5;
  for (const c of TRAINING_CASES) {
    const task = tasks[c.task];
    for (const name of backends) {
      if (c.only && name !== best) continue;
      // The reference backend is timed on part of an epoch and scaled: a whole 10-class epoch takes minutes.
      const slow = name === 'reference';
      const threadCounts = c.task === 'all' && !slow ? [1, many] : [1];
      const engines: Engine[] = name === best && !c.only ? ['current', 'baseline'] : ['current'];
      for (const engine of engines) {
        for (const threads of threadCounts) {
          // The baseline spread its networks only over batches big enough to pay for a meeting after each.
          if (
            threads > 1 &&
            engine === 'baseline' &&
            !worthMeetingPerBatch(c.batch, edNetworkCount(c.rule, task.classes), c.rule.units)
          )
            continue;
          if (threads > 1 && engine === 'current' && name === best) {
            const H = c.rule.units;
            const K = edNetworkCount(c.rule, task.classes);
            const stacked = edLayoutFor(c.rule, c.batch) === 'stacked';
            const ld = stacked ? H * K : H;
            // Online stacked: each copy is one thread's share of the networks in its groups (the real working set).
            const [from, to] = itemRange(K, threads, 0);
            const groups =
              stacked && c.batch === 1
                ? edStackedGroups(from, to, edBandSize(K, task.inputs, H)).map(([a, b]) => (b - a) * H)
                : undefined;
            log(`ceiling: ${c.name} kernels · ${name} · alone vs ${threads} at once`);
            const be = getBackend(name) as WasmBackend;
            const rows = toSparseRows(task.train, task.inputs, task.scale, be);
            ceilings.push({
              case: c.name,
              backend: name,
              ...(await measureCeiling(be, rows, { width: H, ld, batch: c.batch, groups }, threads, repeats)),
            });
          }
          log(`training: ${c.name} · ${name} · ${engine} engine · ${threads} thread(s)`);
          const maxSamples = slow ? (c.batch === 1 && c.task === 'all' ? 1000 : 6000) : undefined;
          training.push(benchTraining(c, task, name, threads, { repeats: slow ? 2 : repeats, engine, maxSamples }));
        }
      }
    }
  }

  // One band of kaneko-mnist's stacked W⁺ + W⁻ (N rows of band·H floats): what a thread learns a sequence on.
  const kanekoCase = TRAINING_CASES[3];
  const K = edNetworkCount(kanekoCase.rule, tasks.all.classes);
  const bandFloats = tasks.all.inputs * edBandSize(K, tasks.all.inputs, kanekoCase.rule.units) * kanekoCase.rule.units;
  log(`stream: x += y over ${((bandFloats * 4) / 2 ** 20).toFixed(1)} MB arrays · ${best}`);
  const stream = benchStream(getBackend(best), bandFloats);

  log(`cut-over: sparse against dense first-layer kernels along a ladder of densities · ${best}`);
  const cutover = benchCutover(
    getBackend(best),
    tasks.all.train,
    tasks.all.inputs,
    tasks.all.scale,
    K * kanekoCase.rule.units,
  );

  log(`fit: model.fit against the CLI's trainer, one epoch of kaneko-mnist online, alternating · ${best}`);
  const fit = await benchFit(tasks.all, best, repeats);

  log('memory: 10-class training in a child process');
  const memory = measureMemory();
  const report: BenchReport = {
    format: 'edlearn-bench',
    version: VERSION,
    time: new Date().toISOString(),
    machineBefore: before,
    machineAfter: machine(),
    backends,
    kernels,
    training,
    ceilings,
    evaluation,
    stream,
    memory,
    startup,
    cutover,
    fit,
    targets: [],
  };
  report.targets = benchTargets(report);
  return report;
}

/** Peak RSS of a whole `edlearn train` process doing one epoch of 10-class training (3 × 32 per class, batch 512). */
function measureMemory(): BenchReport['memory'] {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const bin = fileURLToPath(new URL(`../cli/bin.${ts ? 'ts' : 'js'}`, import.meta.url));
  const args = [
    ...(ts ? ['--import', 'tsx'] : []),
    bin,
    'train',
    '--task',
    'all',
    '--units',
    '32',
    '--batch',
    '512',
    '--epochs',
    '1',
    '--json',
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return null;
  const summary = JSON.parse(r.stdout) as { peakRssMB: number };
  return { case: '10-class, seed 3×32 per class, batch 512, 1 epoch', peakRssMB: summary.peakRssMB };
}
