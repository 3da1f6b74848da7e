/**
 * Agents to and from agent files (model/agent.ts). Loading checks the header's options against the schemas and
 * the stored array lengths against the layout they imply before building anything. Browser-safe: bytes in,
 * bytes out.
 */
import { UserError } from '../errors.js';
import type { Backend } from '../kernels/backend.js';
import { type AgentHeader, agentHeader } from '../model/agent.js';
import { decodeAgent, encodeModel } from '../model/format.js';
import { validateBackpropOptions } from '../options/backprop.js';
import { validateEdOptions } from '../options/ed.js';
import { AGENT_NAMES } from '../options/rl.js';
import { parameterShapes } from '../train/build.js';
import { type Agent, createAgent } from './agent.js';
import type { RlConfig } from './config.js';
import { ENV_NAMES } from './env.js';
import type { RlResult } from './loop.js';

export function agentToBytes(agent: Agent, config: RlConfig, backend: string, env: AgentHeader['env'], result: AgentHeader['result']): Uint8Array {
  const params = agent.columns.parameters();
  return encodeModel(agentHeader({ config, backend, env, result, parameterShapes: params.map((p) => p.length) }), params);
}

/** A loaded agent plays only (its replay memory is not stored): the DQN agents get a memory of one transition. */
export function agentFromBytes(bytes: Uint8Array, name: string, backend: Backend): { header: AgentHeader; agent: Agent } {
  const { header, params } = decodeAgent(bytes, name);
  const config = checkedConfig(header, name);
  const { actions, features, valueScale, valueMin } = header.env;
  const column = parameterShapes({ config: { rule: config.agent === 'bp-dqn' ? 'backprop' : 'ed', ed: config.ed, backprop: config.backprop, seed: 0 }, inputs: features, classes: 2, maxBatch: 1 });
  const need = Array.from({ length: actions }, () => column).flat();
  if (need.length !== params.length || need.some((n, i) => n !== params[i].length)) {
    throw new UserError(`agent ${name} does not match this edlearn's network layout (${params.length} arrays stored, its config needs ${need.length} for ${actions} columns); save it again with this edlearn`);
  }
  if (!params.every((p) => p.every(Number.isFinite))) throw new UserError(`agent ${name} holds weights that are not finite numbers: the run that saved it diverged; train it again with a lower learning rate`);
  const agent = createAgent({ ...config, replay: 1, batch: 1, trace: 1 }, { features, actions, valueScale, valueMin }, backend);
  agent.columns.setParameters(params);
  return { header, agent };
}

function checkedConfig(header: AgentHeader, name: string): RlConfig {
  const c = header.config;
  const what = `agent ${name}: config`;
  if (!(AGENT_NAMES as readonly string[]).includes(c.agent)) throw new UserError(`${what}.agent '${String(c.agent)}': expected one of ${AGENT_NAMES.join(', ')}; save it again with this edlearn`);
  if (!(ENV_NAMES as readonly string[]).includes(c.env)) throw new UserError(`${what}.env '${String(c.env)}': expected one of ${ENV_NAMES.join(', ')}; save it again with this edlearn`);
  if (c.agent === 'bp-dqn') return { ...c, backprop: validateBackpropOptions(c.backprop, `${what}.backprop`) };
  return { ...c, ed: validateEdOptions(c.ed, `${what}.ed`) };
}

