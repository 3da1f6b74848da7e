/**
 * The lab page: wires the form, the live numbers and chart, the weights view, the drawing pad and model files
 * to the training worker. The page never trains; it sends requests and shows answers. Every handler goes
 * through guard(), so a failure is a message in the error box of the panel it came from, never an uncaught
 * exception.
 */
import { type Series, LineChart } from './chart';
import { LabClient } from './client';
import { DrawingPad, showImage } from './draw';
import { type Checksums, type FromWorker, type Panel, type Prediction, type Progress, type Settings, type ViewInfo, WATCH_SECONDS } from './protocol';
import { buildForm, fillPreset, presetName, readSettings } from './settings';
import { drawWeights } from './weights-view';

declare global {
  interface Window {
    edlearnLab: {
      predict(images: number[][]): Promise<Prediction[]>;
      state(): { valAccuracy: number; updates: number; samplesPerSecond: number; backend: string; settings: Settings; modelLoaded: boolean; dataReady: boolean };
      /** The run the form describes, built on `backend`: weight checksums before and after `updates` updates. */
      checksum(backend: 'wasm-simd' | 'reference', updates: number): Promise<{ backend: string; inputs: unknown[]; configs: unknown[]; rules: Checksums[] }>;
    };
  }
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: element #${id} is missing`);
  return el as T;
};

/** Each panel has its own error box, next to the controls that failed, where the user is looking. */
const errorBox = (panel: Panel) => $(`${panel}-error`);
function showError(err: unknown, panel: Panel = 'train'): void {
  const box = errorBox(panel);
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
  // The Data panel folds away: unfold it, or its message would not be seen.
  box.closest('details')?.setAttribute('open', '');
}
function clearError(panel: Panel): void {
  errorBox(panel).textContent = '';
  errorBox(panel).hidden = true;
}
/** Runs a handler (sync or async) and shows whatever it throws in `panel`'s box. */
function guard(panel: Panel, fn: () => unknown | Promise<unknown>): void {
  try {
    Promise.resolve(fn()).catch((err: unknown) => showError(err, panel));
  } catch (err) {
    showError(err, panel);
  }
}
window.addEventListener('error', (e) => {
  e.preventDefault();
  showError(e.error ?? e.message);
});
window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  showError(e.reason);
});

// What the page knows of the worker's state.
const lab = {
  backend: '',
  ed: null as Progress | null,
  totalUpdates: 0,
  epochs: 0,
  running: false,
  done: false,
  view: null as ViewInfo | null,
  series: { ed: [] as Series['points'], bp: [] as Series['points'] },
  compareBp: false,
  dataReady: false,
  /** Classes of the loaded data, which the digits must name. */
  classes: 10,
};

const chart = new LineChart($<HTMLCanvasElement>('chart'));
const client = new LabClient(onMessage, (message) => showError(message));
const pad = new DrawingPad($<HTMLCanvasElement>('draw-canvas'), () => refreshSoon());

function onMessage(msg: FromWorker): void {
  switch (msg.type) {
    case 'backend':
      lab.backend = msg.name;
      $('backend').textContent = msg.reason ? `${msg.name} (fallback: ${msg.reason})` : msg.name;
      $('backend').classList.toggle('fallback', msg.reason !== undefined);
      return;
    case 'data':
      lab.dataReady = true;
      lab.classes = msg.classes;
      $('data-status').textContent = `${msg.name}: ${msg.train.toLocaleString('en')} training / ${msg.test.toLocaleString('en')} test images, ${msg.side}×${msg.side}, ${msg.classes} classes`;
      return showState();
    case 'run':
      // A new run: nothing of the previous one (its progress, "finished") may show.
      lab.totalUpdates = msg.totalUpdates;
      lab.epochs = msg.epochs;
      lab.compareBp = msg.compareBp;
      lab.series = { ed: [], bp: [] };
      lab.ed = null;
      lab.done = false;
      $('total-updates').textContent = String(msg.totalUpdates);
      $('run-task').textContent = msg.task;
      $('run-length').textContent = `${msg.epochs} epochs over ${n(msg.train)} training images, evaluated every ${msg.evalEvery} updates `
        + `on ${n(msg.validation)} validation images held out of them`;
      $('bp-stats').hidden = !msg.compareBp;
      $('download-bp-model').hidden = !msg.compareBp;
      return;
    case 'progress':
      return showProgress(msg.ed, msg.bp);
    case 'state':
      lab.running = msg.running;
      lab.done = msg.done;
      return showState();
    case 'view':
      return showView(msg.view);
    case 'weights': {
      const max = drawWeights($<HTMLCanvasElement>('unit-weights'), msg.values, msg.side);
      $('unit-info').textContent = `unit ${msg.unit} (${msg.unitType}) · largest |w| ${max.toPrecision(3)}`;
      return;
    }
    case 'error':
      return showError(msg.message, msg.panel);
    default:
      // Answers to requests are resolved by the client; anything else here is stale.
      return;
  }
}

const pct = (v: number) => (100 * v).toFixed(2);
const n = (v: number) => v.toLocaleString('en');

function showProgress(ed: Progress, bp: Progress | null): void {
  lab.ed = ed;
  lab.series.ed.push(...ed.points.map((p) => ({ x: p.update, y: p.valAccuracy })));
  $('val-accuracy').textContent = pct(ed.valAccuracy);
  $('best-accuracy').textContent = pct(ed.bestAccuracy);
  $('best-update').textContent = String(ed.bestUpdate);
  $('updates').textContent = String(ed.update);
  $('epoch').textContent = ed.epoch.toFixed(2);
  $('samples-per-second').textContent = String(Math.round(ed.samplesPerSecond));
  if (bp) {
    lab.series.bp.push(...bp.points.map((p) => ({ x: p.update, y: p.valAccuracy })));
    $('bp-val-accuracy').textContent = pct(bp.valAccuracy);
    $('bp-best-accuracy').textContent = pct(bp.bestAccuracy);
  }
  drawChart();
  showState();
  refreshSoon();
}

function drawChart(): void {
  const series: Series[] = [{ name: 'ED', color: '#c0392b', points: lab.series.ed }];
  if (lab.compareBp) series.push({ name: 'backprop (Adam)', color: '#2471a3', points: lab.series.bp });
  chart.draw(series, lab.totalUpdates);
}

function showState(): void {
  $<HTMLButtonElement>('start').disabled = lab.running;
  $<HTMLButtonElement>('pause').disabled = !lab.running;
  const ed = lab.ed;
  let text: string;
  if (!lab.dataReady) text = 'loading data…';
  else if (!ed) text = 'ready';
  else if (lab.running) text = `training — epoch ${ed.epoch.toFixed(2)} of ${lab.epochs}`;
  else if (lab.done) {
    const test = ed.test ? `; test accuracy (read once, now) ${pct(ed.test.atSelected)} % at that update, ${pct(ed.test.atFinal)} % at the final weights` : '';
    text = `finished ${ed.epoch.toFixed(0)} epochs — best validation ${pct(ed.bestAccuracy)} % at update ${ed.bestUpdate}${test}; start repeats this run, change the seed for another`;
  }
  else if (ed.update > 0) text = `paused at update ${ed.update} — start resumes`;
  else text = 'ready — press start';
  $('status').textContent = text;
}

/** Rebuilds the network-view selects for the shown ED rule, keeping the chosen unit and network when they exist. */
function showView(view: ViewInfo): void {
  const wasFile = lab.view?.predictFrom === 'file';
  lab.view = view;
  if (wasFile && view.predictFrom === 'training') {
    $('model-status').textContent = 'no model file in use: the drawing is scored by the model in training';
  }
  const w = view.weights;
  $('weights-panel').hidden = w === null;
  if (w) {
    const netSelect = $<HTMLSelectElement>('net');
    const unitSelect = $<HTMLSelectElement>('unit');
    const net = Math.min(Number(netSelect.value) || 0, w.networkNames.length - 1);
    const unit = Math.min(Number(unitSelect.value) || 0, w.units - 1);
    netSelect.replaceChildren(...w.networkNames.map((name, k) => new Option(`network ${k}: ${name}`, String(k))));
    netSelect.value = String(net);
    $('net-row').hidden = w.networkNames.length === 1;
    unitSelect.replaceChildren(...Array.from({ length: w.units }, (_, u) =>
      new Option(`${u} (${u < w.outExc ? 'excitatory' : 'inhibitory'})`, String(u))));
    unitSelect.value = String(unit);
    $('weights-source').textContent = w.from === 'file' ? 'loaded model file' : 'model in training';
  }
  refreshSoon();
}

function requestWeights(): void {
  if (!lab.view?.weights) return;
  client.send({ type: 'weights', net: Number($<HTMLSelectElement>('net').value) || 0, unit: Number($<HTMLSelectElement>('unit').value) || 0 });
}

// Weights and drawing scores follow the model; refresh them at most once per frame.
let refreshQueued = false;
function refreshSoon(): void {
  if (refreshQueued) return;
  refreshQueued = true;
  requestAnimationFrame(() => {
    refreshQueued = false;
    guard('draw', () => {
      requestWeights();
      scoreDrawing();
    });
  });
}

// One prediction in flight at a time; a change meanwhile asks for one more when it returns.
let scoring = false;
let rescore = false;
function scoreDrawing(): void {
  const image = pad.image();
  showImage($<HTMLCanvasElement>('draw-preview'), image);
  if (!image || !lab.view) return showScores(null);
  if (scoring) {
    rescore = true;
    return;
  }
  scoring = true;
  client.request('predictions', (id) => ({ type: 'predict', id, images: [image] }))
    .then((answer) => showScores(pad.image() ? answer.results[0] : null))
    .catch((err: unknown) => showError(err, 'draw'))
    .finally(() => {
      scoring = false;
      if (rescore) {
        rescore = false;
        scoreDrawing();
      }
    });
}

/**
 * One row per class, also before anything is drawn ("–"): the list keeps its height when scores arrive, so the
 * page does not move under the pen.
 */
function showScores(result: Prediction | null): void {
  const names = lab.view?.classNames ?? [];
  $('scores').replaceChildren(...names.map((name, k) => {
    const li = document.createElement('li');
    li.dataset.class = name;
    const score = result?.scores[k];
    li.textContent = score === undefined ? '–' : score.toFixed(3);
    li.style.setProperty('--score', String(Math.min(1, Math.max(0, score ?? 0))));
    if (result && k === result.predicted) li.classList.add('best');
    return li;
  }));
}

// Form.
$('pace').querySelector('option[value="watch"]')!.textContent = `watchable (a run lasts ≥ ${WATCH_SECONDS} s)`;
const settingsChanged = () => {
  if (lab.ed && lab.ed.update > 0) $('status').textContent = 'settings changed — reset (or start) to apply them';
};
$<HTMLSelectElement>('preset').addEventListener('change', () => guard('train', () => {
  fillPreset(presetName($<HTMLSelectElement>('preset').value));
}));
$<HTMLSelectElement>('task').addEventListener('change', () => {
  $<HTMLInputElement>('digits').disabled = $<HTMLSelectElement>('task').value === 'all';
});
// The pace changes how fast the run goes, not the run: no reset needed.
$('settings').addEventListener('change', (e) => {
  if ((e.target as HTMLElement).id !== 'pace') settingsChanged();
});

$('start').addEventListener('click', () => guard('train', () => {
  clearError('train');
  if (!lab.dataReady) throw new Error('The data has not loaded yet; wait for it or load the IDX files from disk.');
  client.send({ type: 'start', settings: readSettings(lab.classes) });
}));
$('pause').addEventListener('click', () => guard('train', () => client.send({ type: 'pause' })));
$('reset').addEventListener('click', () => guard('train', () => {
  clearError('train');
  client.send({ type: 'reset', settings: readSettings(lab.classes) });
}));

$('data-files').addEventListener('change', () => guard('data', async () => {
  const input = $<HTMLInputElement>('data-files');
  const files = Array.from(input.files ?? []);
  input.value = '';
  if (files.length === 0) return;
  clearError('data');
  const status = $('data-status');
  const before = status.textContent ?? '';
  status.textContent = `reading ${files.length} file(s)…`;
  try {
    await client.request('files-loaded', (id) => ({ type: 'load-files', id, files }));
  } catch (err) {
    status.textContent = `${before} (the chosen files were not used)`;
    throw err;
  }
}));

$('net').addEventListener('change', () => guard('train', requestWeights));
$('unit').addEventListener('change', () => guard('train', requestWeights));
$('clear').addEventListener('click', () => guard('draw', () => pad.clear()));

// Model files.
$('model-file').addEventListener('change', () => guard('models', async () => {
  const input = $<HTMLInputElement>('model-file');
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  clearError('models');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { summary: s } = await client.request('model-loaded', (id) => ({ type: 'load-model', id, name: file.name, bytes }), [bytes.buffer]);
  const rule = s.rule === 'ed' ? `ED (${s.preset})` : 'backprop';
  $('model-status').textContent = `${s.name}: ${s.task} · ${rule} · accuracy final ${pct(s.accuracy.final)} %, best ${pct(s.accuracy.best)} % (update ${s.accuracy.bestUpdate}) — scoring the drawing`;
}));

async function download(rule: 'ed' | 'backprop'): Promise<void> {
  clearError('models');
  const { bytes, fileName } = await client.request('model-bytes', (id) => ({ type: 'save-model', id, rule }));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start reading the URL only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
$('download-model').addEventListener('click', () => guard('models', () => download('ed')));
$('download-bp-model').addEventListener('click', () => guard('models', () => download('backprop')));

// The test hook: the current model (the loaded file if any) on raw 28×28 images, and the live numbers.
window.edlearnLab = {
  async predict(images: number[][]): Promise<Prediction[]> {
    if (!Array.isArray(images) || images.some((img) => !Array.isArray(img) && !ArrayBuffer.isView(img))) {
      throw new TypeError('edlearnLab.predict: expected an array of images, each 784 values 0…255');
    }
    const bytes = images.map((img) => Uint8Array.from(img, (v) => Math.min(255, Math.max(0, Math.round(Number(v) || 0)))));
    const { results } = await client.request('predictions', (id) => ({ type: 'predict', id, images: bytes }));
    return results;
  },
  async checksum(backend, updates) {
    const settings = readSettings(lab.classes);
    const { type: _type, id: _id, ...answer } = await client.request('checksums', (id) => ({ type: 'checksum', id, settings, backend, updates }));
    return answer;
  },
  state() {
    return {
      valAccuracy: lab.ed?.valAccuracy ?? 0,
      updates: lab.ed?.update ?? 0,
      samplesPerSecond: lab.ed?.samplesPerSecond ?? 0,
      backend: lab.backend,
      settings: readSettings(lab.classes),
      modelLoaded: lab.view?.predictFrom === 'file',
      dataReady: lab.dataReady,
    };
  },
};

guard('train', () => {
  buildForm($('number-fields'));
  $<HTMLInputElement>('digits').disabled = $<HTMLSelectElement>('task').value === 'all';
  showState();
  drawChart();
  showImage($<HTMLCanvasElement>('draw-preview'), null);
  let settings = null;
  try {
    settings = readSettings();
  } catch (err) {
    showError(err); // the data still loads; the run is built at the first valid reset or start
  }
  client.send({ type: 'init', pageUrl: location.href, settings });
});
window.addEventListener('resize', () => guard('train', drawChart));
