/**
 * --ensemble K: K models of one config with seeds seed … seed + K − 1, each trained alone and kept at its own
 * validation-selected epoch (or retrained on every training file with --retrain-full), then their class scores
 * averaged (model/ensemble.ts). The log holds one run: its start, and an end whose validation and test accuracy
 * are the ensemble's, with each member's own numbers beside them. The members share one backend, so that the
 * ensemble predicts from one memory and saves as one model file.
 */
import { loadDataset } from '../data/cache.js';
import type { Backend } from '../kernels/backend.js';
import { getBackend } from '../kernels/index.js';
import type { RunHeader } from '../log/events.js';
import { type LogTarget, withRunLog } from '../log/write.js';
import type { Rule } from '../rules/rule.js';
import { taskFor } from './build.js';
import type { RunConfig } from './config.js';
import { type EnsembleSummary, scoreEnsemble } from './ensemble-score.js';
import type { RunHooks, RunOutcome } from './run-types.js';
import type { TrainResult } from './trainer.js';

type TrainOne = (config: RunConfig, hooks: RunHooks, backend: Backend) => RunOutcome;

export function trainEnsemble(config: RunConfig, hooks: RunHooks, trainOne: TrainOne): RunOutcome {
  const size = config.ensemble ?? 1;
  const backend = getBackend(config.backend);
  const run = hooks.runId ?? 'train';
  const outcomes: RunOutcome[] = [];
  for (let i = 0; i < size; i++) {
    // keepBest: the member keeps the weights of its validation-selected epoch, the ones the ensemble averages.
    const member: RunConfig = {
      ...config,
      seed: config.seed + i,
      ensemble: 1,
      train: { ...config.train, keepBest: true },
    };
    outcomes.push(
      trainOne(
        member,
        { onEval: hooks.onEval, onUpdate: hooks.onUpdate, layout: hooks.layout, runId: `${run}/member-${member.seed}` },
        backend,
      ),
    );
  }
  return combineMembers(
    config,
    outcomes.map((o) => ({ header: o.header, result: o.result, rule: o.rule })),
    backend,
    hooks,
  );
}

/**
 * The ensemble of trained members (from trainEnsemble, or model files read by `edlearn experiment`): evaluates
 * the averaged scores on the validation and test splits of `config`'s task and logs the ensemble as one run.
 */
export function combineMembers(
  config: RunConfig,
  members: {
    header: Pick<
      RunHeader,
      'config' | 'task' | 'backend' | 'threads' | 'machine' | 'version' | 'format' | 'formatVersion'
    >;
    result: Omit<TrainResult, 'history'> & { retrained?: { testAccuracy: number } };
    rule: Rule;
  }[],
  backend: Backend,
  target: LogTarget,
): RunOutcome {
  const started = performance.now();
  const task = taskFor(config, loadDataset(config));
  const scored = scoreEnsemble(
    members.map((m) => ({ seed: m.header.config.seed, result: m.result, rule: m.rule })),
    task,
    backend,
    config.train.retrainFull,
  );
  const { rule, summary: ensemble, validation } = scored;
  const test = { accuracy: ensemble.testAccuracy, balancedAccuracy: ensemble.testBalancedAccuracy };
  const first = members[0];
  const header: RunHeader = {
    ...first.header,
    event: 'start',
    time: new Date().toISOString(),
    run: target.runId ?? 'train',
    experiment: target.experiment,
    config: { ...config, ensemble: members.length },
    parameters: rule.parameterCount(),
  } as RunHeader;
  const sum = (f: (r: (typeof members)[number]['result']) => number) => members.reduce((a, m) => a + f(m.result), 0);
  const trainSeconds = sum((r) => r.trainSeconds);
  const samples = sum((r) => r.samples);
  const at = {
    validationAccuracy: ensemble.validationAccuracy,
    testAccuracy: test.accuracy,
    testBalancedAccuracy: test.balancedAccuracy,
  };
  // The ensemble's own numbers where a single run has its selected and final ones
  // (each member is at its selected point).
  // Results read from a member's log carry its event and run fields: not the ensemble's.
  const { event: _event, run: _run, ...base } = first.result as typeof first.result & { event?: string; run?: string };
  const result: TrainResult & { ensemble: EnsembleSummary } = {
    ...base,
    updates: sum((r) => r.updates),
    samples,
    trainSeconds,
    wallSeconds: sum((r) => r.wallSeconds) + (performance.now() - started) / 1000,
    samplesPerSecond: trainSeconds > 0 ? samples / trainSeconds : 0,
    finalValAccuracy: ensemble.validationAccuracy,
    finalValBalancedAccuracy: validation?.balancedAccuracy ?? NaN,
    bestValAccuracy: ensemble.validationAccuracy,
    selected: { ...base.selected, ...at },
    final: at,
    convergedEpoch: null,
    stoppedAt: null,
    history: [],
    epochErrors: [],
    ensemble,
  };
  return withRunLog(target, header, () => {
    const { history: _history, ...summary } = result;
    return { end: summary, value: { header, result, rule } };
  });
}
