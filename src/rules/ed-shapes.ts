/**
 * The shapes of an ED classifier, computed from its options alone (no arrays): the layers of one network, how
 * many networks, and the lengths of the parameter arrays (model files are checked with them before allocating).
 */
import type { EdOptions } from '../options/ed.js';
import { Random } from '../random.js';

export interface EdLayerShape {
  /** Source units per family; equal for the paired input layer. */
  srcExc: number;
  srcInh: number;
  paired: boolean;
  /** Units in this layer; the first `outExc` are excitatory. */
  out: number;
  outExc: number;
}

export function edLayerShapes(o: EdOptions, inputs: number): EdLayerShape[] {
  const alternating = o.firstHidden === 'inhibitory' ? Math.floor(o.units / 2) : Math.ceil(o.units / 2);
  // Random types: each hidden unit excitatory with probability ½, drawn from typeSeed so that a saved model and
  // every worker thread get the same layout. Units of a layer are exchangeable, so only the counts matter.
  const types = new Random(o.typeSeed);
  const randomExc = () => Array.from({ length: o.units }, () => types.next() < 0.5).filter(Boolean).length;
  const shapes: EdLayerShape[] = [];
  let srcExc = inputs;
  let srcInh = inputs;
  for (let l = 0; l <= o.layers; l++) {
    const isOutput = l === o.layers;
    const out = isOutput ? 1 : o.units;
    const outExc = isOutput ? 1 : o.unitTypes === 'random' ? randomExc() : alternating;
    shapes.push({ srcExc, srcInh, paired: l === 0, out, outExc });
    srcExc = outExc;
    srcInh = out - outExc;
  }
  return shapes;
}

/** Two classes need one network (its output is P(class 1)), unless softmax couples one network per class. */
export function edNetworkCount(o: EdOptions, classes: number): number {
  return classes === 2 && o.output !== 'softmax' ? 1 : classes;
}

/** Lengths of the arrays parameters() returns, computed without allocating (model files are checked with it). */
export function edParameterShapes(o: EdOptions, inputs: number, classes: number): number[] {
  const layers = edLayerShapes(o, inputs).flatMap((L) => [(L.srcExc + L.srcInh) * L.out, 2 * L.out]);
  return Array.from({ length: edNetworkCount(o, classes) }, () => layers).flat();
}

/**
 * Whether every sample changes exactly one sign family by the amount it adds to W⁺ + W⁻ (Kaneko's rule, float
 * weights, every connection present): the forward sum can then be updated in place, and the engine's stacked
 * layout (src/engine/ed-stacked.ts) can hold the rule.
 */
export function edPlain(o: EdOptions): boolean {
  return !o.weightDecrement && o.lowering === 'strengthen-inhibitory' && !o.ternary && o.connectivity === 1;
}
