/**
 * edlearn's public API in Node (`import … from 'edlearn'`): everything the browser entry has (browser.ts), with
 * a Model that also saves files, reads paths and uses every core; datasets from disk; whole runs as the CLI
 * makes them (with NDJSON logs); sweeps (local and over Redis); the article's experiments, reports and benchmarks.
 */
export * from './browser.js';

// The Node Model: createModel / loadModel shadow the browser's.
export { createModel, loadModel, NodeModel } from './api/node.js';

export { getBackend, type BackendName } from './kernels/index.js';
export { loadDataDirectory, loadIdxDataset, loadMnist, locateIdxFiles, mnistDirectory } from './data/dataset.js';
export { loadCsv, loadNpy, type LabelledImages } from './data/formats.js';
export { readIdxFile } from './data/idx.js';

export { runTraining, resolveRunConfig, loadTask, type RunOutcome, type RunHooks } from './train/run.js';
export { loadDataset } from './data/cache.js';
export { spreadNetworks, type NetworkThreads } from './engine/threads.js';
export { saveModel, readModelFile } from './model/file.js';

export { runRl, buildEnv, type RlOutcome, type RlHooks } from './rl/run.js';
export {
  LOG_FORMAT,
  LOG_FORMAT_VERSION,
  RL_LOG_FORMAT,
  RL_LOG_FORMAT_VERSION,
  type RlStartEvent,
  type RlEvalRecord,
} from './log/events.js';
export { readEvents, type LogLine, type ReadEventsOptions } from './log/read.js';

export {
  runBench,
  formatBenchReport,
  formatSpeedMarkdown,
  type BenchReport,
  type BenchOptions,
} from './bench/index.js';
export { renderReport, readLogs, type ReportOptions, type ReportResult } from './report/index.js';
export { EXPERIMENTS, EXPERIMENT_IDS, type Experiment, type ExperimentCurve } from './experiments/grids.js';
export { runExperiment } from './experiments/runner.js';
export { conclude, NOTES } from './experiments/conclusions.js';

// Sweeps: files → content-addressed runs, the local and the Redis executors, the worker.
export { readSweepFile, checkSweep, type SweepSpec } from './sweep/file.js';
export { planSweep, type SweepPlan, type SweepPoint, type SweepJob } from './sweep/plan.js';
export { runId, RUN_ID_SCHEME } from './sweep/run-id.js';
export { runSweep, type Executor, type SweepOutcome, type SweepProgress } from './sweep/run.js';
export { LocalExecutor } from './sweep/local.js';
export { RunnerProcess } from './sweep/processes.js';
export { QueueExecutor, parseQueueUrl, queueStatus, QUEUE_NAME } from './sweep/queue.js';
export { startWorker, type QueueWorker } from './sweep/worker.js';

// The browser bench's results file (bench/browser.ts writes it, bench/readme.ts prints it).
export {
  BROWSER_FORMAT,
  browserRatio,
  formatBrowserLine,
  readBrowserReport,
  type BrowserReport,
} from './bench/browser-report.js';
export { machine } from './log/machine.js';
