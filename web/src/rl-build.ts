/**
 * The CartPole panel's agent, built as `edlearn rl --env cartpole` builds it (src/rl/run.ts: runRl): the config
 * resolved from agent and seed, the value head of the environment's rewards, the environment's stream forked
 * from the seed; and, when the run ends, the summary's greedy evaluation. test/lab-rl.test.ts holds it to
 * runRl's summary for the same agent and seed, so that a change to how the CLI builds or judges an agent shows
 * up here. Imports no worker globals, for that test.
 */
import {
  agentShape,
  type AgentName,
  type Backend,
  CartPole,
  createAgent,
  envSeed,
  finalGreedy,
  type GreedySummary,
  cartpoleEncoding,
  resolveRlConfig,
  RlSession,
} from 'edlearn/browser';

/** The panel's run length: CartPole-v1's usual budget. */
export const EPISODES = 1000;

export function buildCartpole(agent: AgentName, seed: number, backend: Backend): RlSession {
  const config = resolveRlConfig({ env: 'cartpole', agent, seed });
  const encoding = cartpoleEncoding(config);
  const env = new CartPole();
  const created = createAgent(config, agentShape(env, encoding.features, config.gamma), backend);
  return new RlSession(created, env, encoding, envSeed(seed));
}

/** The final agent's greedy figure as the RL summary measures it (finalGreedy: 100 episodes, their own stream). */
export function greedySummary(session: RlSession, seed: number): GreedySummary {
  return finalGreedy(session.agent, new CartPole(), session.encoding, seed);
}
