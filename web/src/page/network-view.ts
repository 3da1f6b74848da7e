/**
 * The Network panel's drawing of one ED class network, as the seed article draws it: excitatory units red,
 * inhibitory units blue (each input twice: its excitatory and its inhibitory copy), synapses as lines coloured by
 * sign with width |w| (the strongest per layer), and the amine — the one error signal of the output — drawn
 * arriving at every unit. The amine shown is that of a sample: the one a step just trained, a validation digit
 * chosen, or the drawing with the class the user says it is: e = t − y, d⁺ = max(e, 0) and d⁻ = max(−e, 0), the
 * same at every unit. After a step, the synapse family that learned (W⁺ from excitatory sources when e > 0, W⁻
 * from inhibitory ones when e < 0) is drawn in full and the other faint-but-visible.
 */
import type { FamilyChange, NetworkDrawing } from '../protocol';
import { $, n } from './dom';
import { AMINE, BLUE, INK, RED } from '../palette';

let last: NetworkDrawing | null = null;
/** The error e = t − y at the drawn network's output of the sample `of` names, or null (no such sample). */
let amine: { e: number; of: string; step: boolean } | null = null;
/** The family the last step changed, until training goes on. */
let learned: 'plus' | 'minus' | 'both' | 'none' | null = null;

export function setAmine(e: number | null, of = '', step = false): void {
  amine = e === null ? null : { e, of, step };
  if (last) drawNetwork(last);
}

/** The amine drawn is that of the sample a step just trained. */
export const stepAmineShown = () => amine?.step === true;

/** Training went on, or a new run began: the last step's family is history. */
export function clearStep(): void {
  if (learned === null && !amine?.step) return;
  learned = null;
  if (amine?.step) amine = null;
  if (last) drawNetwork(last);
}

/** What a step changed: which family learned (measured on the weights), and the sample's amine. */
export function showStep(msg: { update: number } & FamilyChange): void {
  const { plus, minus, errors } = msg;
  learned = plus.count && minus.count ? 'both' : plus.count ? 'plus' : minus.count ? 'minus' : 'none';
  const moved = (f: FamilyChange['plus'], name: string, src: string) =>
    f.count
      ? `${name} learned: ${n(f.count)} weights from ${src} sources moved (largest |Δw| ${f.largest.toPrecision(3)})`
      : `${name} did not move`;
  const pos = errors.filter((e) => e > 0).length;
  const neg = errors.filter((e) => e < 0).length;
  const why =
    errors.length === 1
      ? `The sample's error at network ${msg.net}'s output: e = ${signed(errors[0])}, so ` +
        (errors[0] > 0
          ? `d⁺ = ${errors[0].toFixed(3)} (d⁻ = 0): only the family from excitatory sources may learn.`
          : errors[0] < 0
            ? `d⁻ = ${(-errors[0]).toFixed(3)} (d⁺ = 0): only the family from inhibitory sources may learn.`
            : 'no amine: nothing learns.')
      : `This update held ${errors.length} samples: ${pos} with e > 0 (W⁺ learns from them) and ${neg} with ` +
        `e < 0 (W⁻ learns from them); with batch 1 each step changes one family.`;
  $('step-info').textContent =
    `update ${n(msg.update)}, network ${msg.net}: ${moved(plus, 'W⁺', 'excitatory')}; ` +
    `${moved(minus, 'W⁻', 'inhibitory')}. ${why}`;
  $('step-info').dataset.family = learned;
  if (errors.length === 1) setAmine(errors[0], `the sample trained at update ${n(msg.update)}`, true);
  else if (last) drawNetwork(last);
}

const signed = (e: number) => `${e >= 0 ? '+' : '−'}${Math.abs(e).toFixed(3)}`;

export function drawNetwork(d: NetworkDrawing): void {
  last = d;
  const canvas = $<HTMLCanvasElement>('network-canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  const W = canvas.clientWidth || 560;
  const H = canvas.clientHeight || 300;
  canvas.width = Math.round(W * dpr);
  canvas.height = Math.round(H * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  const drawnInputs = d.inputIds.length;
  // Column 0 holds every drawn input twice: its excitatory copies, then its inhibitory ones.
  const columns = [2 * drawnInputs, ...d.layers.map((l) => l.shown.length)];
  const x = (c: number) => 40 + (c * (W - 110)) / (columns.length - 1);
  const y = (c: number, i: number) => 34 + ((i + 0.5) * (H - 54)) / columns[c];
  const excitatory = (c: number, i: number) =>
    c === 0 ? i < drawnInputs : d.layers[c - 1].shown[i] < d.layers[c - 1].outExc;
  // Synapses under the units: width by |w| relative to the layer's largest, colour by sign, in full colour (every
  // line keeps 3:1 against the white). After a step, the family that did not learn is dashed.
  for (let l = 0; l < d.layers.length; l++) {
    const edges = d.edges.filter((e) => e.layer === l);
    const max = Math.max(1e-12, ...edges.map((e) => Math.abs(e.w)));
    for (const e of edges) {
      const family = excitatory(l, e.from) ? 'plus' : 'minus';
      const quiet = learned !== null && learned !== 'both' && learned !== family;
      ctx.strokeStyle = e.w >= 0 ? RED : BLUE;
      ctx.lineWidth = quiet ? 0.75 : 0.75 + 3 * (Math.abs(e.w) / max);
      ctx.setLineDash(quiet ? [2, 4] : []);
      ctx.beginPath();
      ctx.moveTo(x(l), y(l, e.from));
      ctx.lineTo(x(l + 1), y(l + 1, e.to));
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
  // The amine: from the output to every unit above the inputs, dashed; its width the sample's |e| when shown.
  const out = columns.length - 1;
  const ax = x(out) + 40;
  const ay = 18;
  ctx.strokeStyle = AMINE;
  ctx.setLineDash([3, 4]);
  ctx.lineWidth = amine === null ? 1 : 1 + 2.5 * Math.min(1, Math.abs(amine.e));
  for (let c = 1; c <= out; c++)
    for (let i = 0; i < columns[c]; i++) {
      ctx.beginPath();
      ctx.moveTo(ax, ay);
      ctx.lineTo(x(c), y(c, i) - 7);
      ctx.stroke();
    }
  ctx.setLineDash([]);
  // Units: excitatory red, inhibitory blue (inputs smaller); each unit above the inputs with the amine's ring.
  for (let c = 0; c <= out; c++) {
    for (let i = 0; i < columns[c]; i++) {
      ctx.fillStyle = excitatory(c, i) ? RED : BLUE;
      ctx.beginPath();
      ctx.arc(x(c), y(c, i), c === 0 ? 4 : 7, 0, 2 * Math.PI);
      ctx.fill();
      if (c > 0) {
        ctx.strokeStyle = AMINE;
        ctx.lineWidth = amine === null ? 1 : 2;
        ctx.beginPath();
        ctx.arc(x(c), y(c, i), 10, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
  }
  ctx.fillStyle = AMINE;
  ctx.beginPath();
  ctx.moveTo(ax, ay - 8);
  ctx.lineTo(ax + 8, ay);
  ctx.lineTo(ax, ay + 8);
  ctx.lineTo(ax - 8, ay);
  ctx.fill();
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = INK;
  ctx.textAlign = 'left';
  ctx.fillText('inputs (+ copy, − copy)', 8, 12);
  if (learned !== null) ctx.fillText(LEARNED[learned], 8, 26);
  ctx.textAlign = 'right';
  ctx.fillText('amine', ax - 12, ay + 4);
  const hidden = d.layers.slice(0, -1);
  const positive = d.edges.filter((e) => e.w >= 0).length;
  canvas.setAttribute(
    'aria-label',
    `Network ${d.net}: ${d.inputs} inputs (the ${drawnInputs} strongest drawn, each as its excitatory and its ` +
      `inhibitory copy), ` +
      hidden
        .map(
          (l, i) =>
            `hidden layer ${i + 1} of ${l.units} units (${l.outExc} excitatory, ${l.units - l.outExc} ` +
            `inhibitory; ${l.shown.length} drawn)`,
        )
        .join(', ') +
      `, one output; ${d.edges.length} synapses drawn, ${positive} positive and ${d.edges.length - positive} ` +
      `negative; the amine ${amineText()}${learned === null ? '' : `; ${LEARNED[learned]}`}`,
  );
  $('network-amine').textContent = `Amine: ${amineText()}.`;
}

const LEARNED = {
  plus: 'last step: W⁺ learned (solid), W⁻ did not (dashed)',
  minus: 'last step: W⁻ learned (solid), W⁺ did not (dashed)',
  both: 'last step: both families learned (a batch with e > 0 and e < 0)',
  none: 'last step: no weight of this network moved',
} as const;

function amineText(): string {
  if (amine === null)
    return 'reaches every unit (step, choose a validation digit, or say what the drawing is, to see its value)';
  const { e, of } = amine;
  return (
    `of ${of}: e = t − y = ${signed(e)}, so d⁺ = ${Math.max(0, e).toFixed(3)} and d⁻ = ` +
    `${Math.max(0, -e).toFixed(3)} at every unit`
  );
}
