/** The head of every NDJSON training log (and the source of a model file's header). Browser-safe: types only. */
import type { ExperimentTag } from '../report/types.js';
import type { RunConfig } from './config.js';

export const LOG_FORMAT = 'edlearn-log';
export const LOG_FORMAT_VERSION = 1;

export interface RunHeader {
  event: 'start';
  format: typeof LOG_FORMAT;
  formatVersion: number;
  version: string;
  time: string;
  run: string;
  experiment?: ExperimentTag;
  machine: { cpu: string; cores: number; node: string };
  config: RunConfig;
  backend: string;
  /** Threads actually used (multi-class models on a WebAssembly backend split their networks). */
  threads: number;
  /** Split sizes: train + validation = the training files' samples of the task; test = the test files'. */
  task: { name: string; inputs: number; classes: number; train: number; validation: number; test: number; dataset: string; fingerprint: string };
  parameters: number;
}

