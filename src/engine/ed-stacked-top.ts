/**
 * The output units of the stacked layout's online path, one hidden layer (Kaneko's network): the output units of
 * a group of networks learn a sample in a few kernel calls for the group instead of a dozen per network. Their
 * weights are rows `ld` apart in one array (a row of H per network, padded to a cache line), their two bias
 * weights a line per network; nets[k].w[1] and bias[1] are views of them, so parameters() sees the same arrays.
 */
import type { Carver } from '../kernels/carve.js';
import type { BatchView } from '../rules/ed.js';
import { multiplyInPlace } from '../rules/ed-variants.js';
import { EdEngine, type SequenceJob } from './ed-engine.js';

/**
 * Floats between the values of groups starting at consecutive networks: a cache
 * line (two threads' groups never share one).
 */
export const ROW_SCALE_STRIDE = 16;

export interface TopArrays {
  /** Every network's output weights, a row of ld floats each; its two bias weights, a line each. */
  w: Float32Array;
  bias: Float32Array;
  /**
   * The output unit's sums, bias, update scales, factors and the two families' factors, a line per group start each.
   */
  rows: Float32Array;
  ld: number;
}

/**
 * Per possible group start `from` (see ROW_SCALE_STRIDE): sums then outputs, bias, update scales, factors g, and g
 * of the networks whose excitatory (pos) or inhibitory (neg) sources learn;
 * one[from][i]: output i of a group from `from`.
 */
interface TopViews {
  ld: number;
  w: Float32Array[];
  wInh: Float32Array[];
  bias: Float32Array[];
  biasInh: Float32Array[];
  actInh: Float32Array[];
  out: Float32Array[];
  biasEff: Float32Array[];
  scale: Float32Array[];
  grad: Float32Array[];
  pos: Float32Array[];
  neg: Float32Array[];
  one: Float32Array[][];
}

/** The output units of the networks of a stacked ED classifier, learning as groups. */
export abstract class EdGroupedOutputs extends EdEngine {
  protected top: TopViews | null = null;

  /** The arrays of the output units of K networks whose output layer has `sources` source units. */
  protected carveTop(c: Carver, K: number, sources: number): TopArrays {
    const ld = Math.ceil(sources / ROW_SCALE_STRIDE) * ROW_SCALE_STRIDE;
    const line = { line: true };
    return {
      ld,
      w: c.float32(K * ld, line),
      bias: c.float32(K * ROW_SCALE_STRIDE, line),
      rows: c.float32(6 * K * ROW_SCALE_STRIDE, line),
    };
  }

  /**
   * Views of the arrays, and the networks' output weights moved into them (copied when the rule was just
   * initialised; a view of a classifier in existing storage finds them there). `hidden`: the wide hidden row.
   */
  protected useTop(a: TopArrays, hidden: Float32Array, fresh: boolean): void {
    const K = this.networks;
    const H = this.shapes[0].out;
    const last = this.shapes.length - 1;
    const exc = this.shapes[last].srcExc;
    const size = (exc + this.shapes[last].srcInh) * this.shapes[last].out;
    const at = (x: Float32Array, per: number, offset = 0) =>
      Array.from({ length: K }, (_, k) => x.subarray(k * per + offset));
    const rows = (r: number) =>
      at(a.rows.subarray(r * K * ROW_SCALE_STRIDE, (r + 1) * K * ROW_SCALE_STRIDE), ROW_SCALE_STRIDE);
    this.nets.forEach((net, k) => {
      const w = a.w.subarray(k * a.ld, k * a.ld + size);
      const bias = a.bias.subarray(k * ROW_SCALE_STRIDE, k * ROW_SCALE_STRIDE + 2);
      if (fresh) {
        w.set(net.w[last]);
        bias.set(net.bias[last]);
      }
      [net.w[last], net.bias[last], net.wInh[last], net.biasInh[last]] = [w, bias, w.subarray(exc), bias.subarray(1)];
    });
    const out = rows(0);
    this.top = {
      ld: a.ld,
      w: at(a.w, a.ld),
      wInh: at(a.w, a.ld, exc),
      bias: at(a.bias, ROW_SCALE_STRIDE),
      biasInh: at(a.bias, ROW_SCALE_STRIDE, 1),
      actInh: at(hidden, H, exc),
      out,
      biasEff: rows(1),
      scale: rows(2),
      grad: rows(3),
      pos: rows(4),
      neg: rows(5),
      one: out.map((o, from) => Array.from({ length: K - from }, (_, i) => o.subarray(i, i + 1))),
    };
  }

  /**
   * The output units of networks [from, to) learn sample `at` from the group's hidden row `hidden`: what forward,
   * computeError and update do for layer 1 of each network, with the same float operations, as one call per step
   * for the group (the sigmoid one per network: its one-element path is the one forward takes).
   */
  protected learnTop(hidden: Float32Array, from: number, to: number, v: BatchView, at: number, job: SequenceJob): void {
    const { backend: be, options: o, shared: s } = this;
    const top = this.top!;
    const H = this.shapes[0].out;
    const { srcExc, srcInh } = this.shapes[1];
    const m = to - from;
    const z = top.out[from];
    be.rowDots(z, hidden, top.w[from], m, srcExc + srcInh, H, top.ld);
    const biasEff = top.biasEff[from];
    for (let k = from; k < to; k++) biasEff[k - from] = o.beta * (top.bias[k][0] + top.bias[k][1]);
    be.addRow(z, biasEff, 1, m);
    const gain = 2 / o.u0;
    for (let i = 0; i < m; i++) be.sigmoid(top.one[from][i], top.one[from][i], 1, gain);
    const amine = this.layerStep[1] * s.lrScale[0];
    const scale = top.scale[from];
    for (let k = from; k < to; k++) {
      const net = this.nets[k];
      const y = z[k - from];
      net.act[1][0] = y;
      this.computeError(k, v);
      job.outputs[k * job.size + at] = y;
      job.errors[k * job.size + at] = net.error[0];
      scale[k - from] = amine * net.error[0];
    }
    const g = top.grad[from];
    be.sigmoidGrad(g, z, scale, s.outSign[1], m, 1);
    // Kaneko: the excitatory sources (and bias) learn from e > 0, the inhibitory ones from e < 0.
    const pos = top.pos[from];
    const neg = top.neg[from];
    for (let i = 0; i < m; i++) {
      const e = this.nets[from + i].error[0];
      pos[i] = e > 0 ? g[i] : 0;
      neg[i] = e < 0 ? g[i] : 0;
    }
    be.rowsAxpy(top.w[from], hidden, pos, m, srcExc, top.ld, H);
    be.rowsAxpy(top.wInh[from], top.actInh[from], neg, m, srcInh, top.ld, H);
    be.rowsAxpy(top.bias[from], s.betaColumn, pos, m, 1, ROW_SCALE_STRIDE, 0);
    be.rowsAxpy(top.biasInh[from], s.betaColumn, neg, m, 1, ROW_SCALE_STRIDE, 0);
    // connectivity < 1: the output units' masks, after every update (as the per-network layout does).
    if (o.connectivity < 1) for (let k = from; k < to; k++) multiplyInPlace(this.nets[k].w[1], this.nets[k].mask[1]);
  }
}
