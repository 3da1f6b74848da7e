/**
 * The lab's training worker: owns the backend, the data, the training run (ED and, to compare, backprop) and any
 * loaded model. Training advances in ~50 ms slices with a macrotask between them, so pause, reset, predict and
 * weight requests are answered while it runs. Every failure becomes an 'error' message; nothing is thrown to
 * the page.
 */
import {
  BACKPROP_DEFAULTS, BackpropClassifier, type BackpropOptions, createMemory, type Dataset, decodeModel, EdClassifier,
  type EdOptions, encodeModel, loadRule, type ModelHeader, PRESETS, parseDigits, Random, type Rule, type Task,
  TrainingSession, type TrainOptions, UserError, WasmBackend, modelHeader, buildTask, loadBrowserBackend, type Backend,
  type BrowserBackendChoice, referenceBackend, validateEdOptions,
} from 'edlearn/browser';
import { datasetFromFiles, fetchDataset } from './data';
import { Predictor } from './predictor';
import type { FromWorker, ModelSummary, Progress, Settings, ToWorker, ViewInfo } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const EPOCHS = 20;
const SLICE_MS = 50;
/** The drawing canvas gives 28×28 images, so a loaded model must take them. */
const DRAW_INPUTS = 28 * 28;

interface Trained<R extends Rule> {
  rule: R;
  session: TrainingSession;
  /** history entries already sent to the page. */
  sent: number;
}

interface Run {
  settings: Settings;
  key: string;
  task: Task;
  digits: number[];
  /** config.task.data of a saved model (see dataSource). */
  dataSource: string;
  backend: Backend;
  edOptions: EdOptions;
  bpOptions: BackpropOptions;
  train: TrainOptions;
  perEpoch: number;
  ed: Trained<EdClassifier>;
  bp: Trained<BackpropClassifier> | null;
}

let template: Backend | null = null;
let templateUsed = false;
let ready: Promise<void> | null = null;
let dataset: Dataset | null = null;
/** What config.task.data says in a saved model: the bundled images are genuine MNIST, so the CLI can evaluate on it. */
let dataSource = 'mnist';
let run: Run | null = null;
let loaded: { rule: Rule; header: ModelHeader; name: string } | null = null;
let latest: Settings | null = null;
let running = false;
let sliceQueued = false;

const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

function fail(err: unknown, id?: number): void {
  const message = err instanceof UserError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  post({ type: 'error', id, message });
}

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  handle(msg).catch((err: unknown) => fail(err, 'id' in msg ? msg.id : undefined));
});
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  fail(event.reason);
});

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    latest = msg.settings;
    ready = init(new URL(msg.pageUrl));
    return ready;
  }
  // Later messages wait for the backend; awaiting one settled promise keeps them in arrival order.
  if (!ready) throw new Error(`worker: '${msg.type}' before 'init'`);
  await ready;
  switch (msg.type) {
    case 'load-files': {
      const ds = await datasetFromFiles(msg.files);
      useDataset(ds, 'local IDX files');
      post({ type: 'files-loaded', id: msg.id });
      return;
    }
    case 'reset':
      latest = msg.settings;
      if (dataset) rebuild(msg.settings);
      return;
    case 'start':
      return start(msg.settings);
    case 'pause':
      setRunning(false);
      return;
    case 'weights':
      return sendWeights(msg.net, msg.unit);
    case 'predict': {
      const rule = loaded?.rule ?? run?.ed.rule;
      if (!rule) throw new UserError('predict: no model yet — wait for the data to load, or load a model file');
      post({ type: 'predictions', id: msg.id, results: Predictor.for(rule).predict(msg.images) });
      return;
    }
    case 'load-model':
      return loadModelFile(msg.id, msg.name, msg.bytes);
    case 'save-model': {
      const bytes = saveModel(msg.rule).slice(); // a copy typed as owning a plain ArrayBuffer, to transfer
      post({ type: 'model-bytes', id: msg.id, bytes }, [bytes.buffer]);
      return;
    }
  }
}

async function init(pageUrl: URL): Promise<void> {
  let choice: BrowserBackendChoice;
  try {
    choice = await loadBrowserBackend(new URL('wasm/', pageUrl));
  } catch (err) {
    choice = { backend: referenceBackend, reason: `loading the WebAssembly kernels failed (${(err as Error).message})` };
  }
  template = choice.backend;
  post({ type: 'backend', name: choice.backend.name, reason: choice.reason });
  // The data loads after `ready` resolves, so that other messages are answered meanwhile.
  void fetchDataset(new URL('data/', pageUrl))
    .then((ds) => useDataset(ds, 'mnist'))
    .catch((err: unknown) => fail(err));
}

/**
 * Replaces the data (called only once it has loaded and checked out) and builds a new run on it. If the settings
 * do not fit the new data (a digit it lacks), that is shown and the previous run stays until the next reset; the
 * data is in use either way.
 */
function useDataset(ds: Dataset, source: string): void {
  dataset = ds;
  dataSource = source;
  post({ type: 'data', name: ds.name, train: ds.train.count, test: ds.test.count, classes: ds.classes, side: ds.rows });
  try {
    if (latest) rebuild(latest);
  } catch (err) {
    fail(err);
  }
}

/**
 * A backend with its own memory for each run or loaded model: the WebAssembly allocator only bumps, so
 * discarding the whole memory is how a run's arrays are freed.
 */
function freshBackend(): Backend {
  if (!template) throw new Error('worker: the backend is not loaded yet');
  if (!templateUsed) {
    templateUsed = true;
    return template;
  }
  return template instanceof WasmBackend ? new WasmBackend(template.name, template.module, createMemory()) : template;
}

function buildRun(settings: Settings, ds: Dataset): Run {
  const digits = settings.task === 'all' ? [] : parseDigits(settings.digits, ds.classes);
  const task = buildTask(ds, settings.task, digits);
  const preset = PRESETS[settings.preset];
  const edOptions = validateEdOptions({
    ...preset.rule, units: settings.units, layers: settings.layers, lr: settings.lr, initMax: settings.initMax,
  });
  const bpOptions: BackpropOptions = { ...BACKPROP_DEFAULTS, layers: settings.layers, units: settings.units, lr: 0.001 };
  const perEpoch = Math.ceil(task.train.count / settings.batch);
  const train: TrainOptions = {
    batch: settings.batch, updates: EPOCHS * perEpoch, seed: settings.seed, order: 'shuffle',
    evalEvery: Math.max(1, Math.round(perEpoch / 4)),
  };
  const backend = freshBackend();
  const maxBatch = Math.min(4096, Math.max(512, settings.batch));
  const edRule = new EdClassifier(edOptions, task.inputs, task.classes, backend, new Random(settings.seed), maxBatch);
  const ed = { rule: edRule, session: new TrainingSession(edRule, task, train), sent: 0 };
  let bp: Trained<BackpropClassifier> | null = null;
  if (settings.compareBp) {
    const bpRule = new BackpropClassifier(bpOptions, task.inputs, task.classes, backend, new Random(settings.seed), maxBatch);
    bp = { rule: bpRule, session: new TrainingSession(bpRule, task, train), sent: 0 };
  }
  // An evaluation before any update starts the chart at chance level.
  ed.session.evaluate();
  bp?.session.evaluate();
  return { settings, key: JSON.stringify(settings), task, digits, dataSource, backend, edOptions, bpOptions, train, perEpoch, ed, bp };
}

/** A new run from `settings`; the current one is kept if the settings cannot be built. */
function rebuild(settings: Settings): void {
  latest = settings;
  if (!dataset) throw new UserError('the data has not loaded yet; wait for it or load the IDX files from disk');
  const next = buildRun(settings, dataset);
  setRunning(false);
  run = next;
  loaded = null;
  post({ type: 'run', task: next.task.name, classNames: next.task.classNames, totalUpdates: next.ed.session.totalUpdates,
    perEpoch: next.perEpoch, compareBp: next.bp !== null });
  postProgress(next);
  postView();
}

function start(settings: Settings): void {
  latest = settings;
  if (!run || run.key !== JSON.stringify(settings) || run.ed.session.done) rebuild(settings);
  else if (loaded) {
    // Training again: the drawing is scored by the model being trained, not the file.
    loaded = null;
    postView();
  }
  setRunning(true);
}

function setRunning(on: boolean): void {
  running = on && run !== null && !run.ed.session.done;
  post({ type: 'state', running, done: run?.ed.session.done ?? false });
  if (running && !sliceQueued) {
    sliceQueued = true;
    setTimeout(slice, 0);
  }
}

/** One slice of training: ED and backprop alternate update by update until the slice's time is up. */
function slice(): void {
  sliceQueued = false;
  const r = run;
  if (!running || !r) return;
  try {
    const deadline = performance.now() + SLICE_MS;
    let evaluated = false;
    while (!r.ed.session.done && performance.now() < deadline) {
      if (r.ed.session.step(1).length > 0) evaluated = true;
      if (r.bp && !r.bp.session.done && r.bp.session.step(1).length > 0) evaluated = true;
    }
    if (evaluated) postProgress(r);
    if (r.ed.session.done) setRunning(false);
    else {
      sliceQueued = true;
      setTimeout(slice, 0);
    }
  } catch (err) {
    setRunning(false);
    fail(err);
  }
}

function postProgress(r: Run): void {
  const count = r.task.train.count;
  const progress = (t: Trained<Rule>): Progress => {
    const s = t.session;
    const last = s.history[s.history.length - 1];
    const points = s.history.slice(t.sent).map((e) => ({ update: e.update, valAccuracy: e.valAccuracy }));
    t.sent = s.history.length;
    return {
      update: s.update, totalUpdates: s.totalUpdates, epoch: s.samples / count, valAccuracy: last.valAccuracy,
      bestAccuracy: last.bestValAccuracy, bestUpdate: last.bestUpdate,
      samplesPerSecond: s.trainSeconds > 0 ? s.samples / s.trainSeconds : 0, points,
    };
  };
  post({ type: 'progress', ed: progress(r.ed), bp: r.bp ? progress(r.bp) : null });
}

/** The ED network whose weights are drawn: a loaded ED model, else the one in training. */
function weightsRule(): { rule: EdClassifier; from: 'training' | 'file' } | null {
  if (loaded?.rule instanceof EdClassifier) return { rule: loaded.rule, from: 'file' };
  return run ? { rule: run.ed.rule, from: 'training' } : null;
}

function postView(): void {
  const w = weightsRule();
  const classNames = loaded ? loaded.header.task.classNames : run?.task.classNames ?? [];
  const view: ViewInfo = {
    predictFrom: loaded ? 'file' : 'training',
    classNames,
    weights: w && {
      from: w.from,
      networkNames: networkNames(w.rule, w.from === 'file' && loaded ? loaded.header.task.classNames : run?.task.classNames ?? []),
      units: w.rule.shapes[0].out,
      outExc: w.rule.shapes[0].outExc,
      side: Math.round(Math.sqrt(w.rule.inputs)),
    },
  };
  post({ type: 'view', view });
}

/** One network decides two classes (its output is the probability of the second); otherwise one per class. */
function networkNames(rule: EdClassifier, classNames: string[]): string[] {
  if (rule.networks === 1) return [`${classNames[1] ?? '1'} vs ${classNames[0] ?? '0'}`];
  return Array.from({ length: rule.networks }, (_, k) => classNames[k] ?? String(k));
}

/**
 * Effective input weights of hidden unit `unit` of network `net`: W⁺ + W⁻ per pixel, from the rows of the
 * excitatory copies (0…N−1) and of the inhibitory copies (N…2N−1) of w[0], which is (2N, out) row-major.
 */
function sendWeights(net: number, unit: number): void {
  const w = weightsRule();
  if (!w) return;
  const { rule } = w;
  const shape = rule.shapes[0];
  const k = Math.min(Math.max(0, Math.trunc(net)), rule.networks - 1);
  const u = Math.min(Math.max(0, Math.trunc(unit)), shape.out - 1);
  const N = rule.inputs;
  const w0 = rule.nets[k].w[0];
  const values = new Float32Array(N);
  for (let i = 0; i < N; i++) values[i] = w0[i * shape.out + u] + w0[(N + i) * shape.out + u];
  post({ type: 'weights', net: k, unit: u, unitType: u < shape.outExc ? 'excitatory' : 'inhibitory',
    side: Math.round(Math.sqrt(N)), values }, [values.buffer]);
}

function loadModelFile(id: number, name: string, bytes: Uint8Array): void {
  // Check the header before building anything, so that a model for other images is refused cheaply.
  const { header } = decodeModel(bytes, name);
  if (header.task.inputs !== DRAW_INPUTS) {
    throw new UserError(`model ${name} takes ${header.task.inputs}-pixel images; this lab draws 28×28 (784-pixel) images — load a model trained on MNIST-sized images`);
  }
  const { rule } = loadRule(bytes, name, freshBackend());
  setRunning(false);
  loaded = { rule, header, name };
  const summary: ModelSummary = {
    name, task: header.task.name, rule: header.config.rule, preset: header.config.preset,
    classNames: header.task.classNames, accuracy: header.accuracy,
  };
  post({ type: 'model-loaded', id, summary });
  postView();
}

/** The model file of the run's ED (or backprop) rule, with a header like the CLI's modelHeader writes. */
function saveModel(which: 'ed' | 'backprop'): Uint8Array {
  const r = run;
  if (!r) throw new UserError('download: there is no trained model yet — wait for the data to load');
  const t = which === 'ed' ? r.ed : r.bp;
  if (!t) throw new UserError('download: backprop is not being trained — tick "compare with backprop" and reset');
  const s = r.settings;
  const last = t.session.history[t.session.history.length - 1];
  const config: ModelHeader['config'] = {
    rule: which, preset: s.preset,
    ...(which === 'ed' ? { ed: r.edOptions } : { backprop: r.bpOptions }),
    task: { kind: s.task, digits: r.digits.join(','), bits: 4, data: r.dataSource, imbalance: 1, validation: 0, splitSeed: 1 },
    train: { batch: s.batch, updates: r.train.updates, order: 'shuffle', evalEvery: r.train.evalEvery, keepBest: false, retrainFull: false },
    seed: s.seed, backend: r.backend.name, threads: 1,
  };
  const task = {
    name: r.task.name, inputs: r.task.inputs, classes: r.task.classes, train: r.task.train.count, validation: r.task.validation.count, test: r.task.test.count,
    dataset: r.task.source.dataset, fingerprint: r.task.source.fingerprint,
  };
  // The same header the CLI writes (modelHeader), from this run's settings.
  const header = modelHeader({ config, backend: r.backend.name, threads: 1, task },
    { finalValAccuracy: last.valAccuracy, bestValAccuracy: last.bestValAccuracy, bestUpdate: last.bestUpdate }, t.rule);
  return encodeModel(header, t.rule.parameters());
}
