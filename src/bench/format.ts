/** A bench report as the tables `edlearn bench` prints, and as the README's speed section (Markdown). */
import { DENSE_ABOVE } from '../rules/rule.js';
import type { BenchReport } from './report.js';
import { table } from './stats.js';
import { limitShare, rows } from './targets.js';
import { TRAINING_CASES } from './training.js';

/** One row per training result, with the per-thread rate, the share of the best GEMM and the scaling. */
function trainingRows(r: BenchReport) {
  const { find, bestGemm, ceiling } = rows(r);
  return r.training.map((t) => {
    const one = t.threads > 1 ? find(t.case, t.engine, 'one', t.backend) : undefined;
    const ceil = t.threads > 1 && t.engine === 'current' ? ceiling(t.case) : undefined;
    const scaling = one ? one.secondsPerEpoch / t.secondsPerEpoch : undefined;
    return {
      case: t.case,
      engine: t.engine,
      backend: t.backend,
      threads: t.threads,
      's/epoch': t.secondsPerEpoch,
      'samples/s': Math.round(t.samplesPerSecond),
      'GFLOP/s per thread': t.gflopsPerThread,
      '% of best GEMM': `${((100 * t.gflopsPerThread) / bestGemm(t.backend)).toFixed(0)} %`,
      'vs 1 thread': scaling ? `${scaling.toFixed(2)}×` : '-',
      ceiling: ceil ? `${ceil.speedup.toFixed(2)}×` : '-',
      '% of ceiling': scaling && ceil ? `${((100 * scaling) / ceil.speedup).toFixed(0)} %` : '-',
    };
  });
}

/**
 * The online first layer moves one float per multiply-add, so its bound is the memory rate, not GEMM's: its
 * weight traffic per thread beside a streaming x += y over one band's working set.
 */
function memoryBoundLine(r: BenchReport): string {
  if (!r.stream) return '';
  const online = r.training.filter(
    (t) => t.gbPerSecondPerThread !== undefined && t.engine === 'current' && t.backend === r.stream!.backend,
  );
  if (online.length === 0) return '';
  const rate = r.stream.gbPerSecond;
  const parts = online.map(
    (t) =>
      `${t.case}, ${t.threads} thread${t.threads > 1 ? 's' : ''}: ${t.gbPerSecondPerThread!.toFixed(1)} GB/s ` +
      `per thread (${((100 * t.gbPerSecondPerThread!) / rate).toFixed(0)} %)`,
  );
  return (
    `Weight traffic of the online first layer (forward read, update read and ` +
    `write): ${parts.join('; ')}, of a streaming x += y over one band's ${r.stream.megabytes.toFixed(1)} MB ` +
    `arrays on one thread (${rate.toFixed(1)} GB/s).`
  );
}

/** Fresh processes: one row per command, with the train runs' µs of training per sample. */
function startupRows(r: BenchReport) {
  return (r.startup?.rows ?? []).map((s) => ({
    command: s.command,
    [`wall ms (median of ${r.startup!.rounds})`]: Math.round(s.wallMs),
    'training µs/sample: run · first epoch · last epochs': s.training
      ? `${s.training.usPerSample.toFixed(2)} · ${s.training.firstEpochUsPerSample.toFixed(2)} ` +
        `· ${s.training.steadyUsPerSample.toFixed(2)}`
      : '-',
  }));
}

/** The seed baseline's executed rate and its share of the sparse limit. */
function seedLimitLine(r: BenchReport): string {
  const pair = TRAINING_CASES[0];
  const t = rows(r).find(pair.name, 'current', 'one');
  const limit = t && limitShare(r, t, '64×');
  if (!t || !limit) return '';
  return (
    `Seed baseline (${pair.name}, ${t.backend}, 1 thread): ${t.gflops.toFixed(1)} GFLOP/s ` +
    `executed, ${(t.secondsPerEpoch * 1000).toFixed(1)} ms per epoch; its sparse limit (the forward pass and the ` +
    `learning sign family over the non-zero inputs only, at the sparse kernels' measured rate at its shape) ` +
    `is ${(limit.seconds * 1000).toFixed(1)} ms: ${(100 * limit.share).toFixed(0)} % of the limit.`
  );
}

/** Where the first layer's dense kernels catch up with the sparse ones. */
function cutoverLine(r: BenchReport): string {
  const c = r.cutover;
  if (!c) return '';
  const parts = c.crossings.map(
    (x) =>
      `${x.shape}: ${
        x.density === null
          ? `sparse faster at every density up to ${(100 * x.topDensity).toFixed(0)} %`
          : `dense as fast from ${(100 * x.density).toFixed(0)} % non-zero`
      }`,
  );
  return (
    `First layer, sparse against dense kernels (forward and update, real images thickened to each ` +
    `density, ${c.backend}; online, each update computing the next sums): ${parts.join('; ')}. Training takes ` +
    `the dense kernels for batches over ${100 * DENSE_ABOVE} % non-zero (rules/rule.ts, from this measurement); ` +
    `online, the sparse ones at every density.`
  );
}

/** Said when the machine was busier than its cores: times are then inflated, and the targets need a quiet re-run. */
function loadNote(r: BenchReport): string {
  const load = Math.max(r.machineBefore.load[0], r.machineAfter.load[0]);
  if (load <= r.machineBefore.cores) return '';
  return (
    ` **measured under load** (load average up to ${load} on ${r.machineBefore.cores} cores): every time ` +
    `is inflated by the other work, the parallel ceiling falls below 1.5× and the targets on absolute times need ` +
    `a re-run on a quiet machine; comparisons timed in turn within the run (start-up beside \`node -e 0\`, sparse ` +
    `against dense, Fashion-MNIST density against MNIST) suffer less.`
  );
}

const met = (m: boolean | null) => (m === null ? 'n/a' : m ? 'yes' : 'NO');

export function formatBenchReport(report: BenchReport): string {
  const m = report.machineBefore;
  const lines = [
    `edlearn ${report.version} bench · ${m.cpu} · ${m.cores} cores · node ${m.node} · ` +
      `load ${m.load.join(' ')} → ${report.machineAfter.load.join(' ')}${loadNote(report)}`,
    '\nKernels (checked against the reference, then median time; sigmoid in G elements/s)',
    table(
      report.kernels.map((k) => ({
        backend: k.backend,
        kernel: k.kernel,
        shape: k.shape,
        'GFLOP/s': k.gflops,
        µs: k.microseconds,
      })),
    ),
    "\nParallel ceiling (the first layer's kernels of each case: one copy alone, then one per thread at once)",
    table(
      report.ceilings.map((c) => ({
        case: c.case,
        backend: c.backend,
        threads: c.threads,
        'alone s': c.aloneSeconds,
        'together s': c.togetherSeconds,
        ceiling: `${c.speedup.toFixed(2)}×`,
      })),
    ),
    '\nTraining (median over repeats of a timed block scaled to one epoch; executed multiply-adds only; the ' +
      'reference on part of an epoch)',
    table(trainingRows(report)),
    '\nEvaluation',
    table(
      report.evaluation.map((e) => ({
        model: e.model,
        backend: e.backend,
        threads: e.threads,
        images: e.images,
        ms: e.milliseconds,
        'images/s': Math.round(e.imagesPerSecond),
      })),
    ),
  ];
  if (report.memory) lines.push(`\nMemory: ${report.memory.case}: peak RSS ${report.memory.peakRssMB.toFixed(0)} MB`);
  if (report.startup)
    lines.push('\nStart-up (fresh processes, in turn; train runs with --json)', table(startupRows(report)));
  for (const line of [memoryBoundLine(report), seedLimitLine(report), cutoverLine(report)])
    if (line) lines.push(`\n${line}`);
  lines.push('\nTargets', table(report.targets.map((t) => ({ target: t.target, measured: t.value, met: met(t.met) }))));
  return lines.join('\n');
}

const cell = (v: string | number) =>
  typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en') : v < 10 ? v.toFixed(3) : v.toFixed(1)) : v;
function markdownTable(rowsOf: Record<string, string | number>[]): string {
  if (rowsOf.length === 0) return '';
  const cols = Object.keys(rowsOf[0]);
  return [
    `| ${cols.join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...rowsOf.map((r) => `| ${cols.map((c) => cell(r[c] ?? '')).join(' | ')} |`),
  ].join('\n');
}

/** The README's speed tables, printed from a results file (`edlearn bench --markdown bench/results.json`). */
export function formatSpeedMarkdown(report: BenchReport): string {
  const m = report.machineBefore;
  const gemm = report.backends.map((b) => {
    const rates = report.kernels.filter((k) => k.backend === b && k.kernel === 'gemm').map((k) => k.gflops);
    return `${b} ${Math.max(...rates).toFixed(1)}`;
  });
  const training = trainingRows(report).filter((t) => t.backend !== 'reference' || t.engine === 'current');
  return [
    `Measured by \`npm run bench\` on ${report.time.slice(0, 10)} (${m.cpu}, ${m.cores} cores, ` +
      `node ${m.node}, load ${m.load[0]} → ${report.machineAfter.load[0]}; medians ` +
      `of ${Math.max(...report.training.map((t) => t.repeats))}):${loadNote(report)}`,
    '',
    markdownTable(training),
    '',
    `Best GEMM (GFLOP/s): ${gemm.join(', ')}. Parallel ` +
      `ceiling: ${
        report.ceilings
          .map(
            (c) => `${c.case}: ${c.threads} copies of its kernels at once run ${c.speedup.toFixed(2)}× one copy alone`,
          )
          .join('; ') || 'not measured'
      }.`,
    `Evaluation of the ${report.evaluation[0]?.images.toLocaleString('en') ?? '?'} test ` +
      `images: ${report.evaluation
        .map((e) => `${e.milliseconds.toFixed(1)} ms (${e.backend}, ${e.threads} thread${e.threads > 1 ? 's' : ''})`)
        .join(', ')}.`,
    report.memory ? `Peak RSS of ${report.memory.case}: ${report.memory.peakRssMB.toFixed(0)} MB.` : '',
    ...[memoryBoundLine(report), seedLimitLine(report), cutoverLine(report)].filter(Boolean),
    '',
    ...(report.startup
      ? [
          `Start-up: fresh processes, the commands in turn, round after round (the train runs with --json, ` +
            `whose training times they print):`,
          '',
          markdownTable(startupRows(report)),
          '',
        ]
      : []),
    markdownTable(report.targets.map((t) => ({ target: t.target, measured: t.value, met: met(t.met) }))),
  ].join('\n');
}
