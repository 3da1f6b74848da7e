/**
 * `edlearn experiment rl` (or rl-<env>: one environment; rl-<env>-<agent>: one agent on it): runs the RL
 * experiment (src/rl/experiment.ts), then renders the report.
 */
import { ARTICLE_REPORT } from '../experiments/conclusions.js';
import { AGENT_NAMES } from '../options/rl.js';
import { renderReport } from '../report/index.js';
import { RL_EXPERIMENT_ENVS, RL_SEEDS, RL_VARIANTS, runRlExperiment } from '../rl/experiment.js';
import { TUNE_AGENTS, TUNE_ENVS, TUNE_GRID, type TuneAgent, type TuneEnv } from '../rl/tune-grid.js';
import { runRlTune } from '../rl/tune.js';
import { settleSignals } from '../temp-files.js';
import { join } from 'node:path';
import type { ExperimentCommandOptions } from './experiment-options.js';

/** rl, rl-<env>, rl-<env>-<agent>; the tuning: rl-tune, rl-tune-<env>, rl-tune-<env>-<agent>[-<setting>]. */
export const RL_EXPERIMENT_IDS = [
  'rl',
  ...RL_EXPERIMENT_ENVS.flatMap((env) => [`rl-${env}`, ...AGENT_NAMES.map((a) => `rl-${env}-${a}`)]),
  ...RL_VARIANTS.map((v) => `rl-${v.env}-${v.name}`),
  'rl-tune',
  ...TUNE_ENVS.flatMap((env) => [
    `rl-tune-${env}`,
    ...TUNE_AGENTS.flatMap((a) => [
      `rl-tune-${env}-${a}`,
      ...TUNE_GRID[env][a].map((_, k) => `rl-tune-${env}-${a}-${k + 1}`),
    ]),
  ]),
];

/** The tuning's logs, apart from the reported runs': <logs>/rl-tune/. */
export const RL_TUNE_DIR = 'rl-tune';

const progress = {
  onRunStart: (label: string, i: number, total: number) => process.stderr.write(`[${i + 1}/${total}] ${label} …\n`),
  onRunEnd: (label: string, summary: string) => process.stderr.write(`${label}: ${summary}\n`),
};

/** rl-tune[-<env>[-<agent>[-<k>]]]: the settings of the tuning grid it names, on the tuning seeds. */
function runTune(id: string, logs: string): string[] {
  const [env, agent, k] = parseTuneId(id);
  return runRlTune(join(logs, RL_TUNE_DIR), progress, env ? [env] : TUNE_ENVS, agent ? [agent] : TUNE_AGENTS, {
    settings: k === undefined ? undefined : [k],
  });
}

function parseTuneId(id: string): [TuneEnv?, TuneAgent?, number?] {
  const rest = id.slice('rl-tune'.length).replace(/^-/, '');
  if (rest === '') return [];
  const env = TUNE_ENVS.find((e) => rest === e || rest.startsWith(`${e}-`));
  const tail = env ? rest.slice(env.length + 1) : '';
  const agent = TUNE_AGENTS.find((a) => tail === a || tail.startsWith(`${a}-`));
  const k = agent && tail.length > agent.length ? Number(tail.slice(agent.length + 1)) - 1 : undefined;
  return [env, agent, k];
}

export async function rlExperimentCommand(
  id: string,
  options: ExperimentCommandOptions,
  out: (text: string) => void = console.log,
): Promise<void> {
  const started = performance.now();
  if (id.startsWith('rl-tune')) {
    for (const p of runTune(id, options.logs)) out(`rl-tune: log written to ${p}`);
    await settleSignals();
    out(`rl-tune done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    out(`the choice: npx edlearn report --markdown ${join(options.logs, RL_TUNE_DIR)}`);
    return;
  }
  const rest = id.slice(3);
  const envs =
    id === 'rl' ? RL_EXPERIMENT_ENVS : RL_EXPERIMENT_ENVS.filter((e) => rest === e || rest.startsWith(`${e}-`));
  const whole = id === 'rl' || envs.includes(rest as never);
  const variant = RL_VARIANTS.filter((v) => rest === `${v.env}-${v.name}`);
  const agents = whole ? AGENT_NAMES : AGENT_NAMES.filter((a) => rest === `${envs[0]}-${a}`);
  const paths = runRlExperiment(options.logs, progress, RL_SEEDS, envs, agents, whole ? RL_VARIANTS : variant);
  for (const p of paths) out(`rl: log written to ${p}`);
  await settleSignals();
  out(`rl experiment done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (options.report === false) return;
  const r = await renderReport({ logs: [options.logs], out: options.out, ...ARTICLE_REPORT });
  out(`report: ${options.out}/index.html (${r.experiments.length} experiments, ${r.figures.length} figures)`);
}
