/**
 * `edlearn experiment rl-tune`: runs the tuning grid of rl/tune-grid.ts (the same number of settings for ed-dqn
 * and bp-dqn, tuning seeds 1–10), one log per setting.
 */
import { join } from 'node:path';
import { checkOutputPath, writeFileAtomic } from '../io.js';
import { RL_EPISODES, type RlExperimentHooks } from './experiment.js';
import { runRl } from './run.js';
import {
  TUNE_AGENTS,
  TUNE_ENVS,
  TUNE_GRID,
  TUNE_SEEDS,
  type TuneAgent,
  type TuneEnv,
  tuneLogName,
} from './tune-grid.js';

/**
 * Runs the given settings (all by default) of each environment and agent on the tuning seeds: one log per setting,
 * <logs>/rl-tune-<env>-<agent>-<k>.ndjson (k from 1), rewritten whole (atomically) after each seed.
 */
export function runRlTune(
  logs: string,
  hooks: RlExperimentHooks = {},
  envs: readonly TuneEnv[] = TUNE_ENVS,
  agents: readonly TuneAgent[] = TUNE_AGENTS,
  /** Which settings (0-based; all by default), seeds and episodes (a test's short runs). */
  only: { settings?: readonly number[]; seeds?: readonly number[]; episodes?: number } = {},
): string[] {
  const { settings, seeds = TUNE_SEEDS } = only;
  const jobs = envs.flatMap((env) =>
    agents.flatMap((agent) => (settings ?? TUNE_GRID[env][agent].map((_, k) => k)).map((k) => ({ env, agent, k }))),
  );
  const total = jobs.length * seeds.length;
  let index = 0;
  return jobs.map(({ env, agent, k }) => {
    const path = join(logs, tuneLogName(env, agent, k));
    checkOutputPath(path);
    const lines: string[] = [];
    const writer = { writeLine: (line: string) => lines.push(line) };
    for (const seed of seeds) {
      const label = `tune ${env} · ${agent} · setting ${k + 1} · seed ${seed}`;
      hooks.onRunStart?.(label, index++, total);
      const o = runRl(
        { ...TUNE_GRID[env][agent][k], env, agent, seed, episodes: only.episodes ?? RL_EPISODES[env] },
        {
          writer,
          runId: `${env}-${agent}-${k + 1}-${seed}`,
          onEpisode: hooks.onEpisode,
          experiment: {
            id: `rl-tune-${env}`,
            curve: `${agent} setting ${k + 1}`,
            rule: agent === 'bp-dqn' ? 'backprop' : 'ed',
            seed,
          },
        },
      );
      const r = o.result;
      hooks.onRunEnd?.(
        label,
        `solved at ${r.solvedAtEpisode ?? '—'} · final mean100 ${r.finalMean100.toFixed(1)} · ` +
          `greedy ${r.greedy.mean.toFixed(1)} · ${r.trainSeconds.toFixed(1)} s`,
      );
      writeFileAtomic(path, lines.map((l) => `${l}\n`).join(''));
    }
    return path;
  });
}
