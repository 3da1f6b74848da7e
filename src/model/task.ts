/**
 * The held-out split a model is evaluated on (Node: reads datasets): the task recorded in its header, rebuilt
 * through the run builder on the dataset it names or on another directory, once that data is checked to fit.
 */
import { existsSync, statSync } from 'node:fs';
import { type Dataset, loadDataDirectory, loadMnist } from '../data/dataset.js';
import { parseDigits, type Task } from '../data/tasks.js';
import { UserError } from '../errors.js';
import { taskFor } from '../train/build.js';
import { describeImageSize, type ModelHeader } from './header.js';

export interface ModelTask {
  task: Task;
  /** Where the data came from: "mnist" or a directory. */
  source: string;
  /** The data's fingerprint equals the one the model was trained on. */
  sameData: boolean;
}

/** `file` names the model in errors; `data` overrides the dataset of the header. */
export function modelTask(header: ModelHeader, file: string, data?: string): ModelTask {
  const { kind } = header.config.task;
  if (kind === 'xor' || kind === 'parity') {
    if (data !== undefined)
      throw new UserError(
        `model ${file} was trained on ${header.task.name}, which is generated, not read; drop --data`,
      );
    return { task: taskFor(header.config), source: 'generated', sameData: true };
  }
  const source = data ?? header.config.task.data;
  if (source === 'arrays') {
    throw new UserError(
      `model ${file} was trained on arrays through the TypeScript API, so it names no dataset; give --data ` +
        `DIR (or --data mnist) to evaluate it`,
    );
  }
  if (data === undefined && source !== 'mnist' && !(existsSync(source) && statSync(source).isDirectory())) {
    throw new UserError(
      `model ${file} was trained on data from '${source}', which is not a directory here (the lab records ` +
        `files loaded from disk that way); give --data DIR with the same IDX files`,
    );
  }
  const ds = source === 'mnist' ? loadMnist() : loadDataDirectory(source);
  checkFits(header, file, source, ds);
  // The test split as trained: the whole test split of the pair, class or dataset (imbalance touches training only).
  const task = taskFor({ ...header.config, task: { ...header.config.task, imbalance: 1 } }, ds);
  return { task, source, sameData: ds.fingerprint === header.task.fingerprint };
}

function checkFits(header: ModelHeader, file: string, source: string, ds: Dataset): void {
  const { inputs, classes, dataset } = header.task;
  if (ds.rows * ds.cols !== inputs) {
    throw new UserError(
      `model ${file} takes ${describeImageSize(inputs)} images; ${source} holds ${ds.rows}×${ds.cols} images ` +
        `— evaluate it on images of the size it was trained on (${dataset})`,
    );
  }
  const kind = header.config.task.kind;
  if (kind === 'all' && ds.classes !== classes) {
    throw new UserError(
      `model ${file} was trained on ${classes} classes; ${source} has ${ds.classes} — evaluate it on data ` +
        `with the same classes (it was trained on ${dataset})`,
    );
  }
  if (kind !== 'all') {
    try {
      parseDigits(header.config.task.digits, ds.classes);
    } catch {
      throw new UserError(
        `model ${file} was trained on classes ${header.config.task.digits}; ${source} has ${ds.classes} ` +
          `(0…${ds.classes - 1}) — evaluate it on data holding those classes (it was trained on ${dataset})`,
      );
    }
  }
}
