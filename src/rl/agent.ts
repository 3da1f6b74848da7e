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
  /** Bound of |return| the DQN values are scaled by (env.maxReward · (1 − γ^horizon) / (1 − γ)). */
  valueScale: number;
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
  if (config.agent === 'ed-columns') return new ColumnAgent(config, columns, rng);
  return new DqnAgent(config, columns, buildAgentColumns(config, shape, backend), shape.valueScale, rng);
}

/** The bound of |return| that maps action values into the sigmoid's range (0, 1). */
export function valueScale(maxReward: number, horizon: number, gamma: number): number {
  return (maxReward * (1 - gamma ** horizon)) / (1 - gamma);
}
