/**
 * The public Model, shaped like a TensorFlow.js model: createModel → fit → evaluate / predict → toBytes / save,
 * and loadModel for a file's bytes. Browser-safe and thin: the config is resolved by train/config, the rule is
 * built by train/build, the loop is train/trainer's TrainingSession, the bytes are model/format's.
 */
import { toSparseRows, type SparseRows } from '../data/sparse.js';
import { Arena } from '../data/arena.js';
import { emptySplit, type Split, type Task } from '../data/tasks.js';
import { UserError } from '../errors.js';
import type { Backend } from '../kernels/backend.js';
import { referenceBackend } from '../kernels/reference.js';
import { encodeModel } from '../model/format.js';
import { modelHeader, type ModelHeader } from '../model/header.js';
import { summaryInput, summaryLines } from '../model/summary.js';
import { forwardGraph } from '../export/forward.js';
import { toOnnx } from '../export/onnx.js';
import { type TfjsFiles, toTfjs } from '../export/tfjs.js';
import { loadRule } from '../model/load.js';
import { type Evaluation, evaluateRows, predictRows } from '../train/predict.js';
import { validateGiven } from '../options/spec.js';
import type { LearnStats, Rule } from '../rules/rule.js';
import { buildRule, maxBatchFor, trainOptions } from '../train/build.js';
import type { RunConfig } from '../train/config.js';
import { taskSummary } from '../log/events.js';
import { type EvalRecord, TrainingSession } from '../train/trainer.js';
import { type BatchLogs, callbackList, type EpochLogs, fire, type Stoppable } from './callbacks.js';
import { fingerprint, type Images, type Labels, sampleCount, scaleOf, slice, splitOf } from './arrays.js';
import { bytesOf, checkArgument, checkOptions, checkOptionTypes, isBinary } from '../args.js';
import {
  FIT_KEYS,
  FIT_OPTIONS,
  type FitOptions,
  heldOut,
  type ModelOptions,
  pickFit,
  modelConfig,
  type TrainedOn,
  trainedOn,
  withMaxBatch,
} from './model-config.js';

export type { Images, Labels } from './arrays.js';
export type { Evaluation } from '../train/predict.js';
export {
  type BatchLogs,
  type Callback,
  type EarlyStoppingOptions,
  type EpochLogs,
  EarlyStopping,
  earlyStopping,
  type Monitor,
} from './callbacks.js';

export { type FitOptions, type ModelOptions, modelConfig, type TrainedOn, trainedOn } from './model-config.js';

export interface History {
  /** 0-based index of each epoch recorded. */
  epoch: number[];
  history: {
    accuracy: number[];
    meanAbsError: number[];
    valAccuracy: number[];
    valBalancedAccuracy: number[];
    seconds: number[];
  };
  /** True when training ended before its epochs: the signal, or a callback (model.stopTraining, earlyStopping). */
  stopped: boolean;
}

/** A Model over rules that run on this thread; the Node API adds worker threads (api/node.ts). */
export class Model implements Stoppable {
  /** Set by a callback (earlyStopping) to end fit after the current update, as in TF.js. */
  stopTraining = false;
  private current: Rule;
  private fits = 0;
  /** The memory every fit's rows are built in, taken again by the next fit (a WebAssembly memory cannot free). */
  private arena: Arena | null = null;
  /** A fit in progress: a second one at once would interleave updates on the same weights. */
  private fitting = false;
  /** Sparse rows of arrays already seen, so that evaluating the same data again allocates nothing. */
  private readonly rows = new WeakMap<object, { key: string; rows: SparseRows }>();

  /**
   * `trained`: what the model file's header says of the data and the accuracy (the last fit's, or the loaded
   * file's); a new model has seen nothing.
   */
  constructor(
    readonly config: RunConfig,
    rule: Rule,
    readonly classNames: string[],
    private trained: TrainedOn | null = null,
  ) {
    this.current = rule;
  }

  /** The rule behind the model (replaced by a larger one when a fit asks for a larger batch than it was built for). */
  get rule(): Rule {
    return this.current;
  }

  get inputs(): number {
    return this.rule.inputs;
  }

  get classes(): number {
    return this.rule.classes;
  }

  get backend(): Backend {
    return this.rule.backend;
  }

  /**
   * Trains on x, y; resolves with the per-epoch history. Callbacks fire in TF.js's order: onTrainBegin, then per
   * epoch onEpochBegin, onBatchBegin / onBatchEnd per update, onEpochEnd; onTrainEnd last.
   */
  async fit(x: Images, y: Labels, options: FitOptions = {}): Promise<History> {
    if (this.fitting)
      throw new UserError(
        'fit: this model is already training (a fit is in progress); await it before calling fit again, or ' +
          'train a second model',
      );
    this.fitting = true;
    try {
      return await this.fitOnce(x, y, options);
    } finally {
      this.fitting = false;
    }
  }

  private async fitOnce(x: Images, y: Labels, options: FitOptions): Promise<History> {
    checkOptionTypes('fit', checkOptions('fit', options, FIT_KEYS), {
      shuffle: 'boolean',
      onEpochEnd: 'function',
      signal: ['an AbortSignal', (v) => typeof AbortSignal !== 'undefined' && v instanceof AbortSignal],
      validationData: ['[images, labels]', (v) => Array.isArray(v) && v.length === 2],
      callbacks: ['a callback object or an array of them', (v) => typeof v === 'object' && v !== null],
    });
    const o = { ...validateGiven(FIT_OPTIONS, pickFit(options), 'fit'), ...options };
    if (o.validationSplit && o.validationData)
      throw new UserError('fit: give validationSplit or validationData, not both');
    const callbacks = callbackList(o.callbacks, o.onEpochEnd);
    const all = splitOf(x, y, this.inputs, this.classes, 'fit');
    const held = heldOut(all.count, o.validationSplit ?? 0);
    const train = held ? slice(all, this.inputs, 0, all.count - held) : all;
    let validation: Split = held ? slice(all, this.inputs, all.count - held, all.count) : emptySplit(this.inputs);
    if (o.validationData) {
      const [vx, vy] = o.validationData;
      if (scaleOf(vx) !== scaleOf(x))
        throw new UserError(
          'fit: validationData images must be of the same type as x (both Uint8Array or both Float32Array)',
        );
      validation = splitOf(vx, vy, this.inputs, this.classes, 'fit: validationData');
    }
    const batch = o.batchSize ?? this.config.train.batch;
    // The batch is the fit call's, as in TF.js: a model built for smaller batches grows its scratch space.
    if (batch > this.current.maxBatch) this.current = withMaxBatch(this.current, this.config, maxBatchFor(batch));
    const task: Task = {
      name: `arrays ${this.classes}-class`,
      inputs: this.inputs,
      classes: this.classes,
      classNames: this.classNames,
      scale: scaleOf(x),
      train,
      validation,
      test: emptySplit(this.inputs),
      source: { dataset: 'arrays', fingerprint: fingerprint(train.x) },
    };
    this.arena ??= new Arena(this.backend);
    this.arena.reset();
    const batchHooks = callbacks.some((c) => c.onBatchBegin || c.onBatchEnd);
    let batchLogs: BatchLogs = { batch: 0, size: 0, accuracy: 0, meanAbsError: 0 };
    const perEpoch = Math.ceil(train.count / batch);
    // A later fit continues from the current weights with a new shuffling stream; the first one is the CLI's.
    const loop = {
      ...trainOptions(this.config),
      batch,
      epochs: o.epochs ?? 1,
      updates: undefined,
      evalEvery: undefined,
      order: o.shuffle === false ? ('fixed' as const) : ('shuffle' as const),
      seed: (this.config.seed + this.fits) >>> 0,
      memory: this.arena,
      onUpdate: batchHooks
        ? (update: number, _total: number, stats: LearnStats, size: number) => {
            batchLogs = {
              batch: (update - 1) % perEpoch,
              size,
              accuracy: stats.correct / size,
              meanAbsError: stats.absError / size,
            };
          }
        : undefined,
    };
    this.fits++;
    this.stopTraining = false;
    for (const c of callbacks) c.setModel?.(this);
    const history: History = {
      epoch: [],
      history: { accuracy: [], meanAbsError: [], valAccuracy: [], valBalancedAccuracy: [], seconds: [] },
      stopped: false,
    };
    const result = await this.runLoop(batch, async () => {
      const session = new TrainingSession(this.current, task, loop);
      let lastSeconds = 0;
      let lastLogs: EpochLogs | undefined;
      const record = async (e: EvalRecord) => {
        const seconds = e.trainSeconds - lastSeconds;
        lastSeconds = e.trainSeconds;
        const samples = train.count;
        const logs: EpochLogs = {
          accuracy: e.trainAccuracy,
          meanAbsError: e.trainError,
          seconds,
          samplesPerSecond: seconds > 0 ? samples / seconds : 0,
        };
        if (validation.count > 0)
          Object.assign(logs, { valAccuracy: e.valAccuracy, valBalancedAccuracy: e.valBalancedAccuracy });
        const epoch = history.epoch.length;
        history.epoch.push(epoch);
        history.history.accuracy.push(logs.accuracy);
        history.history.meanAbsError.push(logs.meanAbsError);
        history.history.seconds.push(seconds);
        if (validation.count > 0) {
          history.history.valAccuracy.push(e.valAccuracy);
          history.history.valBalancedAccuracy.push(e.valBalancedAccuracy);
        }
        lastLogs = logs;
        await fire(callbacks, 'onEpochEnd', epoch, logs);
      };
      await fire(callbacks, 'onTrainBegin');
      const yieldEvery = o.yieldEvery ?? 50;
      let until = performance.now() + yieldEvery;
      // Without batch callbacks, updates go in steps grown while a step takes less than a slice: long runs reach the
      // rule's fast path (learnSequence over a whole epoch or evaluation
      // interval), as in the CLI, with the same weights.
      let chunk = 16;
      while (!session.done) {
        if (o.signal?.aborted || this.stopTraining) {
          history.stopped = true;
          break;
        }
        const inEpoch = session.update % perEpoch;
        if (inEpoch === 0) await fire(callbacks, 'onEpochBegin', session.update / perEpoch);
        if (batchHooks) await fire(callbacks, 'onBatchBegin', inEpoch);
        const t0 = performance.now();
        // A step never crosses the end of an epoch, so that onEpochBegin comes before the next one's first update.
        const made = session.step(batchHooks ? 1 : Math.min(chunk, perEpoch - inEpoch));
        const ms = performance.now() - t0;
        if (ms * 4 < yieldEvery) chunk = Math.min(chunk * 2, 1 << 30);
        else if (ms > yieldEvery * 2 && chunk > 1) chunk = Math.max(1, Math.floor(chunk / 2));
        if (batchHooks) await fire(callbacks, 'onBatchEnd', inEpoch, batchLogs);
        for (const e of made) await record(e);
        if (performance.now() >= until) {
          await nextMacrotask();
          until = performance.now() + yieldEvery;
        }
      }
      const finished = session.finish();
      await fire(callbacks, 'onTrainEnd', lastLogs);
      return finished;
    });
    this.trained = {
      task: taskSummary(task),
      accuracy: {
        finalValAccuracy: result.finalValAccuracy,
        bestValAccuracy: result.bestValAccuracy,
        bestUpdate: result.bestUpdate,
      },
    };
    return history;
  }

  /** Accuracy, balanced accuracy and confusion matrix on x, y. */
  evaluate(x: Images, y: Labels): Evaluation {
    const split = splitOf(x, y, this.inputs, this.classes, 'evaluate');
    return evaluateRows(this.rule, this.rowsOf(split, scaleOf(x)));
  }

  /** Scores, n × classes (probabilities for two classes and for softmax outputs; each network's sigmoid otherwise). */
  predict(x: Images): Float32Array {
    const count = sampleCount(x, this.inputs, 'predict');
    return predictRows(this.rule, this.rowsOf({ x, labels: new Uint8Array(count), count }, scaleOf(x))).scores;
  }

  /** The shape of the model as a text table: each class network's layers, the rule's options, the parameter counts. */
  summary(): string {
    return summaryLines(summaryInput(this.config, this.current, this.inputs, this.classes, this.classNames)).join('\n');
  }

  /** The model file (the format `edlearn eval` and `edlearn predict` read). */
  toBytes(): Uint8Array {
    const { task, accuracy } = this.trained ?? {
      task: {
        name: 'untrained',
        inputs: this.inputs,
        classes: this.classes,
        train: 0,
        validation: 0,
        test: 0,
        dataset: 'arrays',
        fingerprint: '',
      },
      accuracy: { finalValAccuracy: NaN, bestValAccuracy: NaN, bestUpdate: 0 },
    };
    const header: ModelHeader = modelHeader(
      { config: this.config, backend: this.backend.name, threads: 1, task },
      accuracy,
      this.rule,
    );
    header.task.classNames = this.classNames;
    return encodeModel(header, this.rule.parameters());
  }

  /** The model as an ONNX file (input `images`, n × inputs in 0…1; output `scores`, as predict gives them). */
  toOnnx(): Uint8Array {
    return toOnnx(
      forwardGraph(this.current, this.classNames, 'toOnnx'),
      `edlearn ${this.config.rule} model, preset ${this.config.preset}`,
    );
  }

  /** The model in TF.js's Layers format: model.json's text (naming the weights file `weightsFile`) and the weights. */
  toTfjs(weightsFile = 'weights.bin'): TfjsFiles {
    return toTfjs(forwardGraph(this.current, this.classNames, 'toTfjs'), weightsFile);
  }

  /** In a browser: offers the model file as a download named `name`. Node's Model writes a file instead. */
  async save(name: string): Promise<void> {
    checkArgument(
      'save',
      'name',
      name,
      'a file name (a non-empty string)',
      typeof name === 'string' && name.trim() !== '',
    );
    if (typeof document === 'undefined') throw new UserError('save: no document to download from; use model.toBytes()');
    const url = URL.createObjectURL(new Blob([this.toBytes().slice()], { type: 'application/octet-stream' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** Runs a training loop; the Node Model spreads the networks over worker threads around it. */
  protected async runLoop<T>(_batch: number, loop: () => Promise<T>): Promise<T> {
    return loop();
  }

  private rowsOf(split: Split, scale: number): SparseRows {
    const key = `${split.x.byteOffset}:${split.x.length}:${scale}:${split.labels.byteOffset}`;
    const cached = this.rows.get(split.x.buffer);
    if (cached && cached.key === key && cached.rows.labels === split.labels) return cached.rows;
    const rows = toSparseRows(split, this.inputs, scale, this.backend);
    this.rows.set(split.x.buffer, { key, rows });
    return rows;
  }
}

/** A new model with initial weights from its seed (browser: the TypeScript backend unless one is given). */
export function createModel(options: ModelOptions = {}, backend: Backend = referenceBackend): Model {
  const { config, inputs, classes, classNames } = modelConfig(options);
  return new Model(
    config,
    buildRule({ config, inputs, classes, maxBatch: maxBatchFor(config.train.batch) }, backend),
    classNames,
  );
}

/** A Model from a model file's bytes (saved by the CLI, the lab or toBytes). */
export function loadModel(bytes: Uint8Array | ArrayBuffer, backend: Backend = referenceBackend, name = 'model'): Model {
  checkArgument(
    'loadModel',
    'bytes',
    bytes,
    'the bytes of a model file (a Uint8Array or an ArrayBuffer)',
    isBinary(bytes),
  );
  const { header, rule } = loadRule(bytesOf(bytes), name, backend);
  return new Model(header.config, rule, header.task.classNames, trainedOn(header));
}

/** Lets the event loop run (messages, rendering, timers) between slices of training. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
