/**
 * `edlearn bench`: kernels (checked against the reference, then timed in GFLOP/s), training throughput per
 * backend and thread count, and peak memory of 10-class training, with the targets of the fast engine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '../data/dataset.js';
import { toSparseRows } from '../data/sparse.js';
import { buildTask } from '../data/tasks.js';
import { getBackend } from '../kernels/index.js';
import { VERSION } from '../version.js';
import { benchKernels, type KernelResult } from './kernels.js';
import { machine, table } from './stats.js';
import { benchTraining, TRAINING_CASES, type TrainingResult } from './training.js';

export interface BenchOptions {
  /** Fewer repeats (for a smoke run). */
  quick?: boolean;
  /** Progress lines go here. */
  log?: (line: string) => void;
}

export interface BenchReport {
  format: 'edlearn-bench';
  version: string;
  time: string;
  machineBefore: ReturnType<typeof machine>;
  machineAfter: ReturnType<typeof machine>;
  backends: string[];
  kernels: KernelResult[];
  training: TrainingResult[];
  memory: { case: string; peakRssMB: number } | null;
  targets: { target: string; value: string; met: boolean }[];
}

export function runBench(options: BenchOptions = {}): BenchReport {
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
  const mnist = loadMnist();
  const tasks = { pair: buildTask(mnist, 'pair', [4, 9]), all: buildTask(mnist, 'all', []) };

  const kernels: KernelResult[] = [];
  for (const name of backends) {
    log(`kernels: ${name}`);
    const be = getBackend(name);
    kernels.push(...benchKernels(be, toSparseRows(tasks.all.train, tasks.all.inputs, tasks.all.scale, be), be));
  }

  const training: TrainingResult[] = [];
  const repeats = options.quick ? 2 : 5;
  for (const c of TRAINING_CASES) {
    const task = tasks[c.task];
    for (const name of backends) {
      // The reference backend is timed on part of an epoch and scaled: a whole 10-class epoch takes minutes.
      const slow = name === 'reference';
      const threadCounts = c.task === 'all' && !slow ? [1, 2] : [1];
      for (const threads of threadCounts) {
        log(`training: ${c.name} · ${name} · ${threads} thread(s)`);
        training.push(benchTraining(c, task, name, threads, { repeats: slow ? 2 : repeats, maxSamples: slow ? 6000 : undefined }));
      }
    }
  }

  log('memory: 10-class training in a child process');
  const memory = measureMemory();
  const report: BenchReport = {
    format: 'edlearn-bench', version: VERSION, time: new Date().toISOString(), machineBefore: before, machineAfter: machine(),
    backends, kernels, training, memory, targets: [],
  };
  report.targets = targets(report);
  return report;
}

/** Peak RSS of a whole `edlearn train` process doing one epoch of 10-class training (3 × 32 per class, batch 512). */
function measureMemory(): BenchReport['memory'] {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const bin = fileURLToPath(new URL(`../cli/bin.${ts ? 'ts' : 'js'}`, import.meta.url));
  const args = [...(ts ? ['--import', 'tsx'] : []), bin, 'train', '--task', 'all', '--units', '32', '--batch', '512', '--epochs', '1', '--json'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return null;
  const summary = JSON.parse(r.stdout) as { peakRssMB: number };
  return { case: '10-class, seed 3×32 per class, batch 512, 1 epoch', peakRssMB: summary.peakRssMB };
}

function targets(r: BenchReport) {
  const fastest = (caseName: string, threads?: number) => r.training
    .filter((t) => t.case === caseName && t.backend !== 'reference' && (threads === undefined || t.threads === threads))
    .sort((a, b) => a.secondsPerEpoch - b.secondsPerEpoch)[0];
  const out: BenchReport['targets'] = [];
  const [pair, all] = TRAINING_CASES;
  const p = fastest(pair.name);
  if (p) out.push({ target: '4 vs 9 seed baseline epoch ≤ 50 ms', value: `${(p.secondsPerEpoch * 1000).toFixed(1)} ms (${p.backend})`, met: p.secondsPerEpoch <= 0.05 });
  const a2 = fastest(all.name);
  if (a2) out.push({ target: '10-class epoch ≤ 4 s', value: `${a2.secondsPerEpoch.toFixed(2)} s (${a2.backend}, ${a2.threads} threads)`, met: a2.secondsPerEpoch <= 4 });
  const one = fastest(all.name, 1);
  const two = r.training.find((t) => t.case === all.name && t.backend === one?.backend && t.threads === 2);
  if (one && two) {
    const speedup = one.secondsPerEpoch / two.secondsPerEpoch;
    out.push({ target: '10-class: 2 threads ≥ 1.7× 1 thread', value: `${speedup.toFixed(2)}× (${one.backend})`, met: speedup >= 1.7 });
  }
  for (const t of [p, one].filter((x): x is TrainingResult => !!x)) {
    const gemm = Math.max(...r.kernels.filter((k) => k.backend === t.backend && k.kernel === 'gemm').map((k) => k.gflops));
    const ratio = t.gflops / gemm;
    out.push({
      target: `sustained ED FLOP rate ≥ 50 % of best GEMM (${t.case})`,
      value: `${t.gflops.toFixed(1)} / ${gemm.toFixed(1)} GFLOP/s = ${(ratio * 100).toFixed(0)} % (dense-equivalent ${(100 * t.denseEquivalentGflops / gemm).toFixed(0)} %)`,
      met: ratio >= 0.5,
    });
  }
  if (r.memory) out.push({ target: 'peak RSS of 10-class training ≤ 400 MB', value: `${r.memory.peakRssMB.toFixed(0)} MB`, met: r.memory.peakRssMB <= 400 });
  return out;
}

/** The report as the tables `edlearn bench` prints. */
export function formatBenchReport(report: BenchReport): string {
  const m = report.machineBefore;
  const lines = [
    `edlearn ${report.version} bench · ${m.cpu} · ${m.cores} cores · node ${m.node} · load ${m.load.join(' ')} → ${report.machineAfter.load.join(' ')}`,
    '\nKernels (checked against the reference, then median time; sigmoid in G elements/s)',
    table(report.kernels.map((k) => ({ backend: k.backend, kernel: k.kernel, shape: k.shape, 'GFLOP/s': k.gflops, 'µs': k.microseconds }))),
    '\nTraining (median over repeats of the second epoch\'s seconds; the reference is timed on 6,000 samples and scaled)',
    table(report.training.map((t) => {
      const ref = report.training.find((r) => r.case === t.case && r.backend === 'reference');
      return {
        case: t.case, backend: t.backend, threads: t.threads, 's/epoch': t.secondsPerEpoch, 'samples/s': Math.round(t.samplesPerSecond),
        'GFLOP/s': t.gflops, 'dense-equiv. GFLOP/s': t.denseEquivalentGflops, 'vs reference': ref ? `${(ref.secondsPerEpoch / t.secondsPerEpoch).toFixed(1)}×` : '-',
      };
    })),
  ];
  if (report.memory) lines.push(`\nMemory: ${report.memory.case}: peak RSS ${report.memory.peakRssMB.toFixed(0)} MB`);
  lines.push('\nTargets', table(report.targets.map((t) => ({ target: t.target, measured: t.value, met: t.met ? 'yes' : 'NO' }))));
  return lines.join('\n');
}
