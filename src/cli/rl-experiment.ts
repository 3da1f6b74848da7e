/**
 * `edlearn experiment rl` (or rl-<env>: one environment; rl-<env>-<agent>: one agent on it): runs the RL
 * experiment (src/rl/experiment.ts), then renders the report.
 */
import { ARTICLE_REPORT } from '../experiments/conclusions.js';
import { AGENT_NAMES } from '../options/rl.js';
import { renderReport } from '../report/index.js';
import { RL_EXPERIMENT_ENVS, RL_SEEDS, RL_VARIANTS, runRlExperiment } from '../rl/experiment.js';
import { settleSignals } from '../temp-files.js';
import type { ExperimentCommandOptions } from './experiment-options.js';

/** rl, rl-<env>, rl-<env>-<agent>. */
export const RL_EXPERIMENT_IDS = [
  'rl',
  ...RL_EXPERIMENT_ENVS.flatMap((env) => [`rl-${env}`, ...AGENT_NAMES.map((a) => `rl-${env}-${a}`)]),
  ...RL_VARIANTS.map((v) => `rl-${v.env}-${v.name}`),
];

export async function rlExperimentCommand(
  id: string,
  options: ExperimentCommandOptions,
  out: (text: string) => void = console.log,
): Promise<void> {
  const started = performance.now();
  const rest = id.slice(3);
  const envs =
    id === 'rl' ? RL_EXPERIMENT_ENVS : RL_EXPERIMENT_ENVS.filter((e) => rest === e || rest.startsWith(`${e}-`));
  const whole = id === 'rl' || envs.includes(rest as never);
  const variant = RL_VARIANTS.filter((v) => rest === `${v.env}-${v.name}`);
  const agents = whole ? AGENT_NAMES : AGENT_NAMES.filter((a) => rest === `${envs[0]}-${a}`);
  const variants = whole ? RL_VARIANTS : variant;
  const paths = runRlExperiment(
    options.logs,
    {
      onRunStart: (label, i, total) => process.stderr.write(`[${i + 1}/${total}] ${label} …\n`),
      onRunEnd: (label, summary) => process.stderr.write(`${label}: ${summary}\n`),
    },
    RL_SEEDS,
    envs,
    agents,
    variants,
  );
  for (const p of paths) out(`rl: log written to ${p}`);
  await settleSignals();
  out(`rl experiment done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (options.report === false) return;
  const r = await renderReport({ logs: [options.logs], out: options.out, ...ARTICLE_REPORT });
  out(`report: ${options.out}/index.html (${r.experiments.length} experiments, ${r.figures.length} figures)`);
}
