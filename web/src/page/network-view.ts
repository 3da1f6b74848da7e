/**
 * The Network panel's drawing of one ED class network, as the seed article draws it: excitatory units red,
 * inhibitory units blue, synapses as lines coloured by sign with width |w| (the strongest per layer), and the amine
 * — the one error signal of the output — drawn arriving at every unit. With a validation digit chosen, the amine
 * is that digit's: e = t − y, d⁺ = max(e, 0) raising and d⁻ = max(−e, 0) lowering, the same at every unit.
 */
import type { NetworkDrawing } from '../protocol';
import { $ } from './dom';

const RED = '#c0392b';
const BLUE = '#2471a3';
const AMINE = '#1e7b34';
let last: NetworkDrawing | null = null;
let amine: number | null = null;

/** The error e = t − y of the chosen digit at the drawn network's output, or null (no digit with a known class). */
export function setAmine(e: number | null): void {
  amine = e;
  if (last) drawNetwork(last);
}

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
  const columns = [d.inputIds.length, ...d.layers.map((l) => l.shown.length)];
  const x = (c: number) => 40 + (c * (W - 110)) / (columns.length - 1);
  const y = (c: number, i: number) => 30 + ((i + 0.5) * (H - 50)) / columns[c];
  // Synapses under the units: width by |w| relative to the layer's largest.
  for (let l = 0; l < d.layers.length; l++) {
    const edges = d.edges.filter((e) => e.layer === l);
    const max = Math.max(1e-12, ...edges.map((e) => Math.abs(e.w)));
    for (const e of edges) {
      ctx.strokeStyle = e.w >= 0 ? RED : BLUE;
      ctx.globalAlpha = 0.25 + 0.6 * (Math.abs(e.w) / max);
      ctx.lineWidth = 0.3 + 3 * (Math.abs(e.w) / max);
      ctx.beginPath();
      ctx.moveTo(x(l), y(l, e.from));
      ctx.lineTo(x(l + 1), y(l + 1, e.to));
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
  // The amine: from the output to every drawn unit, dashed; its strength the chosen digit's |e| when there is one.
  const out = columns.length - 1;
  const ax = x(out) + 40;
  const ay = 18;
  const strength = amine === null ? 0.35 : 0.2 + 0.8 * Math.min(1, Math.abs(amine));
  ctx.strokeStyle = AMINE;
  ctx.globalAlpha = strength;
  ctx.setLineDash([3, 4]);
  ctx.lineWidth = 1;
  for (let c = 1; c <= out; c++)
    for (let i = 0; i < columns[c]; i++) {
      ctx.beginPath();
      ctx.moveTo(ax, ay);
      ctx.lineTo(x(c), y(c, i) - 7);
      ctx.stroke();
    }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  // Units: inputs grey, excitatory red, inhibitory blue; each with the amine's ring.
  for (let c = 0; c <= out; c++) {
    for (let i = 0; i < columns[c]; i++) {
      const exc = c === 0 ? null : d.layers[c - 1].shown[i] < d.layers[c - 1].outExc;
      ctx.fillStyle = exc === null ? '#666' : exc ? RED : BLUE;
      ctx.beginPath();
      ctx.arc(x(c), y(c, i), c === 0 ? 4 : 7, 0, 2 * Math.PI);
      ctx.fill();
      if (c > 0) {
        ctx.strokeStyle = AMINE;
        ctx.globalAlpha = strength;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x(c), y(c, i), 10, 0, 2 * Math.PI);
        ctx.stroke();
        ctx.globalAlpha = 1;
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
  ctx.fillStyle = '#1a1a1a';
  ctx.textAlign = 'left';
  ctx.fillText('inputs', 20, 12);
  ctx.textAlign = 'right';
  ctx.fillText('amine', ax - 12, ay + 4);
  const hidden = d.layers.slice(0, -1);
  const positive = d.edges.filter((e) => e.w >= 0).length;
  canvas.setAttribute(
    'aria-label',
    `Network ${d.net}: ${d.inputs} inputs (the ${d.inputIds.length} strongest drawn), ` +
      hidden
        .map(
          (l, i) =>
            `hidden layer ${i + 1} of ${l.units} units (${l.outExc} excitatory, ${l.units - l.outExc} ` +
            `inhibitory; ${l.shown.length} drawn)`,
        )
        .join(', ') +
      `, one output; ${d.edges.length} synapses drawn, ${positive} positive and ${d.edges.length - positive} ` +
      `negative; the amine ${amineText()}`,
  );
  $('network-amine').textContent = `Amine: ${amineText()}.`;
}

function amineText(): string {
  if (amine === null) return 'reaches every unit (choose a validation digit to see its value)';
  const up = Math.max(0, amine);
  const down = Math.max(0, -amine);
  return `e = t − y = ${amine.toFixed(3)}: d⁺ = ${up.toFixed(3)}, d⁻ = ${down.toFixed(3)} at every unit`;
}
