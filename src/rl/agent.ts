/**
 * The agents' common shape and their construction (docs/ed-method.md, "Reinforcement learning"): ed-dqn and
 * bp-dqn share the DQN loop (dqn.ts) and differ only in the rule their columns learn with; ed-columns is
 * Kaneko's column competition (column-agent.ts). Networks come from train/build.ts.
 */
import type { Backend } from '../kernels/backend.js';
import { Random } from '../random.js';
import { buildColumns } from '../train/build.js';
import type { RuleChoice } from '../train/config.js';
import { Columns } from './columns.js';
import type { RlConfig } from './config.js';
import { ColumnAgent } from './column-agent.js';
import { Critic } from './critic.js';
import { Settle } from './settle.js';
import { DqnAgent } from './dqn.js';
import { DuelingColumns } from './dueling.js';
import type { Agent } from './agent-types.js';
import type { Env } from './env.js';
import { VALUE_MARGIN, ValueHead } from './value-head.js';

export type { Agent, Transition } from './agent-types.js';

/** Largest batch the columns predict at once (greedy evaluation runs in chunks of this). */
export const AGENT_MAX_BATCH = 256;

export interface AgentShape {
  features: number;
  actions: number;
  /** Top of the value range (valueScale(env.maxReward, env.horizon, γ)). */
  valueScale: number;
  /** Bottom of the value range (valueScale(env.minReward, …) when rewards are negative); 0 if absent. */
  valueMin?: number;
  /** The environment's solved threshold of an episode's return (the settle schedule); absent: settle is off. */
  solvedAt?: number;
  /** The lowest return of an episode, horizon × the lowest reward (0 when rewards are positive): graded settle. */
  worstReturn?: number;
  /** Longest episode: 1 (a one-step task, which never bootstraps) gives the value head no margin. */
  horizon?: number;
}

/** The rule of an agent's columns: backprop for bp-dqn, ED for the others, with their options. */
export function columnRule(config: RlConfig): RuleChoice {
  if (config.agent === 'bp-dqn' && config.backprop) return { rule: 'backprop', backprop: config.backprop };
  if (config.agent !== 'bp-dqn' && config.ed) return { rule: 'ed', ed: config.ed };
  throw new Error(
    `columnRule: agent ${config.agent} has no options for its rule; resolve the config with resolveRlConfig`,
  );
}

/** The columns of an agent (one network per action), built through train/build.ts from the config's seed. */
export function buildAgentColumns(config: RlConfig, shape: AgentShape, backend: Backend): Columns {
  // Dueling DQN columns: a value network first, then one advantage network per action (dueling.ts).
  const dueling = config.dueling === true && config.agent !== 'ed-columns';
  const maxBatch = Math.max(AGENT_MAX_BATCH, config.batch, config.trace);
  const rules = buildColumns(
    {
      config: { ...columnRule(config), seed: config.seed },
      inputs: shape.features,
      columns: shape.actions + (dueling ? 1 : 0),
      maxBatch,
    },
    backend,
  );
  if (dueling) return new DuelingColumns(rules, shape.features, maxBatch, backend, config.backprop?.loss !== 'huber');
  return new Columns(rules, shape.features, maxBatch, backend);
}

export function createAgent(config: RlConfig, shape: AgentShape, backend: Backend): Agent {
  const rng = new Random(config.seed).fork(2);
  const columns = buildAgentColumns(config, shape, backend);
  const head = new ValueHead(
    shape.valueMin ?? 0,
    shape.valueScale,
    config.backprop?.loss === 'huber',
    shape.horizon === 1 ? 0 : VALUE_MARGIN,
  );
  if (config.agent === 'ed-columns') {
    const critic = config.critic
      ? new Critic(
          buildAgentColumns(criticConfig(config), { ...shape, actions: 1 }, backend),
          head,
          config.gamma,
          config.criticTrace,
          config.trace,
        )
      : undefined;
    // Settle is the critic variant's (the plain columns keep Kaneko's six steps as they were).
    const settle = critic && new Settle(config.settle, shape.solvedAt, [columns, critic.column]);
    return new ColumnAgent(config, columns, rng, critic, settle);
  }
  const target = buildAgentColumns(config, shape, backend);
  return new DqnAgent(config, columns, target, head, rng, shape.solvedAt, shape.worstReturn);
}

/** The critic column's config: the columns' own, with its learning rate `criticLr` when that is given. */
function criticConfig(config: RlConfig): RlConfig {
  return config.criticLr > 0 && config.ed ? { ...config, ed: { ...config.ed, lr: config.criticLr } } : config;
}

/**
 * The end of the value range for rewards of at most `reward` per step (value-head.ts): reward / (1 − γ), because a
 * time-limit truncation bootstraps (the fixed point of a never-failing policy); a one-step task: the reward itself.
 */
export function valueScale(reward: number, horizon: number, gamma: number): number {
  return ValueHead.of(reward, reward, gamma, horizon)[reward < 0 ? 'min' : 'max'];
}

/** The shape of an agent for an environment whose states are coded into `features` inputs, at discount γ. */
export function agentShape(env: Env, features: number, gamma: number): AgentShape {
  const head = valueHeadOf(env, gamma);
  return {
    features,
    actions: env.actions,
    valueScale: head.max,
    valueMin: head.min,
    horizon: env.horizon,
    solvedAt: env.solvedAt ?? undefined,
    worstReturn: env.horizon * Math.min(0, env.minReward),
  };
}

/** The value head of an environment's rewards at discount γ. */
export function valueHeadOf(env: { minReward: number; maxReward: number; horizon: number }, gamma: number): ValueHead {
  return ValueHead.of(env.minReward, env.maxReward, gamma, env.horizon);
}
