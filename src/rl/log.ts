/** The events of an RL log (NDJSON: start, one per episode or evaluation, end) and its format tag. Browser-safe. */
import type { AgentHeader } from '../model/agent.js';
import type { ExperimentTag } from '../report/types.js';
import type { RlConfig } from './config.js';

export const RL_LOG_FORMAT = 'edlearn-rl-log';
export const RL_LOG_FORMAT_VERSION = 1;

export interface RlStartEvent {
  event: 'start';
  format: typeof RL_LOG_FORMAT;
  formatVersion: number;
  version: string;
  time: string;
  run: string;
  experiment?: ExperimentTag;
  machine: { cpu: string; cores: number; node: string };
  config: RlConfig;
  backend: string;
  env: AgentHeader['env'] & { train?: number; validation?: number; test?: number };
  parameters: number;
}

/** The MNIST task's greedy validation accuracy after `episode` images. */
export interface RlEvalRecord {
  episode: number;
  steps: number;
  validationAccuracy: number;
  /** Share of rewarded actions among the training episodes since the previous evaluation (exploration included). */
  rewardRate: number;
}

