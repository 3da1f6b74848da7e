/**
 * --ensemble K in the page, as the CLI trains one: ED members with seeds seed … seed + K − 1, one after another in
 * this worker, each keeping the weights of its own validation-selected update; when the last ends, their averaged
 * scores are evaluated once on validation and test (scoreEnsemble, the CLI's code) and become what scores the
 * drawing and what the download saves — a file that `edlearn eval`, `predict` and `loadModel` read.
 */
import {
  encodeModel,
  modelHeader,
  resolveConfig,
  type RunConfig,
  scoreEnsemble,
  taskSummary,
  type TrainInput,
  UserError,
} from 'edlearn/browser';
import type { EnsembleProgress } from '../protocol';
import type { LabEnsemble, Run } from './state';
import { trainedOn } from './trained';

/** Member `index` (0-based) of an ensemble whose run has `input`. */
export const memberInput = (input: TrainInput, index: number): TrainInput => ({
  ...input,
  seed: (input.seed ?? 1) + index,
  keepBest: true,
});

export function newEnsemble(size: number, input: TrainInput, dataset: LabEnsemble['dataset']): LabEnsemble {
  return { size, input, dataset, done: [] };
}

/**
 * Called once the member in training has ended (its result made): starts the next member on the run's backend, or
 * scores the ensemble after the last. The finished member stays in `done`, its unsent evaluations still to post.
 */
export function memberEnded(r: Run): void {
  const e = r.ensemble;
  if (!e || e.summary || !r.ed.result || e.done.includes(r.ed)) return;
  e.done.push(r.ed);
  if (e.done.length < e.size) {
    const next = trainedOn(memberInput(e.input, e.done.length), e.dataset, r.backend);
    next.offset = (r.ed.offset ?? 0) + r.ed.session.totalUpdates;
    // Its first evaluation, before any update, starts its stretch of the chart at chance level.
    next.session.evaluate();
    r.ed = next;
    // A watched member gets its own WATCH_SECONDS.
    r.activeMs = 0;
    r.since = performance.now();
    return;
  }
  const scored = scoreEnsemble(
    e.done.map((t) => ({ seed: t.config.seed, result: t.result!, rule: t.rule })),
    r.task,
    r.backend,
  );
  e.rule = scored.rule;
  e.summary = scored.summary;
}

/** The ensemble part of ED's progress. */
export function ensembleProgress(r: Run): EnsembleProgress | undefined {
  const e = r.ensemble;
  if (!e) return undefined;
  const s = e.summary;
  return {
    member: Math.min(e.size, e.done.length + (e.done.includes(r.ed) ? 0 : 1)),
    size: e.size,
    result: s && {
      validation: s.validationAccuracy,
      test: s.testAccuracy,
      members: s.members.map((m, i) => ({
        seed: m.seed,
        selectedUpdate: (e.done[i].offset ?? 0) + m.selected.update,
        validation: m.selected.validationAccuracy,
        test: m.selected.testAccuracy,
      })),
    },
  };
}

/**
 * The ensemble's model file, as `edlearn train --ensemble K --save` writes it, with its config (for the file's
 * name); refused until the last member has ended.
 */
export function saveEnsemble(r: Run, e: LabEnsemble): { bytes: Uint8Array; config: RunConfig; update: number } {
  const { rule, summary } = e;
  if (!rule || !summary)
    throw new UserError(
      `download: the ensemble's member ${Math.min(e.size, e.done.length + 1)} of ${e.size} is still training; ` +
        'its file is made when the last member ends',
    );
  const config = resolveConfig({ ...e.input, ensemble: e.size, keepBest: true });
  const first = e.done[0].result!;
  const at = {
    validationAccuracy: summary.validationAccuracy,
    testAccuracy: summary.testAccuracy,
    testBalancedAccuracy: summary.testBalancedAccuracy,
  };
  const result = {
    finalValAccuracy: summary.validationAccuracy,
    bestValAccuracy: summary.validationAccuracy,
    bestUpdate: first.bestUpdate,
    selected: { ...first.selected, ...at },
    final: at,
    ensemble: summary,
  };
  const header = modelHeader(
    { config, backend: r.backend.name, threads: config.threads, task: taskSummary(r.task) },
    result,
    rule,
  );
  return { bytes: encodeModel(header, rule.parameters()), config, update: first.bestUpdate };
}
