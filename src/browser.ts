/**
 * The browser-safe part of the public API (no Node modules): what the web lab imports. Node users import
 * src/index.ts, which re-exports all of this and adds files, threads, the CLI pieces and the report.
 */
export { VERSION } from './version.js';
export { UserError } from './errors.js';
export { Random } from './random.js';

export type { Backend } from './kernels/backend.js';
export { referenceBackend } from './kernels/reference.js';
export { WasmBackend, createMemory } from './kernels/wasm.js';
export { loadBrowserBackend, type BrowserBackendChoice } from './kernels/browser-loader.js';

export { EdClassifier, edLayerShapes, type EdLayerShape, type EdNetworkView } from './rules/ed.js';
export { PRESETS, PRESET_NAMES, getPreset, type EdPreset, type PresetName } from './options/presets.js';
export { ED_OPTIONS, validateEdOptions, type EdOptions } from './options/ed.js';
export { BACKPROP_OPTIONS, BACKPROP_DEFAULTS, validateBackpropOptions, type BackpropOptions } from './options/backprop.js';
export { RUN_OPTIONS, RUN_DEFAULTS } from './options/run.js';
export { expected, validate, validateGiven, type OptionSpec, type OptionSpecs, type Values } from './options/spec.js';
export { BackpropClassifier } from './rules/backprop.js';
export { argmaxRow, DENSE_ABOVE, type Rule, type LearnStats, type SampleBatch } from './rules/rule.js';

export { parseIdx, type IdxArray } from './data/idx-parse.js';
export { datasetFromIdx, type Dataset, type ImageSet, type Part } from './data/idx-dataset.js';
export { buildTask, parityTask, parseDigits, subsampleClass, type Task, type Split, type TaskKind } from './data/tasks.js';
export { toSparseRows, type SparseRows } from './data/sparse.js';
export { matchIdxNames, PART_NAMES, standardName, type IdxNameMatch } from './data/idx-names.js';

export { resolveConfig, type RunConfig, type TrainInput } from './train/config.js';
export { buildRun, taskFor, type BuiltRun } from './train/build.js';
export { TrainingSession, train, evaluate, accuracy, type TrainOptions, type TrainResult, type EvalRecord } from './train/trainer.js';

export { encodeModel, decodeModel } from './model/format.js';
export { loadModel } from './model/load.js';
export { modelHeader, type ModelHeader } from './model/header.js';
export { predictRows, confusionMatrix } from './model/predict.js';
export { crc32 } from './model/crc32.js';
