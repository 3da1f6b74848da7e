/**
 * Where every array of an ED classifier lives: two allocations (floats, ints), carved in a fixed order, so that
 * another instance given the same storage sees the same arrays (how the engine runs networks on other threads).
 */
import { Carver } from '../kernels/carve.js';
import type { EdOptions } from '../options/ed.js';
import type { EdLayerShape } from './ed-shapes.js';
import type { FamilyRows } from './ed-variants.js';

/** The two allocations every array of a classifier lives in. */
export interface EdStorage {
  floats: Float32Array;
  ints: Int32Array;
}

/** Every array of one network (views into the storage). */
export interface EdNetworkView {
  /** Per layer: weights ((srcExc + srcInh), out), excitatory-source rows first. */
  w: Float32Array[];
  /** Per layer: bias weights (2, out): row 0 from the excitatory bias unit, row 1 from the inhibitory one. */
  bias: Float32Array[];
  /** Per layer: the rows of w and of bias from inhibitory sources (views kept, not made per update). */
  wInh: Float32Array[];
  biasInh: Float32Array[];
  /**
   * Paired input layer: W⁺ + W⁻, (N, out) — of the ternary weights when `ternary`; empty when a layout keeps its own.
   */
  weff: Float32Array;
  /** Per layer, with `ternary`: the weights the forward pass uses (layer 0 uses weff). */
  wq: Float32Array[];
  /** Per layer, with `ternary` and `ternaryBias`: the bias weights the forward pass uses. */
  biasQ: Float32Array[];
  /** Per layer, with connectivity < 1: 1 where a connection exists, 0 elsewhere. */
  mask: Float32Array[];
  /** Per layer, (batch, out): the outputs y, then the factors g of the update. */
  act: Float32Array[];
  grad: Float32Array[];
  biasEff: Float32Array[];
  /** e = t − y per sample, and the amine's factor of the current layer per sample. */
  error: Float32Array;
  rowScale: Float32Array;
  /** The samples each source family learns from (see SourceRule). */
  rows: FamilyRows;
}

/** Arrays every network of the classifier reads: unit signs, the bias column, the loaded batch. */
export interface EdShared {
  /** s_k per layer: +1 for the first outExc units, −1 for the rest. */
  outSign: Float32Array[];
  /** s_k per layer times the unit's fixed gain (gainSpread; 1 for every unit by default, and for output units). */
  unitFactor: Float32Array[];
  /** β for every sample: the value of the two bias units. */
  betaColumn: Float32Array;
  allRows: Int32Array;
  start: Int32Array;
  end: Int32Array;
  labels: Int32Array;
  xDense: Float32Array;
  /** The learning-rate schedule's factor α·lrDecay^epochs ÷ α, shared with the worker threads. */
  lrScale: Float64Array;
}

export interface EdDims {
  options: EdOptions;
  shapes: EdLayerShape[];
  inputs: number;
  networks: number;
  maxBatch: number;
  /** Whether each network keeps W⁺ + W⁻ of its input layer (weff); a layout of the engine may keep its own. */
  inputSum: boolean;
}

/** The fixed order of every array; measuring (no storage) and carving both run through here. */
export function carveEd(c: Carver, d: EdDims): { nets: EdNetworkView[]; shared: EdShared } {
  const B = d.maxBatch;
  const o = d.options;
  const shared: EdShared = {
    outSign: d.shapes.map((L) => c.float32(L.out)),
    unitFactor: d.shapes.map((L) => c.float32(L.out)),
    betaColumn: c.float32(B),
    allRows: c.int32(B),
    start: c.int32(B),
    end: c.int32(B),
    labels: c.int32(B),
    xDense: c.float32(B * d.inputs),
    lrScale: c.float64(1),
  };
  const nets: EdNetworkView[] = [];
  const perLayer = (size: (L: EdLayerShape) => number) => d.shapes.map((L) => c.float32(size(L)));
  for (let k = 0; k < d.networks; k++) {
    const w = perLayer((L) => (L.srcExc + L.srcInh) * L.out);
    const bias = perLayer((L) => 2 * L.out);
    const weff = c.float32(d.inputSum ? d.inputs * d.shapes[0].out : 0);
    const wq = perLayer((L) => (o.ternary ? (L.srcExc + L.srcInh) * L.out : 0));
    const biasQ = perLayer((L) => (o.ternary && o.ternaryBias ? 2 * L.out : 0));
    const mask = perLayer((L) => (o.connectivity < 1 ? (L.srcExc + L.srcInh) * L.out : 0));
    const act = perLayer((L) => B * L.out);
    const grad = perLayer((L) => B * L.out);
    const biasEff = perLayer((L) => L.out);
    const error = c.float32(B);
    const rowScale = c.float32(B);
    const rows: FamilyRows = {
      pos: c.int32(B),
      nPos: 0,
      neg: c.int32(B),
      nNeg: 0,
      any: c.int32(B),
      nAny: 0,
      all: shared.allRows,
      batch: 0,
      exc: shared.allRows,
      nExc: 0,
      inh: shared.allRows,
      nInh: 0,
    };
    nets.push({
      w,
      bias,
      weff,
      wq,
      biasQ,
      mask,
      act,
      grad,
      biasEff,
      error,
      rowScale,
      rows,
      wInh: w.map((wl, l) => wl.subarray(d.shapes[l].srcExc * d.shapes[l].out)),
      biasInh: bias.map((b, l) => b.subarray(d.shapes[l].out)),
    });
  }
  return { nets, shared };
}

/** Floats and ints of the rule's own arrays (rounded to a cache line: a layout's arrays start on one), and in all. */
export function edStorageSize(
  d: EdDims,
  extra: (c: Carver) => void,
): { ruleFloats: number; ruleInts: number; floats: number; ints: number } {
  const rule = new Carver();
  carveEd(rule, d);
  const ruleFloats = Math.ceil(rule.floatCount / 16) * 16;
  const more = new Carver();
  extra(more);
  return {
    ruleFloats,
    ruleInts: rule.intCount,
    floats: ruleFloats + more.floatCount,
    ints: rule.intCount + more.intCount,
  };
}
