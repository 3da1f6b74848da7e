/**
 * `edlearn experiment <id>`: a shortcut for the article's sweep files (sweeps/article/<id>.yaml) run through the
 * local executor on every core into docs/results/logs/<id>.ndjson (a rerun resumes), then the report.
 */
import { checkDirFlag } from '../outputs.js';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { ALL_IDS, EXPERIMENT_IDS, EXPERIMENTS } from '../experiments/grids.js';
import { ARTICLE_REPORT } from '../experiments/conclusions.js';
import { renderReport } from '../report/index.js';
import type { ExperimentCommandOptions } from './experiment-options.js';
import { RL_EXPERIMENT_IDS, rlExperimentCommand } from './rl-experiment.js';
import { readSweepFile } from '../sweep/file.js';
import { localExecutorFor } from '../sweep/local.js';
import { planSweep } from '../sweep/plan.js';
import { executeSweep } from './sweep.js';

/**
 * Experiments that are not sweeps of training runs, each with its own runner (they log into `options.logs`
 * like the others and are rendered by the same report); not part of `all`.
 */
export const OTHER_EXPERIMENTS: Record<
  string,
  (options: ExperimentCommandOptions, out: (text: string) => void) => Promise<void>
> = {
  ...Object.fromEntries(
    RL_EXPERIMENT_IDS.map((id) => [
      id,
      (options: ExperimentCommandOptions, out: (text: string) => void) => rlExperimentCommand(id, options, out),
    ]),
  ),
  'mnist-frontier': (options, out) => memberExperimentCommand('mnist-frontier', options, out),
  fashion: (options, out) => memberExperimentCommand('fashion', options, out),
  width: (options, out) => memberExperimentCommand('width', options, out),
};

/** An experiment of trained members (experiments/members.ts): train what is missing, gather the log, print where. */
async function memberExperimentCommand(
  id: string,
  options: ExperimentCommandOptions,
  out: (text: string) => void,
): Promise<void> {
  const { MEMBER_EXPERIMENTS } = await import('../experiments/frontier.js');
  const { runMemberExperiment } = await import('../experiments/members.js');
  const base = MEMBER_EXPERIMENTS[id];
  if (id === 'fashion' && !options.data)
    throw new UserError(
      "experiment fashion: give --data DIR, a directory of Fashion-MNIST's four IDX files (the README says " +
        'how to make them)',
    );
  const withData = options.data
    ? { ...base, cells: base.cells.map((c) => ({ ...c, input: { ...c.input, data: options.data } })) }
    : base;
  const e = { ...withData, seeds: withData.seeds.slice(0, options.seeds ?? withData.seeds.length) };
  const path = await runMemberExperiment(
    e,
    {
      logs: options.logs,
      work: options.work ?? join('.edlearn-work', id),
      workers: options.workers ?? availableParallelism(),
    },
    out,
  );
  out(`${id}: log ${path}; the README's tables: npx edlearn report ${options.logs} --markdown`);
}

export async function experimentCommand(
  id: string,
  options: ExperimentCommandOptions,
  out: (text: string) => void = console.log,
): Promise<void> {
  checkDirFlag('logs', options.logs);
  checkDirFlag('out', options.out);
  if (Object.hasOwn(OTHER_EXPERIMENTS, id)) return OTHER_EXPERIMENTS[id](options, out);
  const ids = id === 'all' ? ALL_IDS : [id];
  const known = [...EXPERIMENT_IDS, ...Object.keys(OTHER_EXPERIMENTS)];
  for (const x of ids) {
    if (!EXPERIMENT_IDS.includes(x))
      throw new UserError(`experiment: unknown experiment '${x}'; expected one of ${known.join(', ')} or all`);
  }
  const workers = options.workers ?? availableParallelism();
  const started = performance.now();
  let runs = 0;
  for (const x of ids) {
    const exp = EXPERIMENTS.find((e) => e.id === x)!;
    const path = join(options.logs, `${x}.ndjson`);
    const plan = planSweep(readSweepFile(exp.file));
    const { session } = await executeSweep(plan, path, localExecutorFor(plan, workers));
    runs += session.points;
    out(
      `${x}: ${session.points} runs (${session.trained} trained, ${session.resumed} already logged) ` +
        `in ${session.seconds.toFixed(1)} s; log: ${path}`,
    );
  }
  out(
    `experiments done in ${((performance.now() - started) / 1000).toFixed(1)} s (${runs} runs, up ` +
      `to ${workers} worker processes)`,
  );
  if (options.report === false) return;
  const r = await renderReport({ logs: [options.logs], out: options.out, ...ARTICLE_REPORT });
  out(`report: ${options.out}/index.html (${r.experiments.length} experiments, ${r.figures.length} figures)`);
}

export type { ExperimentCommandOptions } from './experiment-options.js';
