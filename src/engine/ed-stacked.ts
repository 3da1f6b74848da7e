/**
 * The stacked layout of the ED first layer, the engine's fast path for the plain rule learning online: the K
 * networks' input weights side by side, one row of K·H floats per input (in bands, see bandSize), holding W⁺ + W⁻
 * and W⁺ alone. Each sample changes exactly one family by the amount it adds to the sum, so an update writes the
 * sum, plus W⁺ when e > 0 (one-vs-rest: about one network-sample in ten): fewer passes than keeping W⁺, W⁻ and
 * their sum. W⁻ = sum − W⁺ is derived when parameters() is read, so the model files see the rule's arrays.
 * Online, a group of networks learns a sample as one wide row (learnOnlineStacked) and their output units as a
 * few calls for the group (src/engine/ed-stacked-top.ts). The weights match the per-network layout's within
 * float32 rounding (test/layouts.test.ts).
 */
import type { Backend } from '../kernels/backend.js';
import { Carver } from '../kernels/carve.js';
import type { EdOptions } from '../options/ed.js';
import { Random } from '../random.js';
import type { BatchView, EdStorage, NetworkOp } from '../rules/ed.js';
import { edPlain } from '../rules/ed-shapes.js';
import type { LearnStats, SampleBatch, SampleSequence } from '../rules/rule.js';
import type { EdLayout, SequenceJob } from './ed-engine.js';
import { cutTouchedRows, type MaskCuts, maskCuts } from './ed-stacked-mask.js';
import { EdGroupedOutputs, ROW_SCALE_STRIDE, type TopArrays } from './ed-stacked-top.js';

/**
 * Bytes of stacked W⁺ + W⁻ and W⁺ columns that learn a sequence together online: wide enough for the wide-row
 * kernels, few enough to stay in cache. Measured on a machine with 1 MB of L2 cache per core (kaneko-mnist,
 * 10-class, one thread): groups of 5 networks of 64 (2 MB) ran faster than groups of 1 or 3; on the 2-core EPYC
 * of this project all 10 in one group ran faster on one thread, but a group is also a band of its own memory, and
 * two threads whose networks share a band slow each other down, so 5 (a band per thread on 2 threads) stays.
 */
const WIDE_BYTES = 2 * 2 ** 20;

/** Networks per band, for N inputs and H first-layer units (see StackedEd.bandSize). */
export function edBandSize(networks: number, inputs: number, units: number): number {
  return Math.min(networks, Math.max(1, Math.floor(WIDE_BYTES / (inputs * units * 8))));
}

/** Online: the groups [from, to) of networks [first, last) that learn a sequence together (they stop at band ends). */
export function edStackedGroups(first: number, last: number, band: number): [number, number][] {
  const groups: [number, number][] = [];
  for (let c = first; c < last; ) {
    const end = Math.min(last, (Math.floor(c / band) + 1) * band);
    groups.push([c, end]);
    c = end;
  }
  return groups;
}

/**
 * Whether the stacked layout can hold this rule: the plain update, where each sample changes exactly one family;
 * with connectivity < 1 its masks then apply to the rows an update touched (engine/ed-stacked-mask.ts).
 */
export const edStackable = (o: EdOptions) => edPlain({ ...o, connectivity: 1 });

/** The layout's arrays, after the rule's in the same storage (line-aligned: threads write neighbouring columns). */
interface StackArrays {
  /** (N, K·H) in bands: W⁺ + W⁻ and W⁺ of every network side by side. */
  sum: Float32Array;
  plus: Float32Array;
  /** One sample's first layer for every network (K·H): outputs, bias, factors; the groups' update scales. */
  act: Float32Array;
  bias: Float32Array;
  grad: Float32Array;
  rowScale: Float32Array;
  /** A batch's first-layer sums for every network, (maxBatch, K·H) (predictStacked). */
  batch: Float32Array;
  /** The output units' arrays, when they learn as groups (see hasTop). */
  top?: TopArrays;
}

/**
 * Online without RMS normalisation: element [k] of each is the view from network k on (ownAct[k]: network k's H
 * activations alone), except rowScale[from]: the scales of a group starting at network `from`, one cache line per
 * possible start, so that two threads' groups never write one line.
 */
interface WideViews {
  act: Float32Array[];
  ownAct: Float32Array[];
  bias: Float32Array[];
  grad: Float32Array[];
  rowScale: Float32Array[];
}

export class StackedEd extends EdGroupedOutputs {
  private stack!: StackArrays;
  /** Network k's columns of the stacked W⁺ + W⁻ and W⁺ (rows stackLd(k) apart). */
  private sumColumns!: Float32Array[];
  private plusColumns!: Float32Array[];
  private wide!: WideViews | null;
  /** Whether nets[k].w[0] holds the current weights (it is derived from the stacked arrays). */
  private viewsCurrent = true;
  /** connectivity < 1: each network's cut columns of its input layer, per row (listed at the first update). */
  private cuts: MaskCuts[] | null = null;

  constructor(
    options: EdOptions,
    inputs: number,
    classes: number,
    backend: Backend,
    init: Random | { storage: EdStorage },
    maxBatch = 512,
  ) {
    if (!edStackable(options))
      throw new Error('StackedEd: the stacked layout holds the plain rule only (see edStackable)');
    super(options, inputs, classes, backend, init, maxBatch);
    const c = new Carver(this.layoutStorage.floats, this.layoutStorage.ints);
    this.stack = this.carveLayout(c);
    this.sumColumns = this.nets.map((_, k) => this.stack.sum.subarray(this.stackColumn(k)));
    this.plusColumns = this.nets.map((_, k) => this.stack.plus.subarray(this.stackColumn(k)));
    const H = this.shapes[0].out;
    const from = (a: Float32Array, per: number) => this.nets.map((_, k) => a.subarray(k * per));
    const s = this.stack;
    this.wide = options.rmsNorm
      ? null
      : {
          act: from(s.act, H),
          ownAct: this.nets.map((_, k) => s.act.subarray(k * H, (k + 1) * H)),
          bias: from(s.bias, H),
          grad: from(s.grad, H),
          rowScale: from(s.rowScale, ROW_SCALE_STRIDE),
        };
    const fresh = init instanceof Random;
    if (s.top) this.useTop(s.top, s.act, fresh);
    if (fresh) this.nets.forEach((_, k) => this.scatterStacked(k));
  }

  override get layout(): EdLayout {
    return 'stacked';
  }

  override unitInputWeights(k: number, unit: number): Float32Array {
    const ld = this.stackLd(k);
    return Float32Array.from({ length: this.inputs }, (_, i) => this.sumColumns[k][i * ld + unit]);
  }

  override parameters(): Float32Array[] {
    if (!this.viewsCurrent) this.gatherStacked();
    this.viewsCurrent = true;
    return super.parameters();
  }

  override parametersChanged(): void {
    // The views may be older than the stacked arrays (nobody read parameters() since the last update).
    if (!this.viewsCurrent) this.gatherStacked();
    this.viewsCurrent = true;
    super.parametersChanged();
  }

  override learnSequence(seq: SampleSequence): LearnStats[] {
    this.viewsCurrent = false;
    return super.learnSequence(seq);
  }

  protected override runAll(
    op: NetworkOp,
    batch: number,
    dense: boolean,
    index: Int32Array,
    value: Float32Array,
  ): void {
    if (op !== 'predict') this.viewsCurrent = false; // the workers' instances have their own flag
    super.runAll(op, batch, dense, index, value);
  }

  /** Predicts networks [from, to) as one row per sample (see predictStacked). */
  override runNetworks(
    op: NetworkOp,
    from: number,
    to: number,
    batch: number,
    dense: boolean,
    index: Int32Array,
    value: Float32Array,
  ): void {
    if (op === 'predict' && this.wide && to - from > 1) this.predictStacked(from, to, batch, index, value);
    else super.runNetworks(op, from, to, batch, dense, index, value);
  }

  override learnNetworks(from: number, to: number, job: SequenceJob): void {
    if (job.batch !== 1 || !this.wide) return super.learnNetworks(from, to, job);
    // A few networks at a time run the whole sequence, as many as keep their stacked columns in cache.
    const views = this.batchViews(job);
    for (const [c, end] of edStackedGroups(from, to, this.bandSize())) {
      for (let u = 0; u < views.length; u++) this.learnOnlineStacked(c, end, views[u], u, job);
    }
  }

  /** The layout has sparse kernels only (a dense batch is still right through them, only slower). */
  protected override loadBatch(batch: SampleBatch): boolean {
    super.loadBatch(batch);
    return false;
  }

  protected override inputSums(k: number, v: BatchView, act: Float32Array): void {
    this.backend.spmm(
      act,
      v.start,
      v.end,
      v.index,
      v.value,
      this.sumColumns[k],
      v.size,
      this.shapes[0].out,
      this.stackLd(k),
    );
  }

  /** W⁺ + W⁻ learns from every sample, W⁺ only from those with e > 0; W⁻ is their difference. */
  protected override learnInputWeights(k: number, v: BatchView, g: Float32Array): void {
    const r = this.nets[k].rows;
    const H = this.shapes[0].out;
    const ld = this.stackLd(k);
    this.backend.spRankUpdate(this.sumColumns[k], v.start, v.end, v.index, v.value, g, r.any, r.nAny, H, ld);
    this.backend.spRankUpdate(this.plusColumns[k], v.start, v.end, v.index, v.value, g, r.exc, r.nExc, H, ld);
  }

  protected override weightsUpdated(k: number, l: number, v: BatchView): void {
    if (l > 0) return super.weightsUpdated(k, l, v);
    const r = this.nets[k].rows;
    if (this.options.connectivity === 1) return;
    for (let c = 0; c < r.nExc; c++) this.maskInputRows(k, v, r.exc[c], true);
    for (let c = 0; c < r.nInh; c++) this.maskInputRows(k, v, r.inh[c], false);
  }

  protected override refreshForwardWeights(k: number, l: number): void {
    if (l > 0) super.refreshForwardWeights(k, l);
    else if (this.stack) this.scatterStacked(k); // (not yet while the rule initialises: the constructor does it)
  }

  protected override keepsInputSum(): boolean {
    return false;
  }

  protected override carveLayout(c: Carver): StackArrays {
    const H = this.shapes[0].out;
    const K = this.networks;
    const wide = { line: true };
    return {
      sum: c.float32(this.inputs * K * H, wide),
      plus: c.float32(this.inputs * K * H, wide),
      act: c.float32(K * H, wide),
      bias: c.float32(K * H, wide),
      grad: c.float32(K * H, wide),
      rowScale: c.float32(K * ROW_SCALE_STRIDE, wide),
      batch: c.float32(this.maxBatch * K * H, wide),
      top: this.hasTop() ? this.carveTop(c, K, this.shapes[1].srcExc + this.shapes[1].srcInh) : undefined,
    };
  }

  /**
   * Networks per band. Each band's columns are a block of their own, (N, band·H), not rows of K·H: two threads
   * whose networks shared every row (and page) ran ~1.4× slower each than alone, the hardware prefetchers
   * pulling in the lines the other thread writes; in separate blocks they ran as fast as alone.
   */
  private bandSize(): number {
    return edBandSize(this.networks, this.inputs, this.shapes[0].out);
  }

  /** The first network after network k's band. */
  private bandEnd(k: number): number {
    const G = this.bandSize();
    return Math.min(this.networks, (Math.floor(k / G) + 1) * G);
  }

  /** Where network k's first column starts: its band's block (N rows of the band's width), then k's place in it. */
  private stackColumn(k: number): number {
    const G = this.bandSize();
    const band = Math.floor(k / G);
    return band * G * this.inputs * this.shapes[0].out + (k - band * G) * this.shapes[0].out;
  }

  /** Floats between rows of network k's columns (its band's width). */
  private stackLd(k: number): number {
    const G = this.bandSize();
    return (this.bandEnd(k) - Math.floor(k / G) * G) * this.shapes[0].out;
  }

  /** Whether the output units learn as a group (learnTop): online without RMS normalisation, one hidden layer. */
  private hasTop(): boolean {
    return !this.options.rmsNorm && this.shapes.length === 2;
  }

  /**
   * Online: networks [from, to) learn sample `at` with their first layers as one row of (to − from)·H: one
   * forward pass, one sigmoid and one update of W⁺ + W⁻ for all of them (a network whose e = 0 adds exact
   * zeros), the layers above as a group (learnTop) or network by network. Each weight sees the same float
   * operations as in learnRecorded.
   */
  private learnOnlineStacked(from: number, to: number, v: BatchView, at: number, job: SequenceJob): void {
    const { backend: be, options: o, shared: s } = this;
    const wide = this.wide!;
    const H = this.shapes[0].out;
    const ld = this.stackLd(from);
    const n = (to - from) * H;
    const act = wide.act[from];
    be.spmm(act, v.start, v.end, v.index, v.value, this.sumColumns[from], 1, n, ld);
    for (let k = from; k < to; k++) {
      const bias = this.nets[k].bias[0];
      const into = wide.bias[k];
      for (let j = 0; j < H; j++) into[j] = o.beta * (bias[j] + bias[H + j]);
    }
    be.addRow(act, wide.bias[from], 1, n);
    // The sigmoid kernel computes a tail of fewer than 4 elements differently: with H not a multiple of 4, where
    // the tails fall would depend on how many networks share the call.
    if (H % 4 === 0) be.sigmoid(act, act, n, 2 / o.u0);
    else for (let k = from; k < to; k++) be.sigmoid(wide.ownAct[k], wide.ownAct[k], H, 2 / o.u0);
    const amine = this.layerStep[0] * s.lrScale[0];
    let learns = false;
    if (this.top) this.learnTop(wide.act[from], from, to, v, at, job);
    for (let k = from; k < to; k++) {
      const net = this.nets[k];
      if (!this.top) {
        net.act[0].set(wide.ownAct[k]);
        this.learnRecorded(k, v, at, job, 1);
      }
      wide.rowScale[from][k - from] = amine * net.error[0];
      learns ||= net.error[0] !== 0;
    }
    if (!learns) return; // saturated outputs (e = 0 exactly) change nothing
    be.sigmoidGrad(wide.grad[from], act, wide.rowScale[from], s.unitFactor[0], to - from, H);
    be.spRankUpdate(this.sumColumns[from], v.start, v.end, v.index, v.value, wide.grad[from], s.allRows, 1, n, ld);
    for (let k = from; k < to; k++) {
      const net = this.nets[k];
      const e = net.error[0];
      if (e > 0)
        be.spRankUpdate(this.plusColumns[k], v.start, v.end, v.index, v.value, wide.grad[k], s.allRows, 1, H, ld);
      if (e !== 0)
        be.rankUpdate(e > 0 ? net.bias[0] : net.biasInh[0], s.betaColumn, wide.grad[k], s.allRows, 1, 1, H, 1, 0);
      // (v holds this one sample, at row 0)
      if (e !== 0 && o.connectivity < 1) this.maskInputRows(k, v, 0, e > 0);
    }
  }

  /**
   * connectivity < 1: network k's cut weights of the family sample b of v changed (W⁺ if plusLearned), on the
   * input rows it touched, back to 0 (engine/ed-stacked-mask.ts); the cut columns are listed at the first call.
   */
  private maskInputRows(k: number, v: BatchView, b: number, plusLearned: boolean): void {
    this.cuts ??= this.nets.map((net) => maskCuts(net.mask[0], this.inputs, this.shapes[0].out));
    cutTouchedRows(this.sumColumns[k], this.plusColumns[k], this.stackLd(k), this.cuts[k], v, b, plusLearned);
  }

  /**
   * The first layer's sums of networks [from, to) for a loaded batch as one row of (to − from)·H per sample (the
   * wide-row kernel), then each network's own (B, H) copy and the rest of its forward pass. The sums are the
   * same, bit for bit, as network by network.
   */
  private predictStacked(from: number, to: number, batch: number, index: Int32Array, value: Float32Array): void {
    const end = this.bandEnd(from);
    if (end < to) {
      this.predictStacked(from, end, batch, index, value);
      this.predictStacked(end, to, batch, index, value);
      return;
    }
    const s = this.shared;
    const H = this.shapes[0].out;
    const n = (to - from) * H;
    const sums = this.stack.batch.subarray(from * H * this.maxBatch);
    this.backend.spmm(sums, s.start, s.end, index, value, this.sumColumns[from], batch, n, this.stackLd(from));
    const v: BatchView = { size: batch, start: s.start, end: s.end, labels: s.labels, dense: false, index, value };
    for (let k = from; k < to; k++) {
      const act = this.nets[k].act[0];
      const at = (k - from) * H;
      for (let b = 0; b < batch; b++) for (let j = 0; j < H; j++) act[b * H + j] = sums[b * n + at + j];
      this.forward(k, v, 0, true);
    }
  }

  /** Network k's W⁺ and W⁻ (nets[k].w[0]) written into the stacked W⁺ and W⁺ + W⁻. */
  private scatterStacked(k: number): void {
    const H = this.shapes[0].out;
    const N = this.inputs;
    const ld = this.stackLd(k);
    const w0 = this.nets[k].w[0];
    const [sum, plus] = [this.sumColumns[k], this.plusColumns[k]];
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < H; j++) {
        plus[i * ld + j] = w0[i * H + j];
        sum[i * ld + j] = w0[i * H + j] + w0[(N + i) * H + j];
      }
    }
  }

  /** Every network's W⁺ and W⁻ = (W⁺ + W⁻) − W⁺ read back into nets[k].w[0]. */
  private gatherStacked(): void {
    const H = this.shapes[0].out;
    const N = this.inputs;
    this.nets.forEach((net, k) => {
      const ld = this.stackLd(k);
      const w0 = net.w[0];
      const [sum, plus] = [this.sumColumns[k], this.plusColumns[k]];
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < H; j++) {
          w0[i * H + j] = plus[i * ld + j];
          w0[(N + i) * H + j] = sum[i * ld + j] - plus[i * ld + j];
        }
      }
    });
  }
}
