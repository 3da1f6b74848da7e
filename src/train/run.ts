/**
 * One training run from a TrainInput, as the CLI and the experiments make it: resolve the config, load the data,
 * build the run (train/build.ts), spread its networks over the cores, train, optionally retrain on every training
 * file, and log. It never prints.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { loadDataset } from '../data/cache.js';
import { mergeSplits } from '../data/holdout.js';
import { emptySplit, type Task } from '../data/tasks.js';
import { spreadNetworks } from '../engine/threads.js';
import { LOG_FORMAT, type RunHeader, taskSummary } from '../log/events.js';
import { startFields, withRunLog } from '../log/write.js';
import type { Backend } from '../kernels/backend.js';
import { getBackend } from '../kernels/index.js';
import type { Rule } from '../rules/rule.js';
import { buildRule, buildRun, maxBatchFor, taskFor, trainOptions } from './build.js';
import { type RunConfig, resolveConfig, type TrainInput } from './config.js';
import { train, type TrainResult } from './trainer.js';
import { trainEnsemble } from './ensemble.js';
import type { Retrained, RunHooks, RunOutcome } from './run-types.js';

export type { RunHooks, RunOutcome } from './run-types.js';

export function loadTask(config: RunConfig): Task {
  return taskFor(config, loadDataset(config));
}

/**
 * resolveConfig with Node's defaults: every core, and a data directory made absolute, so that a model file
 * saved from here can be evaluated from anywhere.
 */
export function resolveRunConfig(input: TrainInput): RunConfig {
  const config = resolveConfig(input, { threads: availableParallelism() });
  const { data } = config.task;
  return data === 'mnist' ? config : { ...config, task: { ...config.task, data: resolve(data) } };
}

export function runTraining(input: TrainInput, hooks: RunHooks = {}): RunOutcome {
  const config = resolveRunConfig(input);
  if ((config.ensemble ?? 1) > 1) return trainEnsemble(config, hooks, trainOne);
  return trainOne(config, hooks, getBackend(config.backend));
}

/** One model of a resolved config, on `backend` (an ensemble's members share one, so that they predict together). */
function trainOne(config: RunConfig, hooks: RunHooks, backend: Backend): RunOutcome {
  const { task, rule, train: trainOptions } = buildRun(config, loadDataset(config), backend, hooks.layout);
  const pool = spreadNetworks(rule, config.threads, config.train.batch);
  const header: RunHeader = {
    ...startFields(LOG_FORMAT, hooks, 'train'),
    config,
    backend: backend.name,
    threads: pool?.threads ?? 1,
    task: taskSummary(task),
    parameters: rule.parameterCount(),
  };
  try {
    return withRunLog(hooks, header, (log) => {
      const chosen = train(rule, task, {
        ...trainOptions,
        onUpdate: hooks.onUpdate,
        onEval: (e) => {
          log.event('eval', e);
          hooks.onEval?.(e);
        },
      });
      const full = config.train.retrainFull ? retrainFull(config, task, backend, chosen) : null;
      const result = full ? { ...chosen, retrained: full.retrained } : chosen;
      const { history: _history, ...summary } = result;
      return { end: summary, value: { header, result, rule: full?.rule ?? rule } };
    });
  } finally {
    void pool?.close();
  }
}

/**
 * The usual protocol in papers: with the number of epochs chosen on validation, train a fresh rule (same seed)
 * on training + validation for that many epochs and read the test split once.
 */
function retrainFull(
  config: RunConfig,
  task: Task,
  backend: Backend,
  chosen: TrainResult,
): { rule: Rule; retrained: Retrained } {
  const epochs = Math.max(1, Math.round(chosen.selected.epoch));
  const all: Task = {
    ...task,
    train: mergeSplits(task.train, task.validation, task.inputs),
    validation: emptySplit(task.inputs),
  };
  const rule = buildRule(
    { config, inputs: task.inputs, classes: task.classes, maxBatch: maxBatchFor(config.train.batch) },
    backend,
  );
  const threads = spreadNetworks(rule, config.threads, config.train.batch);
  try {
    const r = train(rule, all, {
      ...trainOptions(config),
      epochs,
      updates: undefined,
      evalEvery: undefined,
      keepBest: false,
    });
    return {
      rule,
      retrained: {
        epochs,
        updates: r.updates,
        trainSeconds: r.trainSeconds,
        testAccuracy: r.final.testAccuracy,
        testBalancedAccuracy: r.final.testBalancedAccuracy,
      },
    };
  } finally {
    void threads?.close();
  }
}
