/**
 * The stacked layout of the ED first layer, the engine's fast path for the plain rule learning online: the K
 * networks' input weights side by side, one row of K·H floats per input (in bands, see bandSize), holding W⁺ + W⁻
 * and W⁺ alone. Each sample changes exactly one family by the amount it adds to the sum, so an update writes the
 * sum, plus W⁺ when e > 0 (one-vs-rest: about one network-sample in ten): fewer passes than keeping W⁺, W⁻ and
 * their sum. W⁻ = sum − W⁺ is derived when parameters() is read, so the model files see the rule's arrays.
 * Online, a group of networks learns a sample as one wide row (learnOnlineStacked) and their output units as a
 * few calls for the group (src/engine/ed-stacked-top.ts); on WebAssembly a whole run, one call per group
 * (edLearnStacked, the same operations). The weights match the per-network layout's within float32 rounding
 * (test/layouts.test.ts).
 */
import type { Backend } from '../kernels/backend.js';
import { Carver } from '../kernels/carve.js';
import type { EdOptions } from '../options/ed.js';
import { Random } from '../random.js';
import type { BatchView, EdStorage, NetworkOp } from '../rules/ed.js';
import { edPlain } from '../rules/ed-shapes.js';
import type { LearnStats, SampleBatch, SampleSequence } from '../rules/rule.js';
import type { EdLayout, SequenceJob } from './ed-engine.js';
import { StackedMasks } from './ed-stacked-mask.js';
import { EdGroupedOutputs, ROW_SCALE_STRIDE, type TopArrays } from './ed-stacked-top.js';
import { edBandSize, edStackedGroups, fromColumns, toColumns } from './ed-stacked-columns.js';
import { stackedPlanWords, writeStackedPlan } from './ed-plan.js';

/** Whether the stacked layout holds the rule: each sample changes one family (masks: engine/ed-stacked-mask.ts). */
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
  /** With them: the plan of the backend's whole-sequence step (edLearnStacked), if it has one. */
  plan?: Int32Array;
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
  private readonly masks: StackedMasks | null; // connectivity < 1: what an update sets back to 0

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
    this.masks = options.connectivity < 1 ? new StackedMasks(this.nets, inputs, this.shapes[0].out) : null;
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
    if (s.top && s.plan) this.writePlan(s.top, s.plan);
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
    const groups = edStackedGroups(from, to, this.bandSize());
    const plan = this.stack.plan;
    if (plan) return groups.forEach(([c, end]) => this.backend.edLearnStacked!(plan, c, end, job, 2 / this.options.u0));
    const views = this.batchViews(job);
    for (const [c, end] of groups) {
      let summed = false;
      for (let u = 0; u < views.length; u++) summed = this.learnOnlineStacked(c, end, views, u, job, summed);
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
    this.masks?.batch(k, this.sumColumns[k], this.plusColumns[k], this.stackLd(k), v, this.nets[k].rows);
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
    const fused = this.hasTop() && this.backend.edLearnStacked && this.options.connectivity === 1; // (no masks)
    return {
      sum: c.float32(this.inputs * K * H, wide),
      plus: c.float32(this.inputs * K * H, wide),
      act: c.float32(K * H, wide),
      bias: c.float32(K * H, wide),
      grad: c.float32(K * H, wide),
      rowScale: c.float32(K * ROW_SCALE_STRIDE, wide),
      batch: c.float32(this.maxBatch * K * H, wide),
      top: this.hasTop() ? this.carveTop(c, K, this.shapes[1].srcExc + this.shapes[1].srcInh) : undefined,
      plan: fused ? c.int32(stackedPlanWords(K)) : undefined,
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

  /** The plan of the backend's whole-sequence step: where this classifier's arrays are. */
  private writePlan(top: TopArrays, plan: Int32Array): void {
    const { act, bias, grad, rowScale } = this.stack;
    const [srcExc, srcInh] = [this.shapes[1].srcExc, this.shapes[1].srcInh];
    const [topW, topBias, topRows, topLd] = [top.w, top.bias, top.rows, top.ld];
    const [K, H] = [this.networks, this.shapes[0].out];
    const [sum, plus, firstBias] = [this.sumColumns, this.plusColumns, this.nets.map((net) => net.bias[0])];
    const ld = this.nets.map((_, k) => this.stackLd(k));
    const arrays = { networks: K, units: H, srcExc, srcInh, topLd, act, bias, grad, rowScale, topW, topBias, topRows };
    writeStackedPlan(plan, { ...arrays, sum, plus, ld, firstBias }, this.shared, this.options.beta, this.layerStep);
  }

  /**
   * Online: networks [from, to) learn sample `at` with their first layers as one row of (to − from)·H: one
   * forward pass, one sigmoid and one update of W⁺ + W⁻ for all of them (a network whose e = 0 adds exact
   * zeros), the layers above as a group (learnTop) or network by network. Each weight sees the same float
   * operations as in learnRecorded. The update of W⁺ + W⁻ computes the next sample's sums on the way (one walk
   * over the rows of both samples, spUpdateForward); `summed`: whether this sample's are already in act. Returns
   * whether the next sample's are.
   */
  private learnOnlineStacked(
    from: number,
    to: number,
    views: BatchView[],
    at: number,
    job: SequenceJob,
    summed: boolean,
  ): boolean {
    const { backend: be, options: o, shared: s } = this;
    const wide = this.wide!;
    const H = this.shapes[0].out;
    const ld = this.stackLd(from);
    const n = (to - from) * H;
    const act = wide.act[from];
    const v = views[at];
    if (!summed) be.spmm(act, v.start, v.end, v.index, v.value, this.sumColumns[from], 1, n, ld);
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
    if (!learns) return false; // saturated outputs (e = 0 exactly) change nothing
    be.sigmoidGrad(wide.grad[from], act, wide.rowScale[from], s.unitFactor[0], to - from, H);
    const sum = this.sumColumns[from];
    const next = at + 1 < views.length && !this.masks; // (a mask cuts the update before the next sample's sums)
    // act is free once the factors are: the next sample's sums go there.
    if (next) be.spUpdateForward(act, sum, job.start, job.end, v.index, v.value, wide.grad[from], at, at + 1, n, ld);
    else be.spRankUpdate(sum, v.start, v.end, v.index, v.value, wide.grad[from], s.allRows, 1, n, ld);
    for (let k = from; k < to; k++) {
      const net = this.nets[k];
      const e = net.error[0];
      if (e > 0)
        be.spRankUpdate(this.plusColumns[k], v.start, v.end, v.index, v.value, wide.grad[k], s.allRows, 1, H, ld);
      if (e !== 0)
        be.rankUpdate(e > 0 ? net.bias[0] : net.biasInh[0], s.betaColumn, wide.grad[k], s.allRows, 1, 1, H, 1, 0);
      if (e !== 0) this.masks?.sample(k, this.sumColumns[k], this.plusColumns[k], ld, v, 0, e > 0); // (v: 1 sample)
    }
    return next;
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
    if (this.top && H % 4 === 0) return this.predictWide(from, to, batch, sums);
    for (let k = from; k < to; k++) {
      const act = this.nets[k].act[0];
      const at = (k - from) * H;
      for (let b = 0; b < batch; b++) for (let j = 0; j < H; j++) act[b * H + j] = sums[b * n + at + j];
      this.forward(k, v, 0, true);
    }
  }

  /**
   * The rest of the forward pass of one hidden layer on the wide rows themselves: bias and sigmoid for the whole
   * row (elementwise, and H a multiple of 4: the sigmoid's vector lanes fall where they do network by network),
   * then each network's output as rowDots of its columns (gemm's sums for one output, bit for bit). No copies.
   */
  private predictWide(from: number, to: number, batch: number, sums: Float32Array): void {
    const { backend: be, options: o } = this;
    const H = this.shapes[0].out;
    const n = (to - from) * H;
    const bias = this.wide!.bias;
    for (let k = from; k < to; k++)
      for (let j = 0; j < H; j++) bias[k][j] = o.beta * (this.nets[k].bias[0][j] + this.nets[k].bias[0][H + j]);
    be.addRow(sums, bias[from], batch, n);
    be.sigmoid(sums, sums, batch * n, 2 / o.u0);
    for (let k = from; k < to; k++) {
      const net = this.nets[k];
      const [y, w, b, eff] = [net.act[1], net.w[1], net.bias[1], net.biasEff[1]];
      be.rowDots(y, sums.subarray((k - from) * H), w, batch, H, n, 0);
      eff[0] = o.beta * (b[0] + b[1]);
      be.addRow(y, eff, batch, 1);
      if (!this.output.linear) be.sigmoid(y, y, batch, 2 / o.u0);
    }
  }

  /** Network k's W⁺ and W⁻ (nets[k].w[0]) written into the stacked W⁺ and W⁺ + W⁻. */
  private scatterStacked(k: number): void {
    const [N, H] = [this.inputs, this.shapes[0].out];
    toColumns(this.nets[k].w[0], this.sumColumns[k], this.plusColumns[k], N, H, this.stackLd(k));
  }

  /** Every network's W⁺ and W⁻ = (W⁺ + W⁻) − W⁺ read back into nets[k].w[0]. */
  private gatherStacked(): void {
    const [N, H] = [this.inputs, this.shapes[0].out];
    this.nets.forEach((n, k) => fromColumns(n.w[0], this.sumColumns[k], this.plusColumns[k], N, H, this.stackLd(k)));
  }
}
