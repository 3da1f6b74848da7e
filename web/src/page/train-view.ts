/**
 * The Train panel's read-outs: status, stats, the chart (ED's validation and training accuracy, backprop's, a
 * marker at the selected update, and earlier runs of the session as ghost curves), the download buttons, and the
 * note that the form no longer describes the run under way.
 */
import { type Series, LineChart } from '../chart';
import { modelKey, type Progress, type Settings } from '../protocol';
import { readSettings } from '../settings';
import { $, n, pct } from './dom';
import { BLUE, GHOST, RED } from '../palette';
import { type Ghost, lab } from './state';

const MAX_GHOSTS = 4;
let chart: LineChart | null = null;

/** The form's settings when they are valid, else null. */
function formSettings(): Settings | null {
  try {
    return readSettings(lab.classes);
  } catch {
    return null;
  }
}

/** How the valid form differs from the run under way in what shapes the model ("units 64 → 32"), or '' if not. */
export function formChanges(): string {
  const form = formSettings();
  const run = lab.runSettings;
  if (!form || !run || modelKey(form) === modelKey(run)) return '';
  const keys = Object.keys(form) as (keyof Settings)[];
  return keys
    .filter((k) => k !== 'pace' && k !== 'lr' && form[k] !== run[k] && !(k === 'digits' && form.task === 'all'))
    .map((k) => `${k} ${String(run[k])} → ${String(form[k])}`)
    .join(', ');
}

/** A run with progress worth keeping: something was trained and it is not over. */
export const runUnderWay = () => (lab.ed?.update ?? 0) > 0 && !lab.done;

/** Called when the worker announces a new run: the old curve, if it has one, becomes a ghost. */
export function newRun(settings: Settings): void {
  const prev = lab.runSettings;
  if (prev && lab.series.ed.length > 1 && lab.ed) {
    const ghost: Ghost = {
      label: `seed ${prev.seed}, ${prev.preset}, ${prev.units}u: best ${pct(lab.ed.bestAccuracy)} %`,
      points: lab.series.ed,
    };
    lab.ghosts = [...lab.ghosts, ghost].slice(-MAX_GHOSTS);
  }
  lab.runSettings = settings;
  lab.series = { ed: [], edTrain: [], bp: [] };
  lab.ed = null;
  lab.bp = null;
  lab.done = false;
  lab.building = false;
}

export function showProgress(ed: Progress, bp: Progress | null): void {
  lab.ed = ed;
  lab.bp = bp;
  lab.series.ed.push(...ed.points.map((p) => ({ x: p.update, y: p.valAccuracy })));
  // The first evaluation (update 0) has no training samples behind it.
  lab.series.edTrain.push(...ed.points.filter((p) => p.update > 0).map((p) => ({ x: p.update, y: p.trainAccuracy })));
  $('val-accuracy').textContent = pct(ed.valAccuracy);
  $('best-accuracy').textContent = pct(ed.bestAccuracy);
  $('best-update').textContent = n(ed.bestUpdate);
  $('updates').textContent = n(ed.update);
  $('epoch').textContent = ed.epoch.toFixed(2);
  $('samples-per-second').textContent = n(ed.samplesPerSecond);
  const ens = ed.ensemble?.result;
  $('test-accuracy').textContent = ens ? pct(ens.test) : ed.test ? pct(ed.test.atSelected) : '–';
  $('test-final').textContent = ens
    ? `the ensemble of ${ens.members.length}`
    : ed.test
      ? `final weights ${pct(ed.test.atFinal)} %`
      : 'read once, when the run ends';
  $('ensemble-result').textContent = ens
    ? `Ensemble of ${ens.members.length} (class scores averaged): validation ${pct(ens.validation)} %, test ` +
      `${pct(ens.test)} %. Members, each at its own selected update: ` +
      ens.members
        .map(
          (m) =>
            `seed ${m.seed} ${pct(m.validation)} % validation, ${pct(m.test)} % test (update ${n(m.selectedUpdate)})`,
        )
        .join('; ') +
      '.'
    : '';
  if (bp) {
    lab.series.bp.push(...bp.points.map((p) => ({ x: p.update, y: p.valAccuracy })));
    $('bp-val-accuracy').textContent = pct(bp.valAccuracy);
    $('bp-best-accuracy').textContent = pct(bp.bestAccuracy);
  }
  // A 2-D run says what ED reached on its dataset when it ends (the Done-when asks it of spiral).
  const run = lab.runSettings;
  $('points-result').textContent =
    lab.points && run && ed.test
      ? `${run.task}: ED reached ${pct(ed.bestAccuracy)} % validation (best, at update ${n(ed.bestUpdate)}; ` +
        `${pct(ed.test.atSelected)} % on the test points there)` +
        (bp?.test ? `; backprop ${pct(bp.bestAccuracy)} % validation, ${pct(bp.test.atSelected)} % test.` : '.')
      : '';
  if (ed.points.length > 0 || ed.test) drawChart();
  showState();
}

export function drawChart(): void {
  chart ??= new LineChart($<HTMLCanvasElement>('chart'));
  const series: Series[] = lab.ghosts.map((g) => ({
    name: g.label,
    color: GHOST,
    points: g.points,
    dash: [4, 3],
    width: 1,
  }));
  series.push({ name: 'ED validation', color: RED, points: lab.series.ed });
  series.push({ name: 'ED training', color: RED, points: lab.series.edTrain, dash: [2, 2], width: 1 });
  if (lab.compareBp) series.push({ name: 'backprop (Adam) validation', color: BLUE, points: lab.series.bp });
  const ed = lab.ed;
  const marker = ed && ed.update > 0 ? { x: ed.bestUpdate, label: `selected: update ${n(ed.bestUpdate)}` } : undefined;
  chart.draw(series, lab.totalUpdates, marker);
  $('chart').setAttribute(
    'aria-label',
    ed
      ? `Chart of validation accuracy against updates: ED at ${pct(ed.valAccuracy)} % after ${n(ed.update)} ` +
          `of ${n(lab.totalUpdates)} updates, best ${pct(ed.bestAccuracy)} % at ` +
          `update ${n(ed.bestUpdate)}${lab.ghosts.length ? `; ${lab.ghosts.length} earlier run(s) in grey` : ''}`
      : 'Chart of validation accuracy against updates: no run yet',
  );
}

export function showState(): void {
  const start = $<HTMLButtonElement>('start');
  const pause = $<HTMLButtonElement>('pause');
  // Keep the keyboard focus on the pair: the button being disabled hands it to the other one.
  const focused = document.activeElement;
  start.disabled = lab.running || (!lab.dataReady && !lab.points);
  pause.disabled = !lab.running;
  if (focused === start && start.disabled) pause.focus();
  else if (focused === pause && pause.disabled) start.focus();
  $<HTMLButtonElement>('step').disabled = lab.running || !lab.ed || lab.done;
  const ed = lab.ed;
  let text: string;
  if (!lab.dataReady && !lab.points) text = $('status').dataset.loading ?? 'loading data…';
  else if (lab.building) text = 'building the model…';
  else if (!ed) text = 'ready';
  else if (lab.running)
    text =
      `training — ${ed.ensemble ? `member ${ed.ensemble.member} of ${ed.ensemble.size}, ` : ''}epoch ` +
      `${ed.epoch.toFixed(2)} of ${lab.epochs}`;
  else if (lab.done && ed.ensemble?.result)
    text =
      `finished: the ensemble of ${ed.ensemble.size} scores ${pct(ed.ensemble.result.validation)} % on ` +
      `validation; test accuracy below (read once, now)`;
  else if (lab.done)
    text =
      `finished: best validation ${pct(ed.bestAccuracy)} % at update ${n(ed.bestUpdate)}; test accuracy ` +
      `below (read once, now)`;
  else if (ed.update > 0) text = `paused at update ${n(ed.update)} — start resumes`;
  else text = 'ready — press start';
  $('status').textContent = text;
  const changes = formChanges();
  $('pending').textContent =
    changes && ed && ed.update > 0
      ? `The form differs from this run ` +
        `(${changes}). ${lab.done ? 'Start begins a new run' : 'Start asks before it begins a new run'}; this one is ` +
        `kept as a grey curve.`
      : '';
  showDownloads();
}

/** Downloads are enabled once something was trained, and say which weights they save. */
function showDownloads(): void {
  const label = (name: string, p: Progress | null) =>
    p && p.update > 0
      ? `download ${name} model (selected: update ${n(p.bestUpdate)}, ${pct(p.bestAccuracy)} % validation)`
      : `download ${name} model (nothing trained yet)`;
  const ed = $<HTMLButtonElement>('download-model');
  const ensemble = lab.ed?.ensemble;
  // An ensemble's file is made once its last member has ended.
  ed.textContent = ensemble
    ? ensemble.result
      ? `download ED ensemble (${ensemble.size} models, each at its selected update)`
      : `download ED ensemble (after member ${ensemble.size} of ${ensemble.size} ends)`
    : label('ED', lab.ed);
  ed.disabled = !lab.ed || lab.ed.update === 0 || (ensemble !== undefined && !ensemble.result);
  const bp = $<HTMLButtonElement>('download-bp-model');
  bp.hidden = !lab.compareBp;
  bp.textContent = label('backprop', lab.bp);
  bp.disabled = !lab.bp || lab.bp.update === 0;
  $('download-note').textContent =
    lab.view?.predictFrom === 'file'
      ? 'The downloads save the run in training, not the loaded file that scores the drawing.'
      : '';
}

/** Hover read-outs: the evaluation nearest the pointer, every line's value there. */
export function startChartReadout(): void {
  const canvas = $<HTMLCanvasElement>('chart');
  canvas.addEventListener('pointermove', (e) => {
    chart ??= new LineChart(canvas);
    const at = chart.updateAt(e.clientX);
    const points = lab.series.ed;
    if (at === null || points.length === 0) return;
    const near = points.reduce((a, b) => (Math.abs(b.x - at) < Math.abs(a.x - at) ? b : a));
    const value = (s: Series['points']) => s.find((p) => p.x === near.x);
    const train = value(lab.series.edTrain);
    const bp = value(lab.series.bp);
    $('chart-readout').textContent =
      `update ${n(near.x)}: ED validation ${pct(near.y)} %` +
      (train ? `, training ${pct(train.y)} %` : '') +
      (bp ? `; backprop validation ${pct(bp.y)} %` : '');
  });
  canvas.addEventListener('pointerleave', () => {
    $('chart-readout').textContent = '';
  });
}
