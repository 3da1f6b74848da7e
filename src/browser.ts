/**
 * edlearn's public API in a browser (`import … from 'edlearn/browser'`): no Node module anywhere below it.
 * The Model (createModel / fit / evaluate / predict / toBytes / loadModel) first; then what research on the rule
 * itself needs: the option schemas and presets, the run builder, the training loop, the rules, the backends,
 * datasets from IDX bytes, model files. The Node entry (index.ts) re-exports all of this and adds files,
 * threads, the CLI's runs, experiments, reports and benchmarks.
 */
export { VERSION } from './version.js';
export { UserError } from './errors.js';
export { Random } from './random.js';

// The model, shaped like TensorFlow.js's.
export {
  createModel,
  loadModel,
  Model,
  type BatchLogs,
  type Callback,
  type EarlyStoppingOptions,
  type EpochLogs,
  EarlyStopping,
  earlyStopping,
  type FitOptions,
  type History,
  type Monitor,
  type ModelOptions,
  type TrainedOn,
} from './api/model.js';
export type { Images, Labels } from './api/arrays.js';

// Options, declared once: schemas (kind, range, help, label) and the presets.
export { ED_OPTIONS, validateEdOptions, type EdOptions } from './options/ed.js';
export { BACKPROP_OPTIONS, BACKPROP_DEFAULTS, type BackpropOptions } from './options/backprop.js';
export { RUN_OPTIONS, RUN_DEFAULTS, TASK_NAMES, type TaskName, type RuleName } from './options/run.js';
export { PRESETS, PRESET_NAMES, getPreset, type EdPreset, type PresetName } from './options/presets.js';
export { expected, validate, validateGiven, type OptionSpec, type OptionSpecs, type Values } from './options/spec.js';

// A run: config → task + rule + loop options (the one builder), the loop, prediction.
export { resolveConfig, INPUT_OPTIONS, type RunConfig, type TrainInput } from './train/config.js';
export {
  buildRule,
  buildRun,
  maxBatchFor,
  taskFor,
  trainOptions,
  type BuiltRun,
  type RuleSpec,
} from './train/build.js';
export { TrainingSession, train, type EvalRecord, type TrainOptions, type TrainResult } from './train/trainer.js';
export { confusionMatrix, evaluateRows, predictRows, type Evaluation, type Predictions } from './train/predict.js';
export { taskSummary, type RunHeader, type TaskSummary } from './log/events.js';
// An ensemble from members trained one after another (as --ensemble K does): their scores averaged.
export { EnsembleRule } from './model/ensemble.js';
export { scoreEnsemble, type EnsembleSummary, type TrainedMember } from './train/ensemble-score.js';

// The rules and the kernels they run on.
export {
  EdClassifier,
  edLayerShapes,
  type EdLayerShape,
  type EdNetworkView,
  type EdStorage,
  type NetworkOp,
} from './rules/ed.js';
export { BackpropClassifier } from './rules/backprop.js';
export type { LearnStats, Rule, SampleBatch } from './rules/rule.js';
export { BACKEND_NAMES, type Backend } from './kernels/backend.js';
export { referenceBackend } from './kernels/reference.js';
export { WasmBackend, createMemory } from './kernels/wasm.js';
export { loadBrowserBackend, type BrowserBackendChoice } from './kernels/browser-loader.js';

// Data from IDX bytes, and tasks over it.
export { parseIdx, type IdxArray } from './data/idx-parse.js';
export { encodeNpy, parseNpy, type NpyArray, type NpyType } from './data/npy.js';
export { parseCsv, type CsvImages } from './data/csv.js';
export { datasetFromIdx, type Dataset, type ImageSet, type Part } from './data/idx-dataset.js';
export { buildTask, parityTask, type Split, type Task, type TaskKind } from './data/tasks.js';
export { toSparseRows, type Allocator, type SparseRows } from './data/sparse.js';
export { matchIdxNames, PART_NAMES, standardName, type IdxNameMatch } from './data/idx-names.js';
export { decodePng, type GreyImage, type Inflate } from './data/png.js';

// Reinforcement learning: environments, the encoding every agent shares, the agents, the loop, agent files.
export { ENV_NAMES, type Env, type EnvName, type StepResult } from './rl/env.js';
export { CartPole, CARTPOLE, cartpoleStep } from './rl/cartpole.js';
export { Acrobot, ACROBOT, acrobotStep } from './rl/acrobot.js';
export { MountainCar, MOUNTAINCAR, mountainCarStep } from './rl/mountaincar.js';
export { ValueHead } from './rl/value-head.js';
export { RewardOnlyMnist } from './rl/mnist-task.js';
export { rbfEncoding, pixelEncoding, CARTPOLE_SCALES, type Encoding } from './rl/encoding.js';
export { boxEncoding, cartpoleEncoding, CARTPOLE_BOXES } from './rl/boxes.js';
export { AGENT_NAMES, RL_OPTIONS, type AgentName } from './options/rl.js';
export { resolveRlConfig, epsilonAt, type RlConfig, type RlInput } from './rl/config.js';
export {
  agentShape,
  createAgent,
  valueHeadOf,
  valueScale,
  type Agent,
  type AgentShape,
  type Transition,
} from './rl/agent.js';
export { Columns } from './rl/columns.js';
export {
  RlSession,
  trainAgent,
  playGreedy,
  greedyTrajectory,
  greedyAccuracy,
  envSeed,
  finalGreedy,
  type GreedySummary,
  type EpisodeRecord,
  type RlLoopOptions,
  type RlResult,
} from './rl/loop.js';
export { agentToBytes, agentFromBytes } from './rl/agent-file.js';
export type { AgentHeader } from './rl/agent-file.js';
export { buildColumns } from './train/build.js';

// Model files.
export { encodeModel, decodeModel } from './model/format.js';
export { loadRule } from './model/load.js';
export { modelHeader, type ModelHeader } from './model/header.js';
export { crc32 } from './crc32.js';
