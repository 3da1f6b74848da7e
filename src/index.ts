/** The public TypeScript API of edlearn: what the CLI, benchmarks, experiments, the web app and users import. */
export { VERSION } from './version.js';
export { UserError } from './errors.js';
export { Random } from './random.js';

export type { Backend } from './kernels/backend.js';
export { getBackend, referenceBackend, BACKEND_NAMES, type BackendName } from './kernels/index.js';
export { WasmBackend } from './kernels/wasm.js';

export { EdClassifier, edLayerShapes, type EdLayerShape, type EdNetworkView } from './rules/ed.js';
export { DENSE_ABOVE } from './rules/rule.js';
export { PRESETS, PRESET_NAMES, getPreset, type EdPreset, type PresetName } from './options/presets.js';
export { ED_OPTIONS, validateEdOptions, type EdOptions } from './options/ed.js';
export { BACKPROP_OPTIONS, BACKPROP_DEFAULTS, validateBackpropOptions, type BackpropOptions } from './options/backprop.js';
export { RUN_OPTIONS, RUN_DEFAULTS } from './options/run.js';
export { expected, validate, validateGiven, type OptionSpec, type OptionSpecs, type Values } from './options/spec.js';
export type { Rule, LearnStats, SampleBatch } from './rules/rule.js';
export { toSparseRows, type SparseRows } from './data/sparse.js';

export { parseIdx, readIdxFile, type IdxArray } from './data/idx.js';
export { loadIdxDataset, loadMnist, locateIdxFiles, mnistDirectory, type Dataset, type ImageSet } from './data/dataset.js';
export { buildTask, parityTask, parseDigits, type Task, type Split, type TaskKind } from './data/tasks.js';

export { train, accuracy, type TrainOptions, type TrainResult, type EvalRecord } from './train/trainer.js';
export { resolveConfig, INPUT_OPTIONS, TASK_NAMES, type TrainInput, type RunConfig, type TaskName } from './train/config.js';
export { buildRule, buildRun, maxBatchFor, taskFor, trainOptions, type BuiltRun, type RuleSpec } from './train/build.js';
export { runTraining, loadTask, LOG_FORMAT, LOG_FORMAT_VERSION, type RunHeader, type RunOutcome, type RunHooks } from './train/run.js';
export { runBench, formatBenchReport, type BenchReport, type BenchOptions } from './bench/index.js';
export { BackpropClassifier } from './rules/backprop.js';
export { renderReport, readLogs, type ReportOptions, type ReportResult } from './report/index.js';
export { EXPERIMENTS, EXPERIMENT_IDS, type Experiment, type ExperimentCurve } from './experiments/grids.js';
export { runExperiment } from './experiments/runner.js';
export { conclude, NOTES } from './experiments/conclusions.js';

export { encodeModel, decodeModel } from './model/format.js';
export { loadModel } from './model/load.js';
export { modelHeader, MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelHeader } from './model/header.js';
export { saveModel, readModelFile } from './model/file.js';
export { predictRows, confusionMatrix, type Predictions } from './model/predict.js';
export { crc32 } from './model/crc32.js';
export { decodePng, type GreyImage, type Inflate } from './data/png.js';
