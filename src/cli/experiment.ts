/** `edlearn experiment <id>`: runs the article's experiment grids, then renders the report from all logs. */
import { UserError } from '../errors.js';
import { ALL_IDS, EXPERIMENT_IDS, EXPERIMENTS } from '../experiments/grids.js';
import { runExperiment } from '../experiments/runner.js';
import { ARTICLE_REPORT } from '../experiments/conclusions.js';
import { renderReport } from '../report/index.js';
import { settleSignals } from '../temp-files.js';
import { createProgress } from './progress.js';
import { rlExperimentCommand } from './rl-experiment.js';

export interface ExperimentCommandOptions {
  logs: string;
  out: string;
  report?: boolean;
}

export async function experimentCommand(id: string, options: ExperimentCommandOptions, out: (text: string) => void = console.log): Promise<void> {
  if (id === 'rl' || id === 'rl-cartpole' || id === 'rl-mnist') return rlExperimentCommand(id, options, out);
  const ids = id === 'all' ? ALL_IDS : [id];
  for (const x of ids) {
    if (!EXPERIMENT_IDS.includes(x)) throw new UserError(`experiment: unknown experiment '${x}'; expected one of ${EXPERIMENT_IDS.join(', ')} or all`);
  }
  const started = performance.now();
  for (const x of ids) {
    const exp = EXPERIMENTS.find((e) => e.id === x)!;
    let progress = createProgress();
    const path = runExperiment(exp, options.logs, {
      onRunStart: (label, i, total) => {
        progress = createProgress();
        if (!process.stderr.isTTY) return;
        process.stderr.write(`[${i + 1}/${total}] ${label}\n`);
      },
      onUpdate: (u, t) => progress.onUpdate(u, t),
      onRunEnd: (label, seconds, bestAcc) => {
        progress.stop();
        process.stderr.write(`${label}: best validation ${(bestAcc * 100).toFixed(2)} % · ${seconds.toFixed(2)} s training\n`);
      },
    });
    out(`${x}: log written to ${path}`);
    // Lets a Ctrl-C that came during the log's write take effect now, and keeps it immediate during the next grid.
    await settleSignals();
  }
  out(`experiments done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (options.report === false) return;
  const r = await renderReport({ logs: [options.logs], out: options.out, ...ARTICLE_REPORT });
  out(`report: ${options.out}/index.html (${r.experiments.length} experiments, ${r.figures.length} figures)`);
}
