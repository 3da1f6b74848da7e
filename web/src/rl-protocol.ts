/** Messages between the CartPole panel and its worker. */
import type { AgentName, RlResult } from 'edlearn/browser';

export type ToRlWorker =
  | { type: 'init'; pageUrl: string }
  | { type: 'start'; agent: AgentName; seed: number }
  | { type: 'pause' }
  | { type: 'reset' };

export type FromRlWorker =
  | { type: 'ready'; backend: string }
  | { type: 'progress'; episodes: { episode: number; ret: number; mean100: number }[]; result: RlResult }
  /** One greedy episode: (x, θ) after each step, from its initial state. */
  | { type: 'replay'; episode: number; states: [number, number][] }
  /** The run's end: its summary, and the greedy evaluation `edlearn rl`'s summary makes (rl-build.ts). */
  | { type: 'done'; result: RlResult; greedy: { episodes: number; mean: number; min: number } }
  | { type: 'error'; message: string };
