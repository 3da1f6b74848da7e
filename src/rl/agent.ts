/**
 * The agents' common shape and their construction (docs/ed-method.md, "Reinforcement learning"): ed-dqn and
 * bp-dqn share the DQN loop (dqn.ts) and differ only in the rule their columns learn with; ed-columns is
 * Kaneko's column competition (column-agent.ts). Networks come from train/build.ts.
 */
import type { Backend } from '../kernels/backend.js';
import { Random } from '../random.js';
import { buildColumns } from '../train/build.js';
import type { RuleChoice } from '../train/config.js';
import type { AgentName } from '../options/rl.js';
import { Columns } from './columns.js';
import type { RlConfig } from './config.js';
import { ColumnAgent } from './column-agent.js';
import { DqnAgent } from './dqn.js';
import { VALUE_MARGIN, ValueHead } from './value-head.js';

/** One step as the agent sees it: encoded features before and after. */
export interface Transition {
  features: Float32Array;
  action: number;
  reward: number;
  next: Float32Array;
  terminated: boolean;
  truncated: boolean;
  /** The step was a failure (the column agent's negative reinforcement). */
  failed: boolean;
}

export interface Agent {
  readonly name: AgentName;
  /** The networks whose weights an agent file stores. */
  readonly columns: Columns;
  /** Exploration rate at the current step. */
  readonly epsilon: number;
  /** The action for one row of features: the highest column, or with probability ε a random one when exploring. */
  act(features: Float32Array, explore: boolean): number;
  /** Learns from a step it took. */
  observe(t: Transition): void;
}

/** Largest batch the columns predict at once (greedy evaluation runs in chunks of this). */
export const AGENT_MAX_BATCH = 256;

export interface AgentShape {
  features: number;
  actions: number;
  /** Top of the value range (valueScale(env.maxReward, env.horizon, γ)). */
  valueScale: number;
  /** Bottom of the value range (valueScale(env.minReward, …) when rewards are negative); 0 if absent. */
  valueMin?: number;
  /** Longest episode: 1 (a one-step task, which never bootstraps) gives the value head no margin. */
  horizon?: number;
}

/** The rule of an agent's columns: backprop for bp-dqn, ED for the others, with their options. */
export function columnRule(config: RlConfig): RuleChoice {
  if (config.agent === 'bp-dqn' && config.backprop) return { rule: 'backprop', backprop: config.backprop };
  if (config.agent !== 'bp-dqn' && config.ed) return { rule: 'ed', ed: config.ed };
  throw new Error(`columnRule: agent ${config.agent} has no options for its rule; resolve the config with resolveRlConfig`);
}

/** The columns of an agent (one network per action), built through train/build.ts from the config's seed. */
export function buildAgentColumns(config: RlConfig, shape: AgentShape, backend: Backend): Columns {
  const rules = buildColumns({
    config: { ...columnRule(config), seed: config.seed }, inputs: shape.features,
    columns: shape.actions, maxBatch: Math.max(AGENT_MAX_BATCH, config.batch, config.trace),
  }, backend);
  return new Columns(rules, shape.features, Math.max(AGENT_MAX_BATCH, config.batch, config.trace), backend);
}

export function createAgent(config: RlConfig, shape: AgentShape, backend: Backend): Agent {
  const rng = new Random(config.seed).fork(2);
  const columns = buildAgentColumns(config, shape, backend);
  const head = new ValueHead(shape.valueMin ?? 0, shape.valueScale, config.backprop?.loss === 'huber', shape.horizon === 1 ? 0 : VALUE_MARGIN);
  if (config.agent === 'ed-columns') {
    const critic = config.critic ? buildAgentColumns(config, { ...shape, actions: 1 }, backend) : undefined;
    return new ColumnAgent(config, columns, rng, critic, head);
  }
  return new DqnAgent(config, columns, buildAgentColumns(config, shape, backend), head, rng);
}

/**
 * The end of the value range for rewards of at most `reward` per step (value-head.ts): reward / (1 − γ), because a
 * time-limit truncation bootstraps (the fixed point of a never-failing policy); a one-step task: the reward itself.
 */
export function valueScale(reward: number, horizon: number, gamma: number): number {
  return ValueHead.of(reward, reward, gamma, horizon)[reward < 0 ? 'min' : 'max'];
}

/** The value head of an environment's rewards at discount γ. */
export function valueHeadOf(env: { minReward: number; maxReward: number; horizon: number }, gamma: number): ValueHead {
  return ValueHead.of(env.minReward, env.maxReward, gamma, env.horizon);
}
