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

/** The final agent played greedily: episodes, mean and lowest return. */
export interface GreedySummary {
  episodes: number;
  mean: number;
  min: number;
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
  /** Mean return of the last 100 episodes so far (the lab's running figure). */
  lastMean100: number;
  /** Mean return of the last 100 training episodes when the budget ended (persistence, not only the first solve). */
  finalMean100: number;
  trainSeconds: number;
  stepsPerSecond: number;
}

/** The stream an environment is seeded from: a fork of the run's seed, apart from the weights' and the agent's. */
export function envSeed(seed: number, salt = 3): number {
  return new Random(seed).fork(salt).uint32();
}

/**
 * Training episode by episode (the lab runs it in slices between messages); trainAgent runs it to the end.
 * Tracks the returns, the mean of the last 100 and the first episode that reached env.solvedAt.
 */
export class RlSession {
  readonly returns: number[] = [];
  steps = 0;
  solvedAtEpisode: number | null = null;
  bestMean100 = -Infinity;
  mean100 = 0;
  private features: Float32Array;
  private next: Float32Array;
  private window = 0;
  private seconds = 0;

  constructor(
    readonly agent: Agent,
    readonly env: Env,
    readonly encoding: Encoding,
    private readonly seed: number,
  ) {
    this.features = new Float32Array(encoding.features);
    this.next = new Float32Array(encoding.features);
  }

  get episodes(): number {
    return this.returns.length;
  }

  /** One training episode (exploring and learning); its record. */
  episode(): EpisodeRecord {
    const started = performance.now();
    const { agent, env, encoding } = this;
    // The environment is seeded once, at the first episode; later episodes continue its stream.
    encoding.encode(this.episodes === 0 ? env.reset(this.seed) : env.reset(), this.features);
    let total = 0;
    let length = 0;
    for (;;) {
      const action = agent.act(this.features, true);
      const step = env.step(action);
      encoding.encode(step.state, this.next);
      agent.observe({
        features: this.features,
        action,
        reward: step.reward,
        next: this.next,
        terminated: step.terminated,
        truncated: step.truncated,
        failed: env.failed(step),
      });
      [this.features, this.next] = [this.next, this.features];
      total += step.reward;
      length++;
      this.steps++;
      if (step.terminated || step.truncated) break;
    }
    const r = this.returns;
    r.push(total);
    const episode = r.length;
    this.window += total - (episode > 100 ? r[episode - 101] : 0);
    this.mean100 = this.window / Math.min(episode, 100);
    this.bestMean100 = Math.max(this.bestMean100, this.mean100);
    if (this.solvedAtEpisode === null && env.solvedAt !== null && episode >= 100 && this.mean100 >= env.solvedAt)
      this.solvedAtEpisode = episode;
    this.seconds += (performance.now() - started) / 1000;
    return {
      episode,
      return: total,
      length,
      steps: this.steps,
      epsilon: agent.epsilon,
      mean100: this.mean100,
      seconds: this.seconds,
    };
  }

  /** Training seconds so far (time spent inside episode()). */
  get trainSeconds(): number {
    return this.seconds;
  }

  result(): RlResult {
    return {
      episodes: this.episodes,
      steps: this.steps,
      solvedAtEpisode: this.solvedAtEpisode,
      bestMean100: this.bestMean100,
      lastMean100: this.mean100,
      finalMean100: this.mean100,
      trainSeconds: this.seconds,
      stepsPerSecond: this.steps / Math.max(this.seconds, 1e-9),
    };
  }
}

export function trainAgent(
  agent: Agent,
  env: Env,
  encoding: Encoding,
  o: RlLoopOptions,
): { result: RlResult; returns: Float32Array } {
  const session = new RlSession(agent, env, encoding, o.seed);
  while (session.episodes < o.episodes && (o.steps === undefined || session.steps < o.steps)) {
    const e = session.episode();
    o.onEpisode?.(e);
    if (o.evalEvery && e.episode % o.evalEvery === 0) o.onEval?.(e.episode, e.steps);
    if (o.untilSolved && session.solvedAtEpisode !== null) break;
  }
  if (o.evalEvery && session.episodes % o.evalEvery !== 0) o.onEval?.(session.episodes, session.steps);
  return { result: session.result(), returns: Float32Array.from(session.returns) };
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

/** Episodes the final agent plays greedily for the summary. */
export const GREEDY_EPISODES = 100;
/** Salt of the greedy evaluation's environment stream (training's is 3, the lab's replays 5). */
export const GREEDY_SALT = 7;

/**
 * The summary's greedy figure of a final agent: GREEDY_EPISODES episodes on their own seed stream, apart from
 * training's. The CLI's summary and the lab's CartPole panel both report this.
 */
export function finalGreedy(agent: Agent, env: Env, encoding: Encoding, seed: number): GreedySummary {
  const returns = playGreedy(agent, env, encoding, GREEDY_EPISODES, envSeed(seed, GREEDY_SALT));
  return {
    episodes: returns.length,
    mean: returns.reduce((a, b) => a + b, 0) / Math.max(1, returns.length),
    min: Math.min(...returns),
  };
}

/**
 * The states of one greedy episode (the lab draws it): the initial state, then the state after each action.
 */
export function greedyTrajectory(
  agent: Agent,
  env: Env,
  encoding: Encoding,
  seed: number,
): { states: Float64Array[]; actions: number[] } {
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
