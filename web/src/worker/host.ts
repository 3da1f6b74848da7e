/**
 * The training worker's message loop: owns the backend, the data, the run in training (runs.ts) and any loaded
 * model (models.ts). Every failure becomes an 'error' message naming the panel it belongs to; nothing is thrown
 * to the page. A dev entry (dev/worker.ts) adds its own requests through `extra`.
 */
import {
  type BrowserBackendChoice,
  type Dataset,
  loadBrowserBackend,
  referenceBackend,
  UserError,
} from 'edlearn/browser';
import { datasetFromFiles, fetchDataset } from '../data';
import { isPointTask } from '../points';
import { Predictor } from '../predictor';
import type { Panel, ToWorker } from '../protocol';
import { loadModelFile, saveModel } from './models';
import { advance, postProgress, rebuild, setPace, setRate, setRunning, start } from './runs';
import { fail, post, scope, state } from './state';
import { sendNetwork } from './network';
import { familyChangeBy } from './families';
import { sendFields, sendWeights, weightsRule } from './views';

/** Which panel a failed request came from. */
const PANEL_OF: Record<ToWorker['type'], Panel> = {
  init: 'data',
  'load-files': 'data',
  reset: 'train',
  start: 'train',
  pause: 'train',
  pace: 'train',
  lr: 'train',
  step: 'train',
  weights: 'train',
  fields: 'train',
  predict: 'draw',
  'load-model': 'models',
  'save-model': 'models',
};

/** A request the core does not know, handled by a dev entry; it resolves false if it is not one of its own either. */
export type ExtraHandler = (msg: { type: string; id?: number }) => Promise<boolean>;

let ready: Promise<void> | null = null;

export function serveLab(extra: ExtraHandler = async () => false): void {
  scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
    const msg = event.data;
    const panel = PANEL_OF[msg.type] ?? 'train';
    handle(msg, extra).catch((err: unknown) => fail(err, panel, 'id' in msg ? msg.id : undefined));
  });
  scope.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    fail(event.reason, 'train');
  });
}

async function handle(msg: ToWorker, extra: ExtraHandler): Promise<void> {
  if (msg.type === 'init') {
    state.latest = msg.settings;
    state.pageUrl = new URL(msg.pageUrl);
    ready = init(state.pageUrl);
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
      state.latest = msg.settings;
      if (state.dataset || isPointTask(msg.settings.task)) rebuild(msg.settings);
      return;
    case 'start':
      return start(msg.settings);
    case 'pause':
      setRunning(false);
      return;
    case 'pace':
      setPace(msg.pace);
      return;
    case 'lr':
      return setRate(msg.lr);
    case 'step':
      return step(msg.net);
    case 'fields':
      sendNetwork(msg.net);
      return sendFields(msg.net);
    case 'weights':
      return sendWeights(msg.net, msg.unit);
    case 'predict': {
      // A finished ensemble run scores with its members' averaged scores, as its file does.
      const rule = state.loaded?.rule ?? state.run?.ensemble?.rule ?? state.run?.ed.rule;
      if (!rule) throw new UserError('predict: no model yet — wait for the data to load, or load a model file');
      post({ type: 'predictions', id: msg.id, results: Predictor.for(rule).predict(msg.images) });
      return;
    }
    case 'load-model':
      return loadModelFile(msg.id, msg.name, msg.bytes);
    case 'save-model': {
      const { bytes, fileName, update } = saveModel(msg.rule);
      const copy = bytes.slice(); // a copy typed as owning a plain ArrayBuffer, to transfer
      post({ type: 'model-bytes', id: msg.id, bytes: copy, fileName, update }, [copy.buffer]);
      return;
    }
    default:
      if (!(await extra(msg))) throw new Error(`worker: unknown request '${(msg as { type: string }).type}'`);
  }
}

/**
 * One update of a paused run (ED and backprop alike), then which synapse family of the shown ED network it
 * changed and the sample's error there, the progress and the view.
 */
function step(net: number): void {
  const r = state.run;
  if (!r || r.ed.session.done) throw new UserError('step: the run has ended — start a new run first');
  setRunning(false);
  const learn = () => {
    const before = r.ed.session.samples;
    advance(r, 1);
    return r.ed.session.samples - before;
  };
  const w = weightsRule();
  if (w?.from === 'training') {
    const change = familyChangeBy(w.rule, net, learn);
    post({ type: 'stepped', update: r.ed.session.update, ...change });
  } else learn();
  postProgress(r);
  setRunning(false);
}

async function init(pageUrl: URL): Promise<void> {
  let choice: BrowserBackendChoice;
  try {
    choice = await loadBrowserBackend(new URL('wasm/', pageUrl));
  } catch (err) {
    choice = {
      backend: referenceBackend,
      reason: `loading the WebAssembly kernels failed (${(err as Error).message})`,
    };
  }
  state.template = choice.backend;
  post({ type: 'backend', name: choice.backend.name, reason: choice.reason });
  // A 2-D dataset needs no download: its run is built at once.
  if (state.latest && isPointTask(state.latest.task)) {
    try {
      rebuild(state.latest);
    } catch (err) {
      fail(err, 'train');
    }
  }
  // The data loads after `ready` resolves, so that other messages are answered meanwhile.
  void fetchDataset(new URL('data/', pageUrl), (loaded, total) => post({ type: 'data-progress', loaded, total }))
    .then((ds) => useDataset(ds, 'mnist'))
    .catch((err: unknown) => fail(err, 'data'));
}

/**
 * Replaces the data (called only once it has loaded and checked out) and builds a new run on it. If the settings
 * do not fit the new data (a digit it lacks), that is shown and the previous run stays until the next reset; the
 * data is in use either way.
 */
function useDataset(ds: Dataset, source: string): void {
  state.dataset = ds;
  state.dataSource = source;
  post({ type: 'data', name: ds.name, train: ds.train.count, test: ds.test.count, classes: ds.classes, side: ds.rows });
  try {
    // A 2-D run under way is not replaced by the MNIST data arriving.
    if (state.latest && !(isPointTask(state.latest.task) && state.run)) rebuild(state.latest);
  } catch (err) {
    fail(err, 'train');
  }
}
