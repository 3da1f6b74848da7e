/** `edlearn experiment rl` (or rl-cartpole, rl-mnist: one environment): runs the RL experiment (src/rl/experiment.ts), then renders the report. */
import { ARTICLE_REPORT } from '../experiments/conclusions.js';
import { renderReport } from '../report/index.js';
import { RL_EXPERIMENT_ENVS, RL_SEEDS, runRlExperiment } from '../rl/experiment.js';
import { settleSignals } from '../temp-files.js';
import type { ExperimentCommandOptions } from './experiment.js';

export async function rlExperimentCommand(id: 'rl' | 'rl-cartpole' | 'rl-mnist', options: ExperimentCommandOptions, out: (text: string) => void = console.log): Promise<void> {
  const started = performance.now();
  const envs = id === 'rl' ? RL_EXPERIMENT_ENVS : [id === 'rl-cartpole' ? 'cartpole' : 'mnist'] as const;
  const paths = runRlExperiment(options.logs, {
    onRunStart: (label, i, total) => process.stderr.write(`[${i + 1}/${total}] ${label} …\n`),
    onRunEnd: (label, summary) => process.stderr.write(`${label}: ${summary}\n`),
  }, RL_SEEDS, envs);
  for (const p of paths) out(`rl: log written to ${p}`);
  await settleSignals();
  out(`rl experiment done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (options.report === false) return;
  const r = await renderReport({ logs: [options.logs], out: options.out, ...ARTICLE_REPORT });
  out(`report: ${options.out}/index.html (${r.experiments.length} experiments, ${r.figures.length} figures)`);
}
