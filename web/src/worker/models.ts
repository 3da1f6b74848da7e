/**
 * Model files in the worker: a loaded file scores the drawing (and its ED network is drawn); a download saves the
 * run's validation-selected weights — the best validation evaluation so far, or of the finished run — with the
 * header the CLI writes, marked keepBest and naming the selected update (an ensemble run: worker/ensemble.ts).
 */
import {
  decodeModel,
  encodeModel,
  loadRule,
  modelHeader,
  type RunConfig,
  taskSummary,
  UserError,
} from 'edlearn/browser';
import type { ModelSummary } from '../protocol';
import { saveEnsemble } from './ensemble';
import { setRunning } from './runs';
import { freshBackend, post, state } from './state';
import { postView } from './views';

/** The drawing canvas gives 28×28 images, so a loaded model must take them. */
const DRAW_INPUTS = 28 * 28;

export function loadModelFile(id: number, name: string, bytes: Uint8Array): void {
  // Check the header before building anything, so that a model for other images is refused cheaply.
  const { header } = decodeModel(bytes, name);
  if (header.task.inputs !== DRAW_INPUTS) {
    throw new UserError(
      `model ${name} takes ${header.task.inputs}-pixel images; this lab draws 28×28 (784-pixel) images — load ` +
        `a model trained on MNIST-sized images`,
    );
  }
  const { rule } = loadRule(bytes, name, freshBackend());
  setRunning(false);
  state.loaded = { rule, header, name };
  const summary: ModelSummary = {
    name,
    task: header.task.name,
    rule: header.config.rule,
    preset: header.config.preset,
    classNames: header.task.classNames,
    accuracy: header.accuracy,
  };
  post({ type: 'model-loaded', id, summary });
  postView();
}

/**
 * The model file of the run's ED (or backprop) rule: its weights at the validation-selected update (the header
 * says which, with keepBest set, as the CLI writes a --keep-best run), and the test accuracies once the run ended.
 */
export function saveModel(which: 'ed' | 'backprop'): { bytes: Uint8Array; fileName: string; update: number } {
  const r = state.run;
  if (!r) throw new UserError('download: there is no trained model yet — wait for the data to load');
  if (which === 'ed' && r.ensemble) {
    const { bytes, config, update } = saveEnsemble(r, r.ensemble);
    return { bytes, fileName: modelFileName(config, r.task.classes), update };
  }
  const t = which === 'ed' ? r.ed : r.bp;
  if (!t)
    throw new UserError('download: backprop is not being trained — tick "compare with backprop" and start a new run');
  if (t.session.update === 0) throw new UserError('download: nothing has been trained yet — press start first');
  const selected = t.session.selectedWeights();
  if (!selected) throw new UserError('download: the run has not been evaluated yet');
  const last = t.session.history[t.session.history.length - 1];
  const task = taskSummary(r.task);
  const config: RunConfig = { ...t.config, train: { ...t.config.train, keepBest: true } };
  const result = t.result ?? {
    finalValAccuracy: last.valAccuracy,
    bestValAccuracy: selected.accuracy,
    bestUpdate: selected.update,
  };
  const header = modelHeader({ config, backend: r.backend.name, threads: t.config.threads, task }, result, t.rule);
  // α changed live: config.rule's lr is the α the run was built with; from each change's update on, α was its lr.
  const changes = t.rate?.changes ?? [];
  const written: typeof header & { lrChanges?: typeof changes } = changes.length
    ? { ...header, lrChanges: changes }
    : header;
  return {
    bytes: encodeModel(written, selected.weights),
    fileName: modelFileName(t.config, r.task.classes),
    update: selected.update,
  };
}

/**
 * "edlearn-ed-4v9-seed1.edlearn", "edlearn-backprop-10class-seed7.edlearn", "edlearn-ed-spiral-seed1.edlearn",
 * "edlearn-ed-4v9-seed5-ensemble3.edlearn".
 */
function modelFileName(config: RunConfig, classes: number): string {
  const points = /^points:(.+)$/.exec(config.task.data)?.[1];
  const task =
    points ??
    (config.task.kind === 'pair'
      ? config.task.digits
          .split(',')
          .map((d) => d.trim())
          .join('v')
      : `${classes}class`);
  const ensemble = (config.ensemble ?? 1) > 1 ? `-ensemble${config.ensemble}` : '';
  return `edlearn-${config.rule}-${task}-seed${config.seed}${ensemble}.edlearn`;
}
