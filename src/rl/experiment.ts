/**
 * `edlearn experiment rl`: the three agents on CartPole-v1 (1,000 episodes each) and on the reward-only MNIST
 * task (one pass over the training images), 5 seeds each, every setting at its default (chosen on training
 * returns and validation accuracy of other seeds). One NDJSON log per environment: docs/results/logs/rl-<env>.ndjson.
 */
import { join } from 'node:path';
import { AtomicLineWriter } from '../io.js';
import { AGENT_NAMES, type AgentName } from '../options/rl.js';
import type { EnvName } from './env.js';
import type { EpisodeRecord } from './loop.js';
import { runRl } from './run.js';

/** Seeds no default was chosen on (rl/config.ts looked at seeds 1–5). */
export const RL_SEEDS = [11, 12, 13, 14, 15];
export const RL_EXPERIMENT_ENVS: readonly EnvName[] = ['cartpole', 'mnist'];

export interface RlExperimentHooks {
  onRunStart?: (label: string, index: number, total: number) => void;
  onEpisode?: (e: EpisodeRecord) => void;
  onRunEnd?: (label: string, summary: string) => void;
}

/** Runs every agent × seed of each environment; returns the log paths (each written whole, atomically). */
export function runRlExperiment(logs: string, hooks: RlExperimentHooks = {}, seeds = RL_SEEDS, envs = RL_EXPERIMENT_ENVS): string[] {
  const total = envs.length * AGENT_NAMES.length * seeds.length;
  let index = 0;
  return envs.map((env) => {
    const path = join(logs, `rl-${env}.ndjson`);
    const writer = new AtomicLineWriter(path);
    try {
      for (const agent of AGENT_NAMES) {
        for (const seed of seeds) {
          const label = `${env} · ${agent} · seed ${seed}`;
          hooks.onRunStart?.(label, index++, total);
          const o = runRl({ env, agent, seed }, {
            writer, runId: `${env}-${agent}-${seed}`, onEpisode: hooks.onEpisode,
            experiment: { id: `rl-${env}`, curve: agent, rule: rule(agent), seed },
          });
          const r = o.result;
          hooks.onRunEnd?.(label, r.accuracy !== undefined
            ? `greedy test accuracy ${(r.accuracy * 100).toFixed(2)} % · ${r.trainSeconds.toFixed(1)} s`
            : `best mean100 ${r.bestMean100.toFixed(1)} · solved at ${r.solvedAtEpisode ?? '—'} · ${r.trainSeconds.toFixed(1)} s`);
        }
      }
      writer.close();
    } catch (err) {
      writer.abort();
      throw err;
    }
    return path;
  });
}

const rule = (agent: AgentName) => (agent === 'bp-dqn' ? 'backprop' : 'ed');
