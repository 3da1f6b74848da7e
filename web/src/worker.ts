/**
 * The lab's training worker: owns the backend, the data, the training run (ED and, to compare, backprop) and any
 * loaded model. Every model is built by the library's run builder from a TrainInput (run-input.ts), as in Node.
 * Training advances in ~50 ms slices with a macrotask between them, so pause, reset, predict and weight requests
 * are answered while it runs. Every failure becomes an 'error' message naming the panel it belongs to; nothing
 * is thrown to the page.
 */
import {
  type Backend, type BrowserBackendChoice, buildRun, createMemory, type Dataset, decodeModel, edClassifierOf, type EdClassifier, encodeModel,
  loadBrowserBackend, loadRule, type ModelHeader, modelHeader, referenceBackend, resolveConfig, type Rule, type RunConfig,
  type Task, taskFor, TrainingSession, type TrainInput, type TrainResult, UserError, WasmBackend,
} from 'edlearn/browser';
import { sha256, simdBackend } from './checksum';
import { datasetFromFiles, fetchDataset } from './data';
import { Predictor } from './predictor';
import { type Checksums, type FromWorker, type ModelSummary, type Panel, type Progress, type Settings, type ToWorker, type ViewInfo, WATCH_SECONDS } from './protocol';
import { runInputs } from './run-input';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const SLICE_MS = 50;
/** A step() call of a slice takes about this long at most (see Run.chunk). */
const CHUNK_MS = 10;
/** The drawing canvas gives 28×28 images, so a loaded model must take them. */
const DRAW_INPUTS = 28 * 28;

interface Trained {
  input: TrainInput;
  config: RunConfig;
  rule: Rule;
  session: TrainingSession;
  /** history entries already sent to the page. */
  sent: number;
  /** The summary, made once when the run ends: the only time the test split is read. */
  result?: TrainResult;
}

interface Run {
  settings: Settings;
  /** The settings that shape the model (not the pace): a start with other ones builds a new run. */
  key: string;
  task: Task;
  backend: Backend;
  ed: Trained;
  bp: Trained | null;
  /** Milliseconds spent running before the current stretch, and when that stretch began (pacing). */
  activeMs: number;
  since: number;
  /**
   * Updates per step() call in a slice: grown while a call takes under CHUNK_MS, so that a fast run hands the
   * engine whole runs of updates (one learnSequence call, as in Node) instead of one update per call.
   */
  chunk: number;
}

let template: Backend | null = null;
let templateUsed = false;
let pageUrl: URL | null = null;
let ready: Promise<void> | null = null;
let dataset: Dataset | null = null;
/** What config.task.data says in a saved model: the bundled images are genuine MNIST, so the CLI can evaluate on it. */
let dataSource = 'mnist';
let run: Run | null = null;
let loaded: { rule: Rule; header: ModelHeader; name: string } | null = null;
let latest: Settings | null = null;
let running = false;
let sliceQueued = false;

/** Which panel a failed request came from. */
const PANEL_OF: Record<ToWorker['type'], Panel> = {
  init: 'data', 'load-files': 'data', reset: 'train', start: 'train', pause: 'train', weights: 'train', checksum: 'train',
  predict: 'draw', 'load-model': 'models', 'save-model': 'models',
};

const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

function fail(err: unknown, panel: Panel, id?: number): void {
  const message = err instanceof UserError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  post({ type: 'error', id, panel, message });
}

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  handle(msg).catch((err: unknown) => fail(err, PANEL_OF[msg.type], 'id' in msg ? msg.id : undefined));
});
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  fail(event.reason, 'train');
});

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    latest = msg.settings;
    pageUrl = new URL(msg.pageUrl);
    ready = init(pageUrl);
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
      const { bytes, fileName } = saveModel(msg.rule);
      const copy = bytes.slice(); // a copy typed as owning a plain ArrayBuffer, to transfer
      post({ type: 'model-bytes', id: msg.id, bytes: copy, fileName }, [copy.buffer]);
      return;
    }
    case 'checksum':
      return checksums(msg.id, msg.settings, msg.backend, msg.updates);
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
    .catch((err: unknown) => fail(err, 'data'));
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
    fail(err, 'train');
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

/** The settings that shape the model: everything but the pace. */
const modelKey = ({ pace: _pace, ...rest }: Settings) => JSON.stringify(rest);

/** The inputs of a run on `backend`, built by the library's run builder: the same weights as in Node. */
function buildLabRun(settings: Settings, ds: Dataset, backend: Backend): Run {
  const inputs = runInputs(settings, { backend: backend.name as TrainInput['backend'], data: dataSource }, (input) => taskFor(resolveConfig(input), ds).train.count);
  const trained = (input: TrainInput): Trained => {
    const config = resolveConfig(input);
    const built = buildRun(config, ds, backend);
    return { input, config, rule: built.rule, session: new TrainingSession(built.rule, built.task, built.train), sent: 0 };
  };
  const ed = trained(inputs.ed);
  const bp = settings.compareBp ? trained(inputs.bp) : null;
  return {
    settings, key: modelKey(settings), task: ed.session.task, backend, ed, bp, activeMs: 0, since: 0, chunk: 1,
  };
}

/** A new run from `settings`; the current one is kept if the settings cannot be built. */
function rebuild(settings: Settings): void {
  latest = settings;
  if (!dataset) throw new UserError('the data has not loaded yet; wait for it or load the IDX files from disk');
  const next = buildLabRun(settings, dataset, freshBackend());
  // An evaluation before any update starts the chart at chance level.
  next.ed.session.evaluate();
  next.bp?.session.evaluate();
  setRunning(false);
  run = next;
  loaded = null;
  const { epochs = 0, evalEvery = 0 } = next.ed.config.train;
  post({ type: 'run', task: next.task.name, classNames: next.task.classNames, totalUpdates: next.ed.session.totalUpdates,
    epochs, evalEvery, compareBp: next.bp !== null, train: next.task.train.count, validation: next.task.validation.count });
  // After setRunning(false), which spoke of the old run: the page must hear that this one is not done.
  postState();
  postProgress(next);
  postView();
}

function start(settings: Settings): void {
  latest = settings;
  if (!run || run.key !== modelKey(settings) || run.ed.session.done) rebuild(settings);
  else if (loaded) {
    // Training again: the drawing is scored by the model being trained, not the file.
    loaded = null;
    postView();
  }
  const r = run!;
  r.settings = settings;
  // The pace may have changed: count at least the time a watched run would have taken to get this far, so
  // that switching from full speed to watching does not stall until the clock catches up.
  r.activeMs = Math.max(r.activeMs, (r.ed.session.update / r.ed.session.totalUpdates) * WATCH_SECONDS * 1000);
  setRunning(true);
}

function setRunning(on: boolean): void {
  const was = running;
  running = on && run !== null && !run.ed.session.done;
  if (run && was !== running) {
    // Pacing counts time spent running only.
    if (running) run.since = performance.now();
    else run.activeMs += performance.now() - run.since;
  }
  postState();
  if (running && !sliceQueued) {
    sliceQueued = true;
    setTimeout(slice, 0);
  }
}

function postState(): void {
  post({ type: 'state', running, done: run?.ed.session.done ?? false });
}

/**
 * With pace 'watch', how many updates the run may have made by now: the share of WATCH_SECONDS that has passed
 * (an update count, so that a fast backend waits and a slow one is not held back).
 */
function allowedUpdates(r: Run, now: number): number {
  if (r.settings.pace === 'full') return Infinity;
  const ms = r.activeMs + (now - r.since);
  return Math.ceil((r.ed.session.totalUpdates * ms) / (WATCH_SECONDS * 1000));
}

/**
 * One slice of training: ED and backprop alternate, a chunk of updates each, until the slice's time or allowance
 * is up. Chunks change nothing but speed: a run of updates learns exactly as the same updates one by one.
 */
function slice(): void {
  sliceQueued = false;
  const r = run;
  if (!running || !r) return;
  try {
    const began = performance.now();
    const deadline = began + SLICE_MS;
    const allowed = allowedUpdates(r, deadline);
    let evaluated = false;
    while (!r.ed.session.done && r.ed.session.update < allowed && performance.now() < deadline) {
      const count = Math.max(1, Math.min(r.chunk, allowed - r.ed.session.update));
      const t0 = performance.now();
      if (r.ed.session.step(count).length > 0) evaluated = true;
      if (r.bp && !r.bp.session.done && r.bp.session.step(count).length > 0) evaluated = true;
      const ms = performance.now() - t0;
      if (count === r.chunk) r.chunk = ms < CHUNK_MS / 2 ? r.chunk * 2 : ms > CHUNK_MS && r.chunk > 1 ? r.chunk >> 1 : r.chunk;
    }
    if (r.ed.session.done) {
      // The run is over: read the test split once, at the validation-selected point and at the final weights.
      for (const t of [r.ed, r.bp]) if (t && !t.result) t.result = t.session.finish();
      evaluated = true;
    }
    if (evaluated) postProgress(r);
    if (r.ed.session.done) setRunning(false);
    else {
      sliceQueued = true;
      // Paced and ahead of time: wait out the rest of the slice instead of spinning.
      setTimeout(slice, r.ed.session.update >= allowed ? Math.max(0, deadline - performance.now()) : 0);
    }
  } catch (err) {
    setRunning(false);
    fail(err, 'train');
  }
}

function postProgress(r: Run): void {
  const count = r.task.train.count;
  const progress = (t: Trained): Progress => {
    const s = t.session;
    const last = s.history[s.history.length - 1];
    const points = s.history.slice(t.sent).map((e) => ({ update: e.update, valAccuracy: e.valAccuracy }));
    t.sent = s.history.length;
    return {
      update: s.update, totalUpdates: s.totalUpdates, epoch: s.samples / count, valAccuracy: last.valAccuracy,
      bestAccuracy: last.bestValAccuracy, bestUpdate: last.bestUpdate,
      samplesPerSecond: s.trainSeconds > 0 ? s.samples / s.trainSeconds : 0, points,
      test: t.result && { selectedUpdate: t.result.selected.update, atSelected: t.result.selected.testAccuracy, atFinal: t.result.final.testAccuracy },
    };
  };
  post({ type: 'progress', ed: progress(r.ed), bp: r.bp ? progress(r.bp) : null });
}

/** The ED network whose weights are drawn: a loaded ED model, else the one in training. */
function weightsRule(): { rule: EdClassifier; from: 'training' | 'file' } | null {
  const file = edClassifierOf(loaded?.rule);
  if (file) return { rule: file, from: 'file' };
  const training = edClassifierOf(run?.ed.rule);
  return training ? { rule: training, from: 'training' } : null;
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
  if (rule.networks === 1) {
    const [a = '0', b = '1'] = classNames;
    return [`${a} vs ${b} (output: P(${b}))`];
  }
  return Array.from({ length: rule.networks }, (_, k) => classNames[k] ?? String(k));
}

/** Effective input weights (W⁺ + W⁻) of hidden unit `unit` of network `net`, as the rule gives them. */
function sendWeights(net: number, unit: number): void {
  const w = weightsRule();
  if (!w) return;
  const { rule } = w;
  const shape = rule.shapes[0];
  const k = Math.min(Math.max(0, Math.trunc(net)), rule.networks - 1);
  const u = Math.min(Math.max(0, Math.trunc(unit)), shape.out - 1);
  const values = rule.unitInputWeights(k, u);
  post({ type: 'weights', net: k, unit: u, unitType: u < shape.outExc ? 'excitatory' : 'inhibitory',
    side: Math.round(Math.sqrt(rule.inputs)), values }, [values.buffer]);
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

/** The model file of the run's ED (or backprop) rule, with the header the CLI writes (modelHeader of its RunConfig). */
function saveModel(which: 'ed' | 'backprop'): { bytes: Uint8Array; fileName: string } {
  const r = run;
  if (!r) throw new UserError('download: there is no trained model yet — wait for the data to load');
  const t = which === 'ed' ? r.ed : r.bp;
  if (!t) throw new UserError('download: backprop is not being trained — tick "compare with backprop" and reset');
  const last = t.session.history[t.session.history.length - 1];
  const task = {
    name: r.task.name, inputs: r.task.inputs, classes: r.task.classes,
    train: r.task.train.count, validation: r.task.validation.count, test: r.task.test.count,
    dataset: r.task.source.dataset, fingerprint: r.task.source.fingerprint,
  };
  const header = modelHeader({ config: t.config, backend: r.backend.name, threads: t.config.threads, task },
    { finalValAccuracy: last.valAccuracy, bestValAccuracy: last.bestValAccuracy, bestUpdate: last.bestUpdate }, t.rule);
  return { bytes: encodeModel(header, t.rule.parameters()), fileName: modelFileName(t.config, r.task.classes) };
}

/** "edlearn-ed-4v9-seed1.edlearn", "edlearn-backprop-10class-seed7.edlearn": the two downloads never share a name. */
function modelFileName(config: RunConfig, classes: number): string {
  const task = config.task.kind === 'pair' ? config.task.digits.split(',').map((d) => d.trim()).join('v') : `${classes}class`;
  return `edlearn-${config.rule}-${task}-seed${config.seed}.edlearn`;
}

/**
 * The browser test's check that the page builds what Node builds: the run `settings` give, on a fresh backend
 * of the named kind, its weights' checksums before and after `updates` updates, with the inputs and configs
 * used (so Node can build the same).
 */
async function checksums(id: number, settings: Settings, kind: 'wasm-simd' | 'reference', updates: number): Promise<void> {
  if (!dataset) throw new UserError('checksum: the data has not loaded yet');
  const backend = kind === 'reference' ? referenceBackend : await simdBackend(pageUrl!);
  const r = buildLabRun(settings, dataset, backend);
  const trained = [r.ed, ...(r.bp ? [r.bp] : [])];
  const rules: Checksums[] = [];
  for (const t of trained) {
    const initial = await sha256(t.rule.parameters());
    t.session.step(updates);
    rules.push({ initial, trained: await sha256(t.rule.parameters()) });
  }
  post({ type: 'checksums', id, backend: backend.name, inputs: trained.map((t) => t.input), configs: trained.map((t) => t.config), rules });
}
