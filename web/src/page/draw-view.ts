/**
 * The Network and Draw panels: the ED network's selects and one unit's input weights, and the drawing's scores
 * (from the model in training or a loaded file), refreshed at most once per frame.
 */
import type { LabClient } from '../client';
import { DrawingPad, showImage } from '../draw';
import type { Prediction, ViewInfo } from '../protocol';
import { drawWeights } from '../weights-view';
import { $, guard, showError } from './dom';
import { setAmine, stepAmineShown } from './network-view';
import { lab } from './state';

let client: LabClient;
let pad: DrawingPad;
/** A validation digit clicked in the Validation panel: scored instead of the drawing until the pad is used. */
let chosen: { image: Uint8Array; label: string; cls: number } | null = null;
/** Counts the user's picks (a digit chosen, a stroke, a class said); a step's amine stays until the next pick. */
let picks = 0;
let picksShown = 0;

/** Scores a validation digit of class index `cls` instead of the drawing; its amine is drawn on the network. */
export function scoreChosen(image: Uint8Array, label: string, cls: number): void {
  chosen = { image, label, cls };
  picks++;
  $('draw-source').textContent = `scoring ${label} (draw on the pad to score a drawing again)`;
  refreshSoon();
}

export function startDrawing(c: LabClient): DrawingPad {
  client = c;
  pad = new DrawingPad($<HTMLCanvasElement>('draw-canvas'), () => {
    chosen = null;
    picks++;
    setAmine(null);
    refreshSoon();
  });
  // The class the user says the drawing is: with it, the drawing's amine (e = t − y) is drawn on the network.
  $('draw-class').addEventListener('change', () =>
    guard('draw', () => {
      picks++;
      if ($<HTMLSelectElement>('draw-class').value === '') setAmine(null);
      refreshSoon();
    }),
  );
  $('net').addEventListener('change', () => guard('train', requestWeights));
  $('unit').addEventListener('change', () => guard('train', requestWeights));
  $('clear').addEventListener('click', () => guard('draw', () => pad.clear()));
  showImage($<HTMLCanvasElement>('draw-preview'), null);
  return pad;
}

export function showWeights(values: Float32Array, side: number, unit: number, unitType: string): void {
  const max = drawWeights($<HTMLCanvasElement>('unit-weights'), values, side);
  $('unit-info').textContent = `unit ${unit} (${unitType}) · largest |w| ${max.toPrecision(3)}`;
  $('unit-weights').setAttribute(
    'aria-label',
    `Input weights of hidden unit ${unit} (${unitType}) as a ${side}×${side} image; largest |w| ${max.toPrecision(3)}`,
  );
}

/** Rebuilds the network-view selects for the shown ED rule, keeping the chosen unit and network when they exist. */
export function showView(view: ViewInfo): void {
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
    unitSelect.replaceChildren(
      ...Array.from(
        { length: w.units },
        (_, u) => new Option(`${u} (${u < w.outExc ? 'excitatory' : 'inhibitory'})`, String(u)),
      ),
    );
    unitSelect.value = String(unit);
    $('weights-source').textContent = w.from === 'file' ? 'loaded model file' : 'model in training';
  }
  const said = $<HTMLSelectElement>('draw-class');
  const keep = said.value;
  said.replaceChildren(
    new Option('(say which, to see its amine)', ''),
    ...view.classNames.map((name, k) => new Option(name, String(k))),
  );
  said.value = Number(keep) < view.classNames.length ? keep : '';
  refreshSoon();
}

function requestWeights(): void {
  if (!lab.view?.weights) return;
  const net = Number($<HTMLSelectElement>('net').value) || 0;
  client.send({ type: 'weights', net, unit: Number($<HTMLSelectElement>('unit').value) || 0 });
  client.send({ type: 'fields', net });
}

/** The receptive-field grid: one small image per first-layer unit; choosing one shows it large above. */
export function showFields(values: Float32Array, units: number, outExc: number, side: number): void {
  const grid = $('fields');
  const N = side * side;
  if (grid.children.length !== units) {
    grid.replaceChildren(
      ...Array.from({ length: units }, (_, u) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = `field ${u < outExc ? 'exc' : 'inh'}`;
        button.setAttribute('aria-label', `show unit ${u} (${u < outExc ? 'excitatory' : 'inhibitory'})`);
        button.append(document.createElement('canvas'));
        button.addEventListener('click', () => {
          $<HTMLSelectElement>('unit').value = String(u);
          requestWeights();
        });
        return button;
      }),
    );
  }
  for (let u = 0; u < units; u++)
    drawWeights(grid.children[u].firstElementChild as HTMLCanvasElement, values.subarray(u * N, (u + 1) * N), side);
}

// Weights and drawing scores follow the model; refresh them at most once per frame.
let refreshQueued = false;
export function refreshSoon(): void {
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
  const image = chosen?.image ?? pad.image();
  if (!chosen) $('draw-source').textContent = '';
  showImage($<HTMLCanvasElement>('draw-preview'), image);
  // A 2-D run's model takes points, not drawings.
  if (!image || !lab.view || (lab.points && lab.view.predictFrom === 'training')) return showScores(null);
  if (scoring) {
    rescore = true;
    return;
  }
  scoring = true;
  client
    .request('predictions', (id) => ({ type: 'predict', id, images: [image] }))
    .then((answer) => {
      const result = chosen || pad.image() ? answer.results[0] : null;
      showScores(result);
      // The amine of the sample shown, when its class is known; a step's stays until the user picks again.
      const said = $<HTMLSelectElement>('draw-class').value;
      const names = lab.view?.classNames ?? [];
      if (stepAmineShown() && picksShown === picks) return;
      picksShown = picks;
      if (result && chosen) setAmine(amineOf(result, chosen.cls), `the validation digit (a ${names[chosen.cls]})`);
      else if (result && said !== '') setAmine(amineOf(result, Number(said)), `the drawing (a ${names[Number(said)]})`);
    })
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
  $('scores').replaceChildren(
    ...names.map((name, k) => {
      const li = document.createElement('li');
      li.dataset.class = name;
      const score = result?.scores[k];
      li.textContent = score === undefined ? '–' : score.toFixed(3);
      li.setAttribute(
        'aria-label',
        `${name}: ${score === undefined ? 'no score' : score.toFixed(3)}` +
          (result && k === result.predicted ? ' (predicted)' : ''),
      );
      li.style.setProperty('--score', String(Math.min(1, Math.max(0, score ?? 0))));
      if (result && k === result.predicted) li.classList.add('best');
      return li;
    }),
  );
}

/**
 * The output error e = t − y of the drawn network for a digit of class `cls`: one network decides a pair (y is
 * P(second class)); otherwise network k's output is class k's score.
 */
function amineOf(result: Prediction, cls: number): number | null {
  const w = lab.view?.weights;
  if (!w) return null;
  const net = Number($<HTMLSelectElement>('net').value) || 0;
  if (w.networkNames.length === 1) return (cls === 1 ? 1 : 0) - (result.scores[1] ?? 0);
  return (cls === net ? 1 : 0) - (result.scores[net] ?? 0);
}
