/**
 * --ensemble K: K models of one config with seeds seed … seed + K − 1, each trained alone and kept at its own
 * validation-selected epoch (or retrained on every training file with --retrain-full), then their class scores
 * averaged (model/ensemble.ts). The log holds one run: its start, and an end whose validation and test accuracy
 * are the ensemble's, with each member's own numbers beside them. The members share one backend, so that the
 * ensemble predicts from one memory and saves as one model file.
 */
import { toSparseRows } from '../data/sparse.js';
import { AtomicLineWriter } from '../io.js';
import type { Backend } from '../kernels/backend.js';
import { getBackend } from '../kernels/index.js';
import { EnsembleRule } from '../model/ensemble.js';
import type { RunConfig } from './config.js';
import { evaluateRows } from './predict.js';
import type { RunHooks, RunOutcome } from './run.js';
import { loadDataset } from './run.js';
import { taskFor } from './build.js';
import type { TrainResult } from './trainer.js';

/** One member in the ensemble's end event. */
export interface EnsembleMember {
  seed: number;
  selected: TrainResult['selected'];
  final: TrainResult['final'];
  retrainedTest?: number;
  trainSeconds: number;
  /** Validation accuracy after each evaluation (the member's curve). */
  curve: { epoch: number; valAccuracy: number }[];
}

export interface EnsembleSummary {
  size: number;
  validationAccuracy: number;
  testAccuracy: number;
  testBalancedAccuracy: number;
  members: EnsembleMember[];
}

type TrainOne = (config: RunConfig, hooks: RunHooks, backend: Backend) => RunOutcome;

export function trainEnsemble(config: RunConfig, hooks: RunHooks, trainOne: TrainOne): RunOutcome {
  const size = config.ensemble ?? 1;
  const backend = getBackend(config.backend);
  const run = hooks.runId ?? 'train';
  const time = new Date().toISOString();
  const started = performance.now();
  const outcomes: RunOutcome[] = [];
  for (let i = 0; i < size; i++) {
    // keepBest: the member keeps the weights of its validation-selected epoch, the ones the ensemble averages.
    const member: RunConfig = { ...config, seed: config.seed + i, ensemble: 1, train: { ...config.train, keepBest: true } };
    outcomes.push(trainOne(member, { onEval: hooks.onEval, onUpdate: hooks.onUpdate, layout: hooks.layout, runId: `${run}/member-${member.seed}` }, backend));
  }
  const rule = new EnsembleRule(outcomes.map((o) => o.rule));
  const task = taskFor(config, loadDataset(config));
  // Retrained members have learned the validation split: the ensemble has no validation accuracy then.
  const validation = task.validation.count > 0 && !config.train.retrainFull ? evaluateRows(rule, toSparseRows(task.validation, task.inputs, task.scale, backend)) : null;
  const test = evaluateRows(rule, toSparseRows(task.test, task.inputs, task.scale, backend));
  const members: EnsembleMember[] = outcomes.map(({ header, result: r }) => ({
    seed: header.config.seed, selected: r.selected, final: r.final, retrainedTest: r.retrained?.testAccuracy, trainSeconds: r.trainSeconds,
    curve: r.history.map((e) => ({ epoch: e.epoch, valAccuracy: e.valAccuracy })),
  }));
  const ensemble: EnsembleSummary = {
    size, validationAccuracy: validation?.accuracy ?? NaN, testAccuracy: test.accuracy, testBalancedAccuracy: test.balancedAccuracy, members,
  };
  const first = outcomes[0];
  const header = { ...first.header, time, run, experiment: hooks.experiment, config, parameters: rule.parameterCount() };
  const trainSeconds = outcomes.reduce((a, o) => a + o.result.trainSeconds, 0);
  const samples = outcomes.reduce((a, o) => a + o.result.samples, 0);
  // The ensemble's own numbers where a single run has its selected and final ones (each member is at its selected point).
  const result: TrainResult & { ensemble: EnsembleSummary } = {
    ...first.result,
    updates: outcomes.reduce((a, o) => a + o.result.updates, 0), samples, trainSeconds,
    wallSeconds: (performance.now() - started) / 1000, samplesPerSecond: trainSeconds > 0 ? samples / trainSeconds : 0,
    finalValAccuracy: ensemble.validationAccuracy, finalValBalancedAccuracy: validation?.balancedAccuracy ?? NaN,
    bestValAccuracy: ensemble.validationAccuracy,
    selected: { ...first.result.selected, validationAccuracy: ensemble.validationAccuracy, testAccuracy: test.accuracy, testBalancedAccuracy: test.balancedAccuracy },
    final: { validationAccuracy: ensemble.validationAccuracy, testAccuracy: test.accuracy, testBalancedAccuracy: test.balancedAccuracy },
    history: [], epochErrors: [], ensemble,
  };
  const file = hooks.log ? new AtomicLineWriter(hooks.log) : null;
  const log = file ?? hooks.writer ?? null;
  log?.writeLine(JSON.stringify(header));
  const { history: _history, ...summary } = result;
  log?.writeLine(JSON.stringify({ event: 'end', run, ...summary }));
  file?.close();
  return { header, result, rule };
}
