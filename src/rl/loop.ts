/**
 * The RL loop: episodes of env ↔ agent, every state encoded the same way for every agent, with one event per
 * episode; greedy play of a trained agent; greedy accuracy on a split of the MNIST task. Browser-safe, never
 * prints.
 */
import type { Split } from '../data/tasks.js';
import { Random } from '../random.js';
import { argmaxRow } from '../rules/rule.js';
import type { Agent } from './agent.js';
import type { Columns } from './columns.js';
import type { Encoding } from './encoding.js';
import type { Env } from './env.js';

export interface EpisodeRecord {
  episode: number;
  return: number;
  length: number;
  /** Environment steps so far. */
  steps: number;
  epsilon: number;
  /** Mean return of the last 100 episodes (fewer at the start). */
  mean100: number;
  seconds: number;
}

export interface RlLoopOptions {
  /** Seed of the environment's stream (episode starts, image order). */
  seed: number;
  episodes: number;
  steps?: number;
  /** Stop at the first episode where mean100 ≥ env.solvedAt. */
  untilSolved?: boolean;
  onEpisode?: (e: EpisodeRecord) => void;
  /** Called every evalEvery episodes (and after the last) with the episode count. */
  evalEvery?: number;
  onEval?: (episode: number, steps: number) => void;
}

export interface RlResult {
  episodes: number;
  steps: number;
  /** First episode (1-based) at which the mean return of the last 100 episodes reached env.solvedAt, or null. */
  solvedAtEpisode: number | null;
  /** Best mean return over 100 consecutive episodes (over the episodes so far, before there are 100). */
  bestMean100: number;
  lastMean100: number;
  trainSeconds: number;
  stepsPerSecond: number;
}

/** The stream an environment is seeded from: a fork of the run's seed, apart from the weights' and the agent's. */
export function envSeed(seed: number, salt = 3): number {
  return new Random(seed).fork(salt).uint32();
}

export function trainAgent(agent: Agent, env: Env, encoding: Encoding, o: RlLoopOptions): { result: RlResult; returns: Float32Array } {
  const returns = new Float32Array(o.episodes);
  let features = new Float32Array(encoding.features);
  let next = new Float32Array(encoding.features);
  let steps = 0;
  let window = 0;
  let solvedAtEpisode: number | null = null;
  let bestMean100 = -Infinity;
  let mean100 = 0;
  let episode = 0;
  const started = performance.now();
  let state = env.reset(o.seed);
  while (episode < o.episodes && (o.steps === undefined || steps < o.steps)) {
    if (episode > 0) state = env.reset();
    encoding.encode(state, features);
    let total = 0;
    let length = 0;
    for (;;) {
      const action = agent.act(features, true);
      const step = env.step(action);
      encoding.encode(step.state, next);
      agent.observe({ features, action, reward: step.reward, next, terminated: step.terminated, truncated: step.truncated, failed: env.failed(step) });
      [features, next] = [next, features];
      total += step.reward;
      length++;
      steps++;
      if (step.terminated || step.truncated) break;
    }
    returns[episode] = total;
    window += total - (episode >= 100 ? returns[episode - 100] : 0);
    episode++;
    mean100 = window / Math.min(episode, 100);
    bestMean100 = Math.max(bestMean100, mean100);
    if (solvedAtEpisode === null && env.solvedAt !== null && episode >= 100 && mean100 >= env.solvedAt) solvedAtEpisode = episode;
    o.onEpisode?.({ episode, return: total, length, steps, epsilon: agent.epsilon, mean100, seconds: (performance.now() - started) / 1000 });
    if (o.evalEvery && episode % o.evalEvery === 0) o.onEval?.(episode, steps);
    if (o.untilSolved && solvedAtEpisode !== null) break;
  }
  if (o.evalEvery && episode % o.evalEvery !== 0) o.onEval?.(episode, steps);
  const trainSeconds = (performance.now() - started) / 1000;
  return {
    result: { episodes: episode, steps, solvedAtEpisode, bestMean100, lastMean100: mean100, trainSeconds, stepsPerSecond: steps / Math.max(trainSeconds, 1e-9) },
    returns: returns.subarray(0, episode),
  };
}

/** Greedy episodes (no exploration, no learning) from the environment seeded by `seed`; their returns. */
export function playGreedy(agent: Agent, env: Env, encoding: Encoding, episodes: number, seed: number): number[] {
  const features = new Float32Array(encoding.features);
  const out: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let state = e === 0 ? env.reset(seed) : env.reset();
    let total = 0;
    for (;;) {
      encoding.encode(state, features);
      const step = env.step(agent.act(features, false));
      total += step.reward;
      state = step.state;
      if (step.terminated || step.truncated) break;
    }
    out.push(total);
  }
  return out;
}

/**
 * The states of one greedy episode (the lab draws it): the initial state, then the state after each action.
 */
export function greedyTrajectory(agent: Agent, env: Env, encoding: Encoding, seed: number): { states: Float64Array[]; actions: number[] } {
  const features = new Float32Array(encoding.features);
  let state = env.reset(seed);
  const states = [state];
  const actions: number[] = [];
  for (;;) {
    encoding.encode(state, features);
    const action = agent.act(features, false);
    const step = env.step(action);
    actions.push(action);
    state = step.state;
    states.push(state);
    if (step.terminated || step.truncated) break;
  }
  return { states, actions };
}

/** Share of a split's images whose highest column is the image's class (greedy accuracy on the reward-only task). */
export function greedyAccuracy(columns: Columns, split: Split, scale: number): number {
  const F = columns.features;
  const chunk = columns.maxBatch;
  const rows = new Float32Array(chunk * F);
  const picks = Int32Array.from({ length: chunk }, (_, i) => i);
  const q = new Float32Array(chunk * columns.actions);
  let correct = 0;
  for (let at = 0; at < split.count; at += chunk) {
    const n = Math.min(chunk, split.count - at);
    for (let i = 0; i < n * F; i++) rows[i] = split.x[at * F + i] * scale;
    columns.values(columns.load(rows, picks, n), q);
    for (let b = 0; b < n; b++) if (argmaxRow(q, b, columns.actions) === split.labels[at + b]) correct++;
  }
  return correct / Math.max(1, split.count);
}
