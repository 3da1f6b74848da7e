/**
 * The lab page: wires the form, the live numbers and chart, the weights view, the drawing pad and model files
 * to the training worker. The page never trains; it sends requests and shows answers. Every handler goes
 * through guard(), so a failure is a message in the error box of the panel it came from, never an uncaught
 * exception. A change that needs a new model never throws a run away: start asks first, and the old run stays
 * on the chart as a grey curve.
 */
import { LabClient } from './client';
import type { FromWorker, Settings } from './protocol';
import { modelKey, WATCH_SECONDS } from './protocol';
import { $, clearError, guard, n, showError } from './page/dom';
import { refreshSoon, showFields, showView, showWeights, startDrawing } from './page/draw-view';
import { startModelFiles } from './page/model-files';
import { lab } from './page/state';
import { drawChart, newRun, runUnderWay, showProgress, showState, startChartReadout } from './page/train-view';
import { isPointTask } from './points';
import { drawField, setPoints, showPointsPanel } from './page/points-view';
import { showInspection } from './page/inspect-view';
import { clearStep, drawNetwork, showStep } from './page/network-view';
import {
  applyQuery,
  buildForm,
  checkForm,
  describePreset,
  fillPointDefaults,
  fillPreset,
  presetName,
  readSettings,
  settingsToQuery,
  showTaskFields,
} from './settings';

export { lab };

/** Starts the page on `worker`; returns the client, for a dev entry's own requests. */
export function startLab(worker: Worker): LabClient {
  window.addEventListener('error', (e) => {
    e.preventDefault();
    showError(e.error ?? e.message);
  });
  window.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    showError(e.reason);
  });
  const client = new LabClient(worker, onMessage, (message) => showError(message));
  startDrawing(client);
  startModelFiles(client);
  wireForm(client);
  startChartReadout();
  guard('train', () => {
    buildForm($('number-fields'));
    showTaskFields();
    const linkNote = location.search ? applyQuery(location.search) : null;
    if (linkNote) showError(linkNote);
    showState();
    drawChart();
    let settings = null;
    try {
      settings = readSettings();
    } catch (err) {
      showError(err); // the data still loads; the run is built at the first valid reset or start
    }
    client.send({ type: 'init', pageUrl: location.href, settings });
  });
  window.addEventListener('resize', () => guard('train', drawChart));
  // The CartPole panel, its worker and kernels load on first use: when its section is opened.
  $('rl-details').addEventListener(
    'toggle',
    () => {
      if ($<HTMLDetailsElement>('rl-details').open) import('./cartpole-panel').catch((err: unknown) => showError(err));
    },
    { once: true },
  );
  return client;
}

function onMessage(msg: FromWorker): void {
  switch (msg.type) {
    case 'backend':
      lab.backend = msg.name;
      $('backend').textContent = msg.reason ? `${msg.name} (fallback: ${msg.reason})` : msg.name;
      $('backend').classList.toggle('fallback', msg.reason !== undefined);
      return;
    case 'data-progress': {
      const kb = (b: number) => `${n(b / 1024)} kB`;
      $('status').dataset.loading = `loading data… ${kb(msg.loaded)}${msg.total ? ` of ${kb(msg.total)}` : ''}`;
      const bar = $<HTMLProgressElement>('data-progress');
      bar.hidden = false;
      if (msg.total) {
        bar.max = msg.total;
        bar.value = msg.loaded;
      }
      return showState();
    }
    case 'data':
      lab.dataReady = true;
      lab.classes = msg.classes;
      $('data-progress').hidden = true;
      $('data-status').textContent =
        `${msg.name}: ${n(msg.train)} training / ${n(msg.test)} test ` +
        `images, ${msg.side}×${msg.side}, ${msg.classes} classes`;
      return showState();
    case 'building':
      lab.building = true;
      return showState();
    case 'run':
      lab.resets = Math.max(0, lab.resets - 1);
      // A new run: nothing of the previous one (its progress, "finished") may show; its curve becomes a ghost.
      newRun(msg.settings);
      lab.totalUpdates = msg.totalUpdates;
      lab.epochs = msg.epochs;
      lab.compareBp = msg.compareBp;
      $('rate-note').textContent = '';
      $('total-updates').textContent = n(msg.totalUpdates);
      $('run-task').textContent = msg.task;
      $('run-length').textContent =
        `${msg.epochs} epochs over ${n(msg.train)} training images, evaluated every ${msg.evalEvery} updates ` +
        `on ${n(msg.validation)} validation images held out of them` +
        (msg.ensemble > 1
          ? `; an ensemble: ${msg.ensemble} ED models (seeds ${msg.settings.seed} … ` +
            `${msg.settings.seed + msg.ensemble - 1}) one after another, each kept at its own best validation ` +
            'update, their class scores averaged'
          : '');
      $('bp-stats').hidden = !msg.compareBp;
      lab.points = isPointTask(msg.settings.task);
      showPointsPanel(lab.points, msg.compareBp);
      $('inspect-panel').hidden = true;
      clearStep();
      drawChart();
      return;
    case 'inspection':
      return showInspection(msg);
    case 'points':
      return setPoints(msg);
    case 'field':
      drawField('points-ed-canvas', msg.side, msg.ed);
      if (msg.bp) drawField('points-bp-canvas', msg.side, msg.bp);
      return;
    case 'progress':
      showProgress(msg.ed, msg.bp);
      return refreshSoon();
    case 'lr':
      if (lab.runSettings) lab.runSettings = { ...lab.runSettings, lr: msg.lr };
      $('rate-note').textContent =
        `α ${msg.from} → ${msg.lr}: applied live from update ${n(msg.update)} on (the run goes on; a download ` +
        `records the change).`;
      return showState();
    case 'state':
      if (msg.running) clearStep();
      lab.running = msg.running;
      lab.done = msg.done;
      return showState();
    case 'view':
      showView(msg.view);
      return showState();
    case 'weights':
      return showWeights(msg.values, msg.side, msg.unit, msg.unitType);
    case 'network':
      return drawNetwork(msg.drawing);
    case 'fields':
      return showFields(msg.values, msg.units, msg.outExc, msg.side);
    case 'stepped':
      return showStep(msg);
    case 'error':
      lab.building = false;
      if (msg.panel === 'train') lab.resets = 0;
      showError(msg.message, msg.panel);
      return showState();
    default:
      // Answers to requests are resolved by the client; anything else here is stale.
      return;
  }
}

function wireForm(client: LabClient): void {
  $('pace').querySelector('option[value="watch"]')!.textContent = `watchable (a run lasts ≥ ${WATCH_SECONDS} s)`;
  const form = $('settings');
  $<HTMLSelectElement>('preset').addEventListener('change', () =>
    guard('train', () => fillPreset(presetName($<HTMLSelectElement>('preset').value))),
  );
  // A 2-D dataset gets settings that learn it (from MNIST's, they would take minutes); back to MNIST, the preset's.
  let lastTask = $<HTMLSelectElement>('task').value;
  $<HTMLSelectElement>('task').addEventListener('change', () =>
    guard('train', () => {
      const task = $<HTMLSelectElement>('task').value;
      if (isPointTask(task) && !isPointTask(lastTask)) fillPointDefaults();
      else if (!isPointTask(task) && isPointTask(lastTask))
        fillPreset(presetName($<HTMLSelectElement>('preset').value));
      lastTask = task;
      showTaskFields();
    }),
  );
  // Every edit: mark invalid fields, keep the URL in step with a valid form, say whether a new run is needed.
  const edited = () =>
    guard('train', () => {
      describePreset();
      const problem = checkForm(lab.classes);
      if (problem) return showError(problem);
      clearError('train');
      history.replaceState(null, '', `?${settingsToQuery(readSettings(lab.classes))}`);
      showState();
    });
  form.addEventListener('input', edited);
  form.addEventListener('change', edited);
  // α applies live to the run under way (worker/live-rate.ts), once a valid value is committed.
  $('number-fields').addEventListener('change', (e) =>
    guard('train', () => {
      if ((e.target as HTMLElement).id !== 'lr' || !lab.runSettings || lab.done || checkForm(lab.classes)) return;
      const { lr } = readSettings(lab.classes);
      if (lr !== lab.runSettings.lr) client.send({ type: 'lr', lr });
    }),
  );
  // The pace applies at once to the run under way: it changes how fast it goes, not what it learns.
  $('pace').addEventListener('change', () =>
    client.send({ type: 'pace', pace: $<HTMLSelectElement>('pace').value === 'full' ? 'full' : 'watch' }),
  );

  const send = (settings: Settings) => {
    $('ask').hidden = true;
    client.send({ type: 'start', settings });
  };
  $('start').addEventListener('click', () =>
    guard('train', () => {
      clearError('train');
      const settings = readSettings(lab.classes);
      if (!lab.dataReady && !isPointTask(settings.task))
        throw new Error('The data has not loaded yet; wait for it or load the IDX files from disk.');
      const run = lab.runSettings;
      // A run under way is never thrown away silently: other model settings need a yes first.
      if (run && lab.resets === 0 && runUnderWay() && modelKey(settings) !== modelKey(run)) {
        $('ask').hidden = false;
        $('ask-new').focus();
        return;
      }
      send(settings);
    }),
  );
  $('ask-new').addEventListener('click', () => guard('train', () => send(readSettings(lab.classes))));
  $('ask-keep').addEventListener('click', () =>
    guard('train', () => {
      const run = lab.runSettings!;
      applyQuery(settingsToQuery(run));
      history.replaceState(null, '', `?${settingsToQuery(run)}`);
      send({ ...run, pace: readSettings(lab.classes).pace });
    }),
  );
  $('pause').addEventListener('click', () => guard('train', () => client.send({ type: 'pause' })));
  $('step').addEventListener('click', () =>
    guard('train', () => client.send({ type: 'step', net: Number($<HTMLSelectElement>('net').value) || 0 })),
  );
  $('reset').addEventListener('click', () =>
    guard('train', () => {
      clearError('train');
      $('ask').hidden = true;
      const settings = readSettings(lab.classes);
      // Until the worker announces the new run, a start must not ask about the old one.
      lab.resets++;
      client.send({ type: 'reset', settings });
    }),
  );
  $('copy-link').addEventListener('click', () =>
    guard('train', async () => {
      const url = new URL(location.href);
      url.search = settingsToQuery(readSettings(lab.classes));
      history.replaceState(null, '', url.search);
      try {
        await navigator.clipboard.writeText(url.href);
        $('link-note').textContent = 'link copied';
      } catch {
        $('link-note').textContent = `copy this link: ${url.href}`;
      }
    }),
  );

  $('data-files').addEventListener('change', () =>
    guard('data', async () => {
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
    }),
  );
}
