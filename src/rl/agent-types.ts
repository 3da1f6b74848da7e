/** What an agent is to the RL loop: the step it learns from and the interface every agent implements. */
import type { AgentName } from '../options/rl.js';
import type { Columns } from './columns.js';

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
