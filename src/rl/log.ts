/** The events of an RL log (NDJSON: start, one per episode or evaluation, end) and its format tag. Browser-safe. */
import type { AgentHeader } from '../model/agent.js';
import type { RunHeader } from '../train/log.js';
import type { RlConfig } from './config.js';

export const RL_LOG_FORMAT = 'edlearn-rl-log';
export const RL_LOG_FORMAT_VERSION = 1;

/** The start event: the classifier log's head (train/log.ts) with the RL config, environment and agent size. */
export interface RlStartEvent extends Pick<RunHeader, 'event' | 'formatVersion' | 'version' | 'time' | 'run' | 'experiment' | 'machine' | 'backend' | 'parameters'> {
  format: typeof RL_LOG_FORMAT;
  config: RlConfig;
  env: AgentHeader['env'] & { solvedAt?: number | null; train?: number; validation?: number; test?: number };
}

/** The MNIST task's greedy validation accuracy after `episode` images. */
export interface RlEvalRecord {
  episode: number;
  steps: number;
  validationAccuracy: number;
  /** Share of rewarded actions among the training episodes since the previous evaluation (exploration included). */
  rewardRate: number;
}

