/**
 * RL agent files (`edlearn rl --save`): the same container as a model file (model/format.ts: magic, JSON
 * header, float32 parameters, CRC-32) with a header of its own, so that model files keep loading as they were
 * and each kind of file refuses to be read as the other. Loading checks the header's fields, then its options
 * against the schemas and the stored array lengths against the layout they imply, before building anything.
 * Browser-safe: bytes in, bytes out.
 */
import { UserError } from '../errors.js';
import type { Backend } from '../kernels/backend.js';
import type { EnvSummary } from '../log/events.js';
import { AGENT_FORMAT, decodeFile, encodeModel } from '../model/format.js';
import { MODEL_FORMAT, type ModelHeader } from '../model/header.js';
import { validateBackpropOptions } from '../options/backprop.js';
import { validateEdOptions } from '../options/ed.js';
import { AGENT_NAMES } from '../options/rl.js';
import { parameterShapes } from '../train/build.js';
import { type Agent, columnRule, createAgent } from './agent.js';
import type { RlConfig } from './config.js';
import { ENV_NAMES } from './env.js';
import type { RlResult } from './loop.js';
import { VERSION } from '../version.js';

const AGENT_FORMAT_VERSION = 1;
const MAX_FEATURES = 1 << 24;
const MAX_ACTIONS = 256;

/**
 * A model file's header fields (version, time, seed, backend, parameterShapes) with the agent's config and environment.
 */
export interface AgentHeader extends Pick<ModelHeader, 'version' | 'time' | 'seed' | 'backend' | 'parameterShapes'> {
  format: typeof AGENT_FORMAT;
  formatVersion: typeof AGENT_FORMAT_VERSION;
  config: RlConfig;
  env: EnvSummary;
  /** How training went, and the greedy test accuracy of the MNIST task. */
  result: RlResult & { accuracy?: number };
}

function agentHeader(parts: Omit<AgentHeader, 'format' | 'formatVersion' | 'version' | 'time' | 'seed'>): AgentHeader {
  return {
    format: AGENT_FORMAT,
    formatVersion: AGENT_FORMAT_VERSION,
    version: VERSION,
    time: new Date().toISOString(),
    seed: parts.config.seed,
    ...parts,
  };
}

/** The first required field that is missing or of the wrong type, or null (the options are checked when loading). */
function missingAgentField(h: unknown): string | null {
  const count = (max: number) => (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;
  const fields: [string, (v: unknown) => boolean][] = [
    ['version', (v) => typeof v === 'string'],
    ['config', isObject],
    ['config.agent', (v) => typeof v === 'string'],
    ['config.env', (v) => typeof v === 'string'],
    ['env', isObject],
    ['env.actions', count(MAX_ACTIONS)],
    ['env.observationSize', count(MAX_FEATURES)],
    ['env.features', count(MAX_FEATURES)],
    ['parameterShapes', (v) => Array.isArray(v) && v.every((n) => Number.isInteger(n) && n >= 0)],
  ];
  for (const [path, ok] of fields)
    if (!ok(path.split('.').reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), h))) return path;
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function agentToBytes(
  agent: Agent,
  config: RlConfig,
  backend: string,
  env: AgentHeader['env'],
  result: AgentHeader['result'],
): Uint8Array {
  const params = agent.columns.parameters();
  return encodeModel(
    agentHeader({ config, backend, env, result, parameterShapes: params.map((p) => p.length) }),
    params,
    AGENT_FORMAT_VERSION,
  );
}

/** A loaded agent plays only (its replay memory is not stored): the DQN agents get a memory of one transition. */
export function agentFromBytes(
  bytes: Uint8Array,
  name: string,
  backend: Backend,
): { header: AgentHeader; agent: Agent } {
  const { header, params } = decodeFile<AgentHeader>(bytes, name, (h) => {
    const format = (h as { format?: unknown } | null)?.format;
    if (format === MODEL_FORMAT)
      return {
        refuse:
          'is a classifier model (edlearn train --save), not an RL agent; give a file written by edlearn rl --save',
      };
    return format === AGENT_FORMAT ? missingAgentField(h) : 'format';
  });
  const config = checkedConfig(header, name);
  const { actions, features, valueScale, valueMin } = header.env;
  const column = parameterShapes({
    config: { ...columnRule(config), seed: 0 },
    inputs: features,
    classes: 2,
    maxBatch: 1,
  });
  const networks = actions + (config.dueling === true && config.agent !== 'ed-columns' ? 1 : 0);
  const need = Array.from({ length: networks }, () => column).flat();
  if (need.length !== params.length || need.some((n, i) => n !== params[i].length)) {
    throw new UserError(
      `agent ${name} does not match this edlearn's network layout (${params.length} arrays stored, its config ` +
        `needs ${need.length} for ${networks} columns); save it again with this edlearn`,
    );
  }
  if (!params.every((p) => p.every(Number.isFinite)))
    throw new UserError(
      `agent ${name} holds weights that are not finite numbers: the run that saved it diverged; train it ` +
        `again with a lower learning rate`,
    );
  const agent = createAgent(
    { ...config, replay: 1, batch: 1, trace: 1 },
    { features, actions, valueScale, valueMin },
    backend,
  );
  agent.columns.setParameters(params);
  return { header, agent };
}

function checkedConfig(header: AgentHeader, name: string): RlConfig {
  const c = header.config;
  const what = `agent ${name}: config`;
  if (!(AGENT_NAMES as readonly string[]).includes(c.agent))
    throw new UserError(
      `${what}.agent '${String(c.agent)}': expected one of ${AGENT_NAMES.join(', ')}; save it again with this edlearn`,
    );
  if (!(ENV_NAMES as readonly string[]).includes(c.env))
    throw new UserError(
      `${what}.env '${String(c.env)}': expected one of ${ENV_NAMES.join(', ')}; save it again with this edlearn`,
    );
  if (c.agent === 'bp-dqn') return { ...c, backprop: validateBackpropOptions(c.backprop, `${what}.backprop`) };
  return { ...c, ed: validateEdOptions(c.ed, `${what}.ed`) };
}
