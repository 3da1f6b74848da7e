/** The dev entry's own request and answer (dev/worker.ts, dev/main.ts): weight checksums for the browser test. */
import type { RunConfig, TrainInput } from 'edlearn/browser';
import type { Settings } from '../protocol';

/** The checksums of one rule's weights (SHA-256 of the parameter arrays' bytes, in order). */
export interface Checksums {
  initial: string;
  trained: string;
}

/** The run `settings` give, built on `backend`, before and after `updates` updates. */
export interface ChecksumRequest {
  type: 'checksum';
  id: number;
  settings: Settings;
  backend: 'wasm-simd' | 'reference';
  updates: number;
}

export interface ChecksumAnswer {
  type: 'checksums';
  id: number;
  backend: string;
  inputs: TrainInput[];
  configs: RunConfig[];
  rules: Checksums[];
}

/** The synapse families of the shown network's ED rule in training (worker/families.ts), for the step test. */
export interface FamiliesRequest {
  type: 'families';
  id: number;
  net: number;
}

export interface FamiliesAnswer {
  type: 'families';
  id: number;
  plus: Float32Array;
  minus: Float32Array;
  pairSize: Float32Array;
}
