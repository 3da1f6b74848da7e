/**
 * One ED class network as the seed article draws it: its strongest inputs, its hidden units (excitatory or
 * inhibitory), its output, and the signed synapses between them (the largest per layer when there are many).
 * Read from rule.parameters(), whose order the model file format fixes for every layout: per network, per layer,
 * the weights ((srcExc + srcInh) rows × out columns, excitatory sources first; the first layer has an excitatory
 * and an inhibitory copy of every input) and then the two bias rows.
 */
import type { NetworkDrawing } from '../protocol';
import { post } from './state';
import { weightsRule } from './views';

/** Hidden units drawn per layer (half excitatory, half inhibitory), inputs drawn (each twice), synapses per layer. */
const UNITS = 12;
const INPUTS = 8;
const EDGES = 160;

export function sendNetwork(net: number): void {
  const w = weightsRule();
  if (!w) return;
  const { rule } = w;
  const k = Math.min(Math.max(0, Math.trunc(net)), rule.networks - 1);
  const L = rule.shapes.length;
  const params = rule.parameters().slice(2 * L * k, 2 * L * (k + 1));
  const N = rule.inputs;
  // Units drawn in each layer: the first excitatory and the first inhibitory ones, half of UNITS each.
  const shown = rule.shapes.map((s) => {
    if (s.out <= UNITS) return Array.from({ length: s.out }, (_, u) => u);
    const half = UNITS / 2;
    return [
      ...Array.from({ length: Math.min(half, s.outExc) }, (_, u) => u),
      ...Array.from({ length: Math.min(half, s.out - s.outExc) }, (_, u) => s.outExc + u),
    ];
  });
  const out0 = rule.shapes[0].out;
  const w0 = params[0];
  const eff = (i: number, u: number) => w0[i * out0 + u] + w0[(N + i) * out0 + u];
  // The inputs with the largest total |effective weight| onto the drawn first-layer units.
  const inputs = Array.from({ length: N }, (_, i) => i)
    .map((i) => ({ i, s: shown[0].reduce((a, u) => a + Math.abs(eff(i, u)), 0) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, INPUTS)
    .map((x) => x.i)
    .sort((a, b) => a - b);
  const edges: NetworkDrawing['edges'] = [];
  const keep = (list: NetworkDrawing['edges']) => list.sort((a, b) => Math.abs(b.w) - Math.abs(a.w)).slice(0, EDGES);
  // Each drawn input twice: from its excitatory copy (row i, W⁺) and from its inhibitory copy (row N + i, W⁻).
  const copies = [...inputs, ...inputs.map((i) => N + i)];
  edges.push(
    ...keep(copies.flatMap((row, a) => shown[0].map((u, b) => ({ layer: 0, from: a, to: b, w: w0[row * out0 + u] })))),
  );
  for (let l = 1; l < L; l++) {
    const { out } = rule.shapes[l];
    const wl = params[2 * l];
    edges.push(
      ...keep(
        shown[l - 1].flatMap((j, a) => shown[l].map((u, b) => ({ layer: l, from: a, to: b, w: wl[j * out + u] }))),
      ),
    );
  }
  const drawing: NetworkDrawing = {
    net: k,
    inputs: N,
    inputIds: inputs,
    side: Math.round(Math.sqrt(N)),
    layers: rule.shapes.map((s, l) => ({ units: s.out, outExc: s.outExc, shown: shown[l] })),
    edges,
  };
  post({ type: 'network', drawing });
}
