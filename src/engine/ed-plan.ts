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

/** The stacked plan's header words and words per network (the kernel's STACK_HEAD and STACK_NET), then 3 f64s. */
const STACK_HEAD = 24;
const STACK_NET = 4;

/** Words of a stacked classifier's plan for edLearnStacked (K networks). */
export function stackedPlanWords(networks: number): number {
  return STACK_HEAD + STACK_NET * networks + 6;
}

/** Where a stacked classifier's arrays are, for edLearnStacked (see src/engine/ed-stacked.ts). */
export interface StackedPlanArrays {
  networks: number;
  units: number;
  /** The output layer's excitatory and inhibitory sources, and the floats between the output weights' rows. */
  srcExc: number;
  srcInh: number;
  topLd: number;
  /** The wide first-layer row: outputs, bias, factors, and the groups' update scales (a line per group start). */
  act: Float32Array;
  bias: Float32Array;
  grad: Float32Array;
  rowScale: Float32Array;
  /** The output units' weights, bias weights and per-group rows (ed-stacked-top.ts, TopArrays). */
  topW: Float32Array;
  topBias: Float32Array;
  topRows: Float32Array;
  /** Per network: its columns of W⁺ + W⁻ and of W⁺, the floats between their rows, and its first-layer bias. */
  sum: Float32Array[];
  plus: Float32Array[];
  ld: number[];
  firstBias: Float32Array[];
}

/**
 * Writes a stacked classifier's plan: header (networks, units, the output layer's sources and row stride, one
 * network or several, the wide row's arrays, the output units' arrays, the β column, all rows, the first layer's
 * unit factors, the output layer's signs, the learning-rate scale), per network (W⁺ + W⁻ and W⁺ columns, row
 * stride, bias), then β and the steps of layers 0 and 1.
 */
export function writeStackedPlan(
  words: Int32Array,
  a: StackedPlanArrays,
  shared: EdShared,
  beta: number,
  layerStep: number[],
): void {
  const K = a.networks;
  words.fill(0);
  words.set([K, a.units, a.srcExc, a.srcInh, a.topLd, K === 1 ? 1 : 0]);
  words.set([at(a.act), at(a.bias), at(a.grad), at(a.rowScale), at(a.topW), at(a.topBias), at(a.topRows)], 6);
  words.set([at(shared.betaColumn), at(shared.allRows), at(shared.unitFactor[0]), at(shared.outSign[1])], 13);
  words.set([at(shared.lrScale)], 17);
  for (let k = 0; k < K; k++)
    words.set([at(a.sum[k]), at(a.plus[k]), a.ld[k], at(a.firstBias[k])], STACK_HEAD + STACK_NET * k);
  const f64 = new Float64Array(words.buffer, words.byteOffset + (STACK_HEAD + STACK_NET * K) * 4, 3);
  f64.set([beta, layerStep[0], layerStep[1]]);
}
