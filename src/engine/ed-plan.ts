/**
 * The plan of one plain ED network for the WebAssembly backend's edLearn (assembly/kernels.ts): where each of
 * its arrays lives (byte offsets into the backend's memory) and its f64 constants, written once into words carved
 * from the classifier's own storage, so that worker threads (which never allocate) read the same plan.
 */
import type { EdNetworkView, EdShared } from '../rules/ed-arrays.js';
import type { EdLayerShape } from '../rules/ed-shapes.js';

/** Header words, then words per layer (the kernel's PLAN_HEAD and PLAN_LAYER), then 1 + layers f64s. */
const HEAD = 16;
const LAYER = 12;

/** Words of one network's plan (a multiple of 4, so that the next plan's f64s stay 8-byte aligned). */
export function edPlanWords(layers: number): number {
  return (HEAD + LAYER * layers + 2 * (1 + layers) + 3) & ~3;
}

const at = (a: ArrayBufferView) => a.byteOffset;

/**
 * Writes network `net`'s plan into `words`: header (layers, inputs, W⁺ + W⁻, e, row scales, the rows with e > 0,
 * e < 0, e ≠ 0, the β column, the learning-rate scale), per layer (sources, units, activations, W, its inhibitory
 * rows, both bias rows, the effective bias, g, the unit factors s_k·gain), then β and each layer's step.
 */
export function writeEdPlan(
  words: Int32Array,
  net: EdNetworkView,
  shapes: EdLayerShape[],
  shared: EdShared,
  inputs: number,
  beta: number,
  layerStep: number[],
): void {
  const L = shapes.length;
  words.fill(0);
  const r = net.rows;
  words.set([L, inputs, at(net.weff), at(net.error), at(net.rowScale), at(r.pos), at(r.neg), at(r.any)]);
  words.set([at(shared.betaColumn), at(shared.lrScale)], 8);
  shapes.forEach((S, l) => {
    const layer = [S.srcExc, S.srcInh, S.out, at(net.act[l]), at(net.w[l]), at(net.wInh[l]), at(net.bias[l])];
    layer.push(at(net.biasInh[l]), at(net.biasEff[l]), at(net.grad[l]), at(shared.unitFactor[l]));
    words.set(layer, HEAD + LAYER * l);
  });
  const f64 = new Float64Array(words.buffer, words.byteOffset + (HEAD + LAYER * L) * 4, 1 + L);
  f64[0] = beta;
  f64.set(layerStep, 1);
}
