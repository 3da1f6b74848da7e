/**
 * Inputs that are not sparse. MNIST's strokes thickened (grey-level dilation, along rows and columns in turn)
 * until a share of the pixels is non-zero: real images and labels at Fashion-MNIST's density (≈ 50 %) for the
 * training rows, and a ladder of densities on which the first layer's sparse kernels are timed against the dense
 * ones at the shapes training runs, so that the cut-over between them is measured rather than guessed.
 */
import type { Backend } from '../kernels/backend.js';
import type { Split, Task } from '../data/tasks.js';
import { toSparseRows } from '../data/sparse.js';
import { Random } from '../random.js';
import { timeIt } from './stats.js';

/** Fashion-MNIST's share of non-zero pixels (≈ 50 %, against MNIST's 19 %). */
export const FASHION_DENSITY = 0.5;

const nonZeroShare = (x: Uint8Array) => {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) n++;
  return n / Math.max(1, x.length);
};

/** Each pixel becomes the brightest of itself and its two neighbours along rows (or columns). */
function dilate(x: Uint8Array, side: number, alongRows: boolean): Uint8Array {
  const out = new Uint8Array(x.length);
  const step = alongRows ? 1 : side;
  for (let p = 0; p < x.length; p++) {
    const at = p % (side * side);
    const pos = alongRows ? at % side : Math.floor(at / side);
    let v = x[p];
    if (pos > 0) v = Math.max(v, x[p - step]);
    if (pos < side - 1) v = Math.max(v, x[p + step]);
    out[p] = v;
  }
  return out;
}

/**
 * Square images dilated one direction at a time until at least `share` of their
 * pixels are non-zero; each step's images.
 */
export function dilationLadder(x: Uint8Array, inputs: number, share: number): Uint8Array[] {
  const side = Math.round(Math.sqrt(inputs));
  if (side * side !== inputs) throw new Error(`bench: density: ${inputs} inputs are not a square image`);
  const ladder = [x];
  while (nonZeroShare(ladder[ladder.length - 1]) < share && ladder.length < 64)
    ladder.push(dilate(ladder[ladder.length - 1], side, ladder.length % 2 === 1));
  return ladder;
}

const denser = (split: Split, inputs: number, share: number): Split => {
  const ladder = dilationLadder(split.x as Uint8Array, inputs, share);
  return { ...split, x: ladder[ladder.length - 1] };
};

/** The task with every image dilated to at least `share` non-zero pixels (same labels, same splits). */
export function denserTask(task: Task, share = FASHION_DENSITY): Task {
  const train = denser(task.train, task.inputs, share);
  const pct = (100 * nonZeroShare(train.x as Uint8Array)).toFixed(0);
  return {
    ...task,
    name: `${task.name}, strokes thickened to ${pct} % non-zero`,
    train,
    validation: denser(task.validation, task.inputs, share),
    test: denser(task.test, task.inputs, share),
    source: { ...task.source, fingerprint: `${task.source.fingerprint}-dilated-${share}` },
  };
}

export interface CutoverRow {
  /** The first layer timed: batch × inputs × columns. */
  shape: string;
  density: number;
  /**
   * µs per batch: sparse (spmm + spRankUpdate; online, spUpdateForward) and dense (densify + gemm + rankUpdate)
   * forward and update.
   */
  sparseUs: number;
  denseUs: number;
}

export interface Cutover {
  backend: string;
  rows: CutoverRow[];
  /**
   * Per shape: the density where the dense kernels become as fast as the sparse ones (interpolated), or null if they
   * never do up to the top of the ladder.
   */
  crossings: { shape: string; density: number | null; topDensity: number }[];
}

/** Where dense − sparse changes sign along a shape's rows (sorted by density), linearly interpolated. */
function crossing(rows: CutoverRow[]): number | null {
  for (let i = 0; i < rows.length; i++) {
    const d = rows[i].denseUs - rows[i].sparseUs;
    if (d > 0) continue;
    if (i === 0) return rows[0].density;
    const p = rows[i - 1].denseUs - rows[i - 1].sparseUs;
    return rows[i - 1].density + (rows[i].density - rows[i - 1].density) * (p / (p - d));
  }
  return null;
}

/**
 * Times one first layer (forward and the update of every sample) both ways on real images at each density of the
 * dilation ladder, up to `top`: batches of 64 into 16 columns (the seed preset), and single samples into `wide`
 * columns (online stacked kaneko-mnist: 10 networks × 64).
 */
export function benchCutover(
  be: Backend,
  train: Split,
  inputs: number,
  scale: number,
  wide: number,
  top = 0.9,
): Cutover {
  const rng = new Random(5);
  const samples = 64;
  const ladder = dilationLadder(train.x.subarray(0, samples * inputs) as Uint8Array, inputs, top);
  const rows: CutoverRow[] = [];
  const shapes = [
    { batch: 64, n: 16 },
    { batch: 1, n: wide },
  ];
  for (const { batch, n } of shapes) {
    const w = be.alloc(inputs * n);
    for (let i = 0; i < w.length; i++) w[i] = rng.next() * 0.1;
    const out = be.alloc(batch * n);
    const g = be.alloc(batch * n);
    for (let i = 0; i < g.length; i++) g[i] = (rng.next() - 0.5) * 1e-6;
    const xDense = be.alloc(batch * inputs);
    const all = be.allocInt(batch);
    for (let i = 0; i < batch; i++) all[i] = i;
    const start = be.allocInt(batch);
    const end = be.allocInt(batch);
    for (const x of ladder) {
      const sparse = toSparseRows({ x, labels: new Uint8Array(samples), count: samples }, inputs, scale, be);
      const [rowStart, rowEnd] = [be.allocInt(samples), be.allocInt(samples)];
      rowStart.set(sparse.rowStart.subarray(0, samples));
      rowEnd.set(sparse.rowStart.subarray(1, samples + 1));
      // Every timed call runs the batches of the 64 samples, so that each shape sees the same images.
      const batches = samples / batch;
      const load = (u: number) => {
        for (let i = 0; i < batch; i++) {
          start[i] = sparse.rowStart[u * batch + i];
          end[i] = sparse.rowStart[u * batch + i + 1];
        }
      };
      // Online, as training runs it: each sample's update computes the next sample's sums (spUpdateForward).
      const sparseRun = () => {
        for (let u = 0; u < batches; u++) {
          load(u);
          if (batch > 1 || u === 0) be.spmm(out, start, end, sparse.index, sparse.value, w, batch, n);
          if (batch === 1 && u + 1 < batches)
            be.spUpdateForward(out, w, rowStart, rowEnd, sparse.index, sparse.value, g, u, u + 1, n);
          else be.spRankUpdate(w, start, end, sparse.index, sparse.value, g, all, batch, n);
        }
      };
      const denseRun = () => {
        for (let u = 0; u < batches; u++) {
          load(u);
          be.densify(xDense, start, end, sparse.index, sparse.value, batch, inputs);
          be.gemm(out, xDense, w, batch, inputs, n);
          be.rankUpdate(w, xDense, g, all, batch, inputs, n, inputs, 0);
        }
      };
      // Alternating, so that the machine's load falls on both alike.
      const s: number[] = [];
      const d: number[] = [];
      for (let r = 0; r < 3; r++) {
        s.push(timeIt(sparseRun, { repeats: 3, warmup: 1, minSeconds: 0.01 }).seconds);
        d.push(timeIt(denseRun, { repeats: 3, warmup: 1, minSeconds: 0.01 }).seconds);
      }
      const per = 1e6 / batches;
      rows.push({
        shape: `${batch}×${inputs}×${n}`,
        density: sparse.density,
        sparseUs: Math.min(...s) * per,
        denseUs: Math.min(...d) * per,
      });
    }
  }
  const crossings = shapes.map(({ batch, n }) => {
    const mine = rows.filter((r) => r.shape === `${batch}×${inputs}×${n}`);
    return { shape: mine[0].shape, density: crossing(mine), topDensity: mine[mine.length - 1].density };
  });
  return { backend: be.name, rows, crossings };
}
