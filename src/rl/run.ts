/**
 * One RL run as the CLI and the experiment make it (Node): resolve the config, build the environment (reading
 * MNIST for the reward-only task), the encoding and the agent, train with one NDJSON event per episode (the
 * MNIST task: one per evaluation), read the test images once at the end, and play a loaded agent greedily.
 * It never prints.
 */
import { resolve } from 'node:path';
import { datasetAt } from '../data/cache.js';
import { holdOut } from '../data/holdout.js';
import { buildTask, type Task } from '../data/tasks.js';
import { getBackend } from '../kernels/index.js';
import { RL_LOG_FORMAT, type RlEvalRecord, type RlStartEvent, type RlSummary } from '../log/events.js';
import { type LogTarget, startFields, withRunLog } from '../log/write.js';
import { RUN_DEFAULTS } from '../options/run.js';
import { Acrobot } from './acrobot.js';
import { type Agent, agentShape, createAgent } from './agent.js';
import { cartpoleEncoding } from './boxes.js';
import { CartPole } from './cartpole.js';
import { meanAbsWeight } from './dqn.js';
import { MountainCar } from './mountaincar.js';
import { type RlConfig, type RlInput, resolveRlConfig } from './config.js';
import {
  ACROBOT_SCALES,
  type Encoding,
  MOUNTAINCAR_OFFSETS,
  MOUNTAINCAR_SCALES,
  pixelEncoding,
  RBF_CENTRES,
  rbfEncoding,
} from './encoding.js';
import type { Env } from './env.js';
import { envSeed, type EpisodeRecord, finalGreedy, greedyAccuracy, trainAgent } from './loop.js';
import { RewardOnlyMnist } from './mnist-task.js';

/** Where the run logs (run id "rl" by default), and what it reports as it goes. */
export interface RlHooks extends LogTarget {
  /** Called once the episodes to run are known (the MNIST task: one pass over the training images). */
  onStart?: (episodes: number) => void;
  onEpisode?: (e: EpisodeRecord) => void;
  onEval?: (e: RlEvalRecord) => void;
}

export interface RlOutcome {
  header: RlStartEvent;
  /** accuracy: greedy accuracy on the test images, read once after training (MNIST task). */
  result: RlSummary;
  returns: Float32Array;
  agent: Agent;
}

/** Episodes between two measurements of the mean |w| in the log. */
export const WEIGHTS_EVERY = 50;

/** The environment, encoding and (MNIST) task of a config. */
export function buildEnv(config: RlConfig): { env: Env; encoding: Encoding; task?: Task } {
  if (config.env === 'cartpole') return { env: new CartPole(), encoding: cartpoleEncoding(config) };
  if (config.env === 'acrobot') return { env: new Acrobot(), encoding: rbfEncoding(ACROBOT_SCALES) };
  if (config.env === 'mountaincar')
    return { env: new MountainCar(), encoding: rbfEncoding(MOUNTAINCAR_SCALES, RBF_CENTRES, MOUNTAINCAR_OFFSETS) };
  const ds = datasetAt(config.data);
  const files = buildTask(ds, 'all', []);
  // The classifier runs' fixed split seed: the same 10,000 validation images as `edlearn train --task all`.
  const split =
    config.validation > 0
      ? holdOut(files.train, files.inputs, config.validation, RUN_DEFAULTS.splitSeed)
      : { train: files.train, validation: files.validation };
  const task: Task = { ...files, ...split };
  const env = new RewardOnlyMnist(task.train, task.classes, task.scale, 0, true, `reward-only ${ds.name}`);
  return { env, encoding: pixelEncoding(task.inputs), task };
}

/** resolveRlConfig with a data directory made absolute (a saved agent names its data wherever it is read). */
export function resolveRlRun(input: RlInput): RlConfig {
  const config = resolveRlConfig(input);
  return config.data === 'mnist' ? config : { ...config, data: resolve(config.data) };
}

export function runRl(input: RlInput, hooks: RlHooks = {}): RlOutcome {
  const config = resolveRlRun(input);
  const backend = getBackend(config.backend);
  const { env, encoding, task } = buildEnv(config);
  const shape = agentShape(env, encoding.features, config.gamma);
  const agent = createAgent(config, shape, backend);
  const weightsStart = meanAbsWeight(agent.columns);
  const header: RlStartEvent = {
    ...startFields(RL_LOG_FORMAT, hooks, 'rl'),
    config,
    backend: backend.name,
    env: {
      name: env.name,
      actions: env.actions,
      observationSize: env.observationSize,
      features: encoding.features,
      encoding: encoding.name,
      valueScale: shape.valueScale,
      valueMin: shape.valueMin,
      solvedAt: env.solvedAt,
      ...(task ? { train: task.train.count, validation: task.validation.count, test: task.test.count } : {}),
    },
    parameters: agent.columns.parameters().reduce((n, p) => n + p.length, 0),
  };
  return withRunLog(hooks, header, (log) => {
    const episodes = config.episodes ?? task?.train.count ?? 1000;
    hooks.onStart?.(episodes);
    let rewarded = 0;
    let since = 0;
    let validationAccuracy: number | undefined;
    const { result, returns } = trainAgent(agent, env, encoding, {
      seed: envSeed(config.seed),
      episodes,
      steps: config.steps,
      untilSolved: config.untilSolved,
      onEpisode: (e) => {
        rewarded += e.return;
        since++;
        const weights = e.episode % WEIGHTS_EVERY === 0 ? { weights: round(meanAbsWeight(agent.columns), 5) } : {};
        if (!task)
          log.event('episode', {
            ...e,
            epsilon: round(e.epsilon, 4),
            mean100: round(e.mean100, 2),
            seconds: round(e.seconds, 3),
            ...weights,
          });
        hooks.onEpisode?.(e);
      },
      evalEvery: task ? (config.evalEvery ?? Math.max(1, Math.round(episodes / 20))) : undefined,
      onEval: (episode, steps) => {
        if (!task || task.validation.count === 0) return;
        validationAccuracy = greedyAccuracy(agent.columns, task.validation, task.scale);
        const record: RlEvalRecord = { episode, steps, validationAccuracy, rewardRate: rewarded / Math.max(1, since) };
        rewarded = 0;
        since = 0;
        log.event('eval', record);
        hooks.onEval?.(record);
      },
    });
    // The test images, read once, after training.
    const accuracy = task ? greedyAccuracy(agent.columns, task.test, task.scale) : undefined;
    const greedy =
      accuracy !== undefined && task
        ? { episodes: task.test.count, mean: accuracy, min: accuracy === 1 ? 1 : 0 }
        : finalGreedy(agent, buildEnv(config).env, encoding, config.seed);
    const summary: RlSummary = {
      ...result,
      greedy,
      weights: { start: weightsStart, end: meanAbsWeight(agent.columns) },
      ...(task ? { accuracy, validationAccuracy } : {}),
    };
    return { end: summary, value: { header, result: summary, returns, agent } };
  });
}

/** Rounded for the log (15,000 episode events stay small); the run itself keeps full precision. */
const round = (v: number, digits: number) => Number(v.toFixed(digits));
