/** Runs an experiment's grid (every curve × seed) through runTraining, appending all runs to one NDJSON log. */
import { join } from 'node:path';
import { AtomicLineWriter } from '../io.js';
import type { EvalRecord } from '../train/trainer.js';
import { runTraining } from '../train/run.js';
import type { Experiment } from './grids.js';

export interface ExperimentHooks {
  /** Called before each run with its position in the grid. */
  onRunStart?: (label: string, index: number, total: number) => void;
  onRunEnd?: (label: string, seconds: number, bestValAccuracy: number) => void;
  onUpdate?: (update: number, total: number) => void;
  onEval?: (e: EvalRecord) => void;
}

/** Writes `<logDir>/<id>.ndjson` (complete or not at all) and returns its path. */
export function runExperiment(exp: Experiment, logDir: string, hooks: ExperimentHooks = {}): string {
  const path = join(logDir, `${exp.id}.ndjson`);
  const writer = new AtomicLineWriter(path);
  const total = exp.curves.length * exp.seeds.length;
  let index = 0;
  try {
    for (const c of exp.curves) {
      for (const seed of exp.seeds) {
        const label = `${exp.id} · ${c.curve} · seed ${seed}`;
        hooks.onRunStart?.(label, index++, total);
        // Random unit types and connectivity masks are drawn anew for each seed, like the weights.
        const seeded = c.rule === 'ed' ? { typeSeed: seed, maskSeed: seed } : {};
        const { result } = runTraining({ ...seeded, ...c.input, seed }, {
          writer, runId: `${exp.id}/${c.curve}/seed ${seed}`,
          experiment: { id: exp.id, curve: c.curve, rule: c.rule, seed, param: c.param, panel: c.panel },
          onUpdate: hooks.onUpdate, onEval: hooks.onEval,
        });
        hooks.onRunEnd?.(label, result.trainSeconds, result.bestValAccuracy);
      }
    }
    writer.close();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return path;
}
