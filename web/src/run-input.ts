/**
 * The page's settings as the library's TrainInput: the same input `createModel` or `edlearn train` would be
 * given, so the run builder makes the same model here as in Node. Backprop gets the same input with rule
 * 'backprop'.
 */
import type { TrainInput } from 'edlearn/browser';
import { isPointTask } from './points';
import type { Settings } from './protocol';

/**
 * At most this many evaluations per run, and at most four per epoch: a chart of up to ~100 points, and
 * evaluating on the test images never costs more time than training does.
 */
export const EVALUATIONS = 100;

/** Where the run happens, which the form does not say: the backend in use and config.task.data of a saved model. */
export interface Place {
  /** A backend's name ('wasm-relaxed-simd', 'wasm-simd', 'reference'); resolveConfig checks it is one. */
  backend: TrainInput['backend'];
  data: string;
}

/**
 * The options both rules share. A 2-D dataset is an all-class task (two classes) on the generated points, with
 * the form's validation share.
 */
function sharedInput(s: Settings, place: Place): TrainInput {
  const task = isPointTask(s.task)
    ? { task: 'all' as const, validation: s.validation }
    : { task: s.task, ...(s.task === 'pair' ? { digits: s.digits } : {}), augment: s.augment };
  return {
    preset: s.preset,
    ...task,
    layers: s.layers,
    units: s.units,
    batch: s.batch,
    epochs: s.epochs,
    seed: s.seed,
    schedule: s.schedule,
    backend: place.backend,
    data: place.data,
  };
}

/**
 * The ED and backprop inputs of a run; `trainCount` gives the training samples of the task an input describes
 * (the worker asks the run builder), from which the evaluation interval is set.
 */
export function runInputs(
  s: Settings,
  place: Place,
  trainCount: (input: TrainInput) => number,
): { ed: TrainInput; bp: TrainInput } {
  const shared = sharedInput(s, place);
  const perEpoch = Math.ceil(trainCount(shared) / s.batch);
  const evalEvery = Math.max(1, Math.ceil(perEpoch / 4), Math.round((s.epochs * perEpoch) / EVALUATIONS));
  return {
    ed: { ...shared, rule: 'ed', lr: s.lr, initMax: s.initMax, evalEvery },
    // Backprop keeps Adam's own learning rate (0.001): ED's α (0.01 … 0.8) makes Adam diverge.
    bp: { ...shared, rule: 'backprop', evalEvery },
  };
}
