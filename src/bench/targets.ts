/** The engine's targets (issues "engine wave 2" and "engine wave 3"), checked against one bench report. */
import type { BenchReport, Target } from './report.js';
import { type TrainingCase, TRAINING_CASES, type TrainingResult } from './training.js';

/** Below this ceiling (N threads at most this many times one), the machine's cores do not scale. */
export const SCALING_CEILING = 1.5;

/** Lookups into a report's rows. */
export function rows(r: BenchReport) {
  const bestBackend = r.backends[r.backends.length - 1];
  const find = (
    caseName: string,
    engine: string,
    threads: 'one' | 'many',
    backend = bestBackend,
  ): TrainingResult | undefined =>
    r.training.find(
      (t) =>
        t.case === caseName &&
        t.engine === engine &&
        t.backend === backend &&
        (threads === 'one' ? t.threads === 1 : t.threads > 1),
    );
  const bestGemm = (backend: string) =>
    Math.max(...r.kernels.filter((k) => k.backend === backend && k.kernel === 'gemm').map((k) => k.gflops));
  const ceiling = (caseName: string) => r.ceilings.find((c) => c.case === caseName);
  return { bestBackend, find, bestGemm, ceiling };
}

export function benchTargets(r: BenchReport): Target[] {
  const { find, bestGemm, ceiling } = rows(r);
  const out: Target[] = [];
  const [pair, all, , kaneko, dense] = TRAINING_CASES;
  const s = (t: TrainingResult) => `${t.secondsPerEpoch.toFixed(3)} s`;

  const k1 = find(kaneko.name, 'current', 'one');
  const k0 = find(kaneko.name, 'baseline', 'one');
  if (k1 && k0) {
    const ratio = k0.secondsPerEpoch / k1.secondsPerEpoch;
    out.push({
      target: `${kaneko.name}: ≥ 2× faster per thread than the baseline engine`,
      value: `${ratio.toFixed(2)}× (${s(k0)} → ${s(k1)}, ${k1.backend})`,
      met: ratio >= 2,
    });
  }
  if (k1) {
    const share = k1.gflopsPerThread / bestGemm(k1.backend);
    const bound =
      r.stream && k1.gbPerSecondPerThread !== undefined
        ? `; memory-bound: ${k1.gbPerSecondPerThread.toFixed(1)} GB/s ` +
          `= ${((100 * k1.gbPerSecondPerThread) / r.stream.gbPerSecond).toFixed(0)} % of streaming`
        : '';
    out.push({
      target: `${kaneko.name}: executed GFLOP/s per thread ≥ 60 % of the best GEMM`,
      value:
        `${k1.gflopsPerThread.toFixed(1)} / ${bestGemm(k1.backend).toFixed(1)} ` +
        `= ${(100 * share).toFixed(0)} %${bound}`,
      met: share >= 0.6,
    });
  }
  for (const [c, seconds] of [
    [kaneko, 1.0],
    [all, 0.5],
  ] as const) {
    const one = find(c.name, 'current', 'one');
    const many = find(c.name, 'current', 'many');
    const ceil = ceiling(c.name);
    if (!one || !many || !ceil) continue;
    const scaling = one.secondsPerEpoch / many.secondsPerEpoch;
    const ofCeiling = scaling / ceil.speedup;
    const scales = ceil.speedup >= SCALING_CEILING;
    const measured =
      `${s(many)} on ${many.threads} threads; ${scaling.toFixed(2)}× one thread, ` +
      `ceiling ${ceil.speedup.toFixed(2)}× (${(100 * ofCeiling).toFixed(0)} % of it)`;
    out.push({
      target:
        `${c.name}: ≤ ${seconds} s per epoch on ${many.threads} threads, ≥ 90 % of the parallel ceiling ` +
        `(where cores scale)`,
      value: scales ? measured : `${measured}; cores do not scale here (ceiling < ${SCALING_CEILING}×)`,
      met: scales ? many.secondsPerEpoch <= seconds && ofCeiling >= 0.9 : null,
    });
  }
  const a1 = find(all.name, 'current', 'one');
  const a0 = find(all.name, 'baseline', 'one');
  if (a1 && a0) {
    // The issue's alternative to the 2-thread target: judged only where cores do not scale.
    const ratio = a0.secondsPerEpoch / a1.secondsPerEpoch;
    const ceil = ceiling(all.name);
    const scales = ceil !== undefined && ceil.speedup >= SCALING_CEILING;
    const value = `${ratio.toFixed(2)}× (${s(a0)} → ${s(a1)})`;
    out.push({
      target: `${all.name}: ≥ 1.5× faster per thread than the baseline engine (where cores do not scale)`,
      value: scales ? `${value}; cores scale here, so the 2-thread target applies` : value,
      met: scales ? null : ratio >= 1.5,
    });
  }
  const p = find(pair.name, 'current', 'one');
  if (p)
    out.push({
      target: `${pair.name}: ≤ 10 ms per epoch`,
      value: `${(p.secondsPerEpoch * 1000).toFixed(1)} ms (${p.backend})`,
      met: p.secondsPerEpoch <= 0.01,
    });
  out.push(...waveThreeTargets(r, find, pair, kaneko, dense));
  const e = [...r.evaluation].sort((a, b) => a.milliseconds - b.milliseconds)[0];
  if (e)
    out.push({
      target: `evaluation of the ${e.images.toLocaleString('en')} test images, ${e.model}: ≤ 50 ms`,
      value: `${e.milliseconds.toFixed(1)} ms (${e.backend}, ${e.threads} thread(s))`,
      met: e.milliseconds <= 50,
    });
  if (r.memory)
    out.push({
      target: 'peak RSS of 10-class training ≤ 400 MB',
      value: `${r.memory.peakRssMB.toFixed(0)} MB`,
      met: r.memory.peakRssMB <= 400,
    });
  out.push(...issue21Targets(r, find));
  return out;
}

/** Issue 21: the API's fit as fast as the CLI's trainer; connectivity < 1 online against the full network. */
function issue21Targets(r: BenchReport, find: ReturnType<typeof rows>['find']): Target[] {
  const out: Target[] = [];
  if (r.fit) {
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    out.push({
      target: '`model.fit` within 10 % of `edlearn train` per epoch (10-class kaneko-mnist online, 1 thread)',
      value:
        `${r.fit.ratio.toFixed(3)}× (fit ${med(r.fit.fitSeconds).toFixed(3)} s, train ` +
        `${med(r.fit.trainSeconds).toFixed(3)} s, medians of ${r.fit.fitSeconds.length} alternating rounds)`,
      met: r.fit.ratio <= 1.1,
    });
  }
  const [kaneko, masked] = [TRAINING_CASES[3], TRAINING_CASES[5]];
  const full = find(kaneko.name, 'current', 'one');
  const half = find(masked.name, 'current', 'one');
  if (full && half)
    out.push({
      target: `${masked.name}: its epoch against the full network's (${full.layout} layout)`,
      value:
        `${(half.secondsPerEpoch / full.secondsPerEpoch).toFixed(1)}× ` +
        `(${half.secondsPerEpoch.toFixed(2)} s, ${half.layout} layout)`,
      met: null,
    });
  return out;
}

/**
 * The sparse limit's share of a training row: its limit FLOPs at the rate of the sparse
 * kernels measured at its shape, over its time.
 */
export function limitShare(
  r: BenchReport,
  t: TrainingResult,
  shape: string,
): { seconds: number; share: number } | null {
  const rates = r.kernels
    .filter(
      (k) =>
        k.backend === t.backend && (k.kernel === 'spmm' || k.kernel === 'spRankUpdate') && k.shape.startsWith(shape),
    )
    .map((k) => k.gflops);
  if (rates.length === 0 || !t.limitFlops) return null;
  const seconds = t.limitFlops / (rates.reduce((a, b) => a + b, 0) / rates.length) / 1e9;
  return { seconds, share: seconds / t.secondsPerEpoch };
}

/**
 * Start-up, the seed baseline from a fresh process, Fashion-MNIST density, the
 * online kaneko-mnist epoch (engine wave 3).
 */
function waveThreeTargets(
  r: BenchReport,
  find: ReturnType<typeof rows>['find'],
  pair: TrainingCase,
  kaneko: TrainingCase,
  dense: TrainingCase,
): Target[] {
  const out: Target[] = [];
  const startup = r.startup?.rows ?? [];
  const node = startup.find((s) => s.command === 'node -e 0');
  for (const [command, ms] of [
    ['edlearn --help', 150],
    ['edlearn train --epochs 1', 300],
    ['npm start', 500],
  ] as const) {
    const row = startup.find((s) => s.command.startsWith(command));
    // What the command adds to the runtime's own start: the part of the figure load inflates least.
    const beside =
      node && row ? ` (node -e 0: ${node.wallMs.toFixed(0)} ms; +${(row.wallMs - node.wallMs).toFixed(0)} ms)` : '';
    if (row)
      out.push({
        target: `${command}: ≤ ${ms} ms wall, fresh process (median of ${r.startup!.rounds})`,
        value: `${row.wallMs.toFixed(0)} ms${beside}`,
        met: row.wallMs <= ms,
      });
  }
  const cli = startup.find((s) => s.command.startsWith('npm start'))?.training;
  if (cli) {
    out.push({
      target: `${pair.name} from the CLI (${cli.epochs} epochs, fresh process): ≤ 0.9 µs of training per sample`,
      value:
        `${cli.usPerSample.toFixed(2)} µs (first epoch ${cli.firstEpochUsPerSample.toFixed(2)} µs, last ` +
        `epochs ${cli.steadyUsPerSample.toFixed(2)} µs)`,
      met: cli.usPerSample <= 0.9,
    });
  }
  const k1 = find(kaneko.name, 'current', 'one');
  if (k1 && k1.gbPerSecondPerThread !== undefined && r.stream) {
    const share = k1.gbPerSecondPerThread / r.stream.gbPerSecond;
    out.push({
      target: `${kaneko.name}: ≤ 0.9 s per epoch on 1 thread (≥ 65 % of streaming)`,
      value: `${k1.secondsPerEpoch.toFixed(3)} s, ${(100 * share).toFixed(0)} % of streaming`,
      met: k1.secondsPerEpoch <= 0.9,
    });
  }
  const d1 = find(dense.name, 'current', 'one');
  if (k1 && d1) {
    const ratio = d1.secondsPerEpoch / k1.secondsPerEpoch;
    out.push({
      target: 'kaneko-mnist online at Fashion-MNIST density: epoch ≤ 2× the MNIST epoch (1 thread)',
      value: `${ratio.toFixed(2)}× (${d1.secondsPerEpoch.toFixed(3)} s vs ${k1.secondsPerEpoch.toFixed(3)} s)`,
      met: ratio <= 2,
    });
  }
  return out;
}
