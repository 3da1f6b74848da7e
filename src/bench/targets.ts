/** The engine's targets (issue "engine wave 2"), checked against one bench report. */
import type { BenchReport } from './index.js';
import { TRAINING_CASES, type TrainingResult } from './training.js';

export interface Target {
  target: string;
  value: string;
  /** null: not measurable on this machine (its cores do not scale), said instead of a scaling it cannot give. */
  met: boolean | null;
}

/** Below this ceiling (N threads at most this many times one), the machine's cores do not scale. */
export const SCALING_CEILING = 1.5;

/** Lookups into a report's rows. */
export function rows(r: BenchReport) {
  const bestBackend = r.backends[r.backends.length - 1];
  const find = (caseName: string, engine: string, threads: 'one' | 'many', backend = bestBackend): TrainingResult | undefined => r.training.find((t) =>
    t.case === caseName && t.engine === engine && t.backend === backend && (threads === 'one' ? t.threads === 1 : t.threads > 1));
  const bestGemm = (backend: string) => Math.max(...r.kernels.filter((k) => k.backend === backend && k.kernel === 'gemm').map((k) => k.gflops));
  const ceiling = (caseName: string) => r.ceilings.find((c) => c.case === caseName);
  return { bestBackend, find, bestGemm, ceiling };
}

export function benchTargets(r: BenchReport): Target[] {
  const { find, bestGemm, ceiling } = rows(r);
  const out: Target[] = [];
  const [pair, all, , kaneko] = TRAINING_CASES;
  const s = (t: TrainingResult) => `${t.secondsPerEpoch.toFixed(3)} s`;

  const k1 = find(kaneko.name, 'current', 'one');
  const k0 = find(kaneko.name, 'baseline', 'one');
  if (k1 && k0) {
    const ratio = k0.secondsPerEpoch / k1.secondsPerEpoch;
    out.push({ target: `${kaneko.name}: ≥ 2× faster per thread than the baseline engine`, value: `${ratio.toFixed(2)}× (${s(k0)} → ${s(k1)}, ${k1.backend})`, met: ratio >= 2 });
  }
  if (k1) {
    const share = k1.gflopsPerThread / bestGemm(k1.backend);
    const bound = r.stream && k1.gbPerSecondPerThread !== undefined ? `; memory-bound: ${k1.gbPerSecondPerThread.toFixed(1)} GB/s = ${(100 * k1.gbPerSecondPerThread / r.stream.gbPerSecond).toFixed(0)} % of streaming` : '';
    out.push({ target: `${kaneko.name}: executed GFLOP/s per thread ≥ 60 % of the best GEMM`, value: `${k1.gflopsPerThread.toFixed(1)} / ${bestGemm(k1.backend).toFixed(1)} = ${(100 * share).toFixed(0)} %${bound}`, met: share >= 0.6 });
  }
  for (const [c, seconds] of [[kaneko, 1.0], [all, 0.5]] as const) {
    const one = find(c.name, 'current', 'one');
    const many = find(c.name, 'current', 'many');
    const ceil = ceiling(c.name);
    if (!one || !many || !ceil) continue;
    const scaling = one.secondsPerEpoch / many.secondsPerEpoch;
    const ofCeiling = scaling / ceil.speedup;
    const scales = ceil.speedup >= SCALING_CEILING;
    const measured = `${s(many)} on ${many.threads} threads; ${scaling.toFixed(2)}× one thread, ceiling ${ceil.speedup.toFixed(2)}× (${(100 * ofCeiling).toFixed(0)} % of it)`;
    out.push({
      target: `${c.name}: ≤ ${seconds} s per epoch on ${many.threads} threads, ≥ 90 % of the parallel ceiling (where cores scale)`,
      value: scales ? measured : `${measured}; cores do not scale here (ceiling < ${SCALING_CEILING}×)`,
      met: scales ? many.secondsPerEpoch <= seconds && ofCeiling >= 0.9 : null,
    });
  }
  const a1 = find(all.name, 'current', 'one');
  const a0 = find(all.name, 'baseline', 'one');
  if (a1 && a0) {
    // The alternative to the 2-thread target: judged only where cores do not scale.
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
  if (p) out.push({ target: `${pair.name}: ≤ 10 ms per epoch`, value: `${(p.secondsPerEpoch * 1000).toFixed(1)} ms (${p.backend})`, met: p.secondsPerEpoch <= 0.01 });
  const e = [...r.evaluation].sort((a, b) => a.milliseconds - b.milliseconds)[0];
  if (e) out.push({ target: `evaluation of the ${e.images.toLocaleString('en')} test images, ${e.model}: ≤ 50 ms`, value: `${e.milliseconds.toFixed(1)} ms (${e.backend}, ${e.threads} thread(s))`, met: e.milliseconds <= 50 });
  if (r.memory) out.push({ target: 'peak RSS of 10-class training ≤ 400 MB', value: `${r.memory.peakRssMB.toFixed(0)} MB`, met: r.memory.peakRssMB <= 400 });
  return out;
}
