/**
 * The header of an RL agent file (`edlearn rl --save`): the same container as a model file (format.ts: magic,
 * JSON header, float32 parameters, CRC-32) with a header of its own, so that model files keep loading as they
 * were and each kind of file refuses to be read as the other. Browser-safe.
 */
import type { RlConfig } from '../rl/config.js';
import type { RlResult } from '../rl/loop.js';
import { VERSION } from '../version.js';
import type { ModelHeader } from './header.js';

export const AGENT_FORMAT = 'edlearn-agent';
export const AGENT_FORMAT_VERSION = 1;
const MAX_FEATURES = 1 << 24;
const MAX_ACTIONS = 256;

/** A model file's header fields (version, time, seed, backend, parameterShapes) with the agent's config and environment. */
export interface AgentHeader extends Pick<ModelHeader, 'version' | 'time' | 'seed' | 'backend' | 'parameterShapes'> {
  format: typeof AGENT_FORMAT;
  formatVersion: typeof AGENT_FORMAT_VERSION;
  config: RlConfig;
  env: { name: string; actions: number; observationSize: number; features: number; encoding: string; valueScale: number; valueMin?: number };
  /** How training went, and the greedy test accuracy of the MNIST task. */
  result: RlResult & { accuracy?: number };
}

export function agentHeader(parts: Omit<AgentHeader, 'format' | 'formatVersion' | 'version' | 'time' | 'seed'>): AgentHeader {
  return { format: AGENT_FORMAT, formatVersion: AGENT_FORMAT_VERSION, version: VERSION, time: new Date().toISOString(), seed: parts.config.seed, ...parts };
}

export const isAgentHeader = (h: unknown): boolean => typeof h === 'object' && h !== null && (h as { format?: unknown }).format === AGENT_FORMAT;

/** The first required field that is missing or of the wrong type, or null (the options are checked when loading). */
export function missingAgentField(h: unknown): string | null {
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
  for (const [path, ok] of fields) if (!ok(path.split('.').reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), h))) return path;
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
