/**
 * The lab's 2-D datasets, TensorFlow playground's four — circle, xor2d, gauss, spiral — as a library Dataset that
 * ED can learn from. ED's inputs must be non-negative (its excitatory and inhibitory paths carry the sign), so a
 * point (x, y) in [−1, 1]² is encoded as GRID × GRID Gaussian bumps: input k is exp(−d²/2σ²) of the point's
 * distance d to the k-th centre of a regular grid, stored as a byte (0…255, scaled back to 0…1 by the task, as
 * MNIST pixels are). Most bumps round to 0, so the rows stay sparse.
 */
import { type Dataset, Random } from 'edlearn/browser';

export const POINT_TASKS = ['circle', 'xor2d', 'gauss', 'spiral'] as const;
export type PointTask = (typeof POINT_TASKS)[number];
export const isPointTask = (task: string): task is PointTask => (POINT_TASKS as readonly string[]).includes(task);

/** Bumps per side: GRID² inputs, shown by the weights view as a GRID × GRID image of the plane. */
export const GRID = 10;
const SIGMA = 2 / (GRID - 1);
/** Training (+ validation) and test points, as in TF playground's 500-point sets, twice over. */
const TRAIN_POINTS = 1000;
const TEST_POINTS = 500;

export interface Point2 {
  x: number;
  y: number;
  label: number;
}

/** `count` points of `task` with `noise` (0…0.5: a share of the plane's half-width), from `rng`. */
export function makePoints(task: PointTask, count: number, noise: number, rng: Random): Point2[] {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const points: Point2[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    let x: number;
    let y: number;
    switch (task) {
      case 'circle': {
        // Inside a disc of radius 0.5 (class 0) or in a ring 0.7…1 around it (class 1).
        const r = label === 0 ? 0.5 * Math.sqrt(rng.next()) : 0.7 + 0.3 * rng.next();
        const a = 2 * Math.PI * rng.next();
        [x, y] = [r * Math.cos(a), r * Math.sin(a)];
        break;
      }
      case 'xor2d': {
        // Class 1 where x and y have opposite signs, kept a little off the axes.
        const sx = rng.next() < 0.5 ? -1 : 1;
        const sy = label === 1 ? -sx : sx;
        [x, y] = [sx * (0.05 + 0.9 * rng.next()), sy * (0.05 + 0.9 * rng.next())];
        break;
      }
      case 'gauss': {
        const c = label === 0 ? -0.45 : 0.45;
        [x, y] = [c + 0.2 * gauss(), c + 0.2 * gauss()];
        break;
      }
      case 'spiral': {
        // Two interleaved arms, 1.25 turns each.
        const t = rng.next();
        const r = 0.9 * t;
        const a = 2.5 * Math.PI * t + label * Math.PI;
        [x, y] = [r * Math.sin(a), r * Math.cos(a)];
        break;
      }
    }
    x += noise * gauss() * 0.5;
    y += noise * gauss() * 0.5;
    points.push({ x: clamp(x), y: clamp(y), label });
  }
  return points;
}

const clamp = (v: number) => Math.min(1, Math.max(-1, v));

/** The GRID² bump inputs of one point, written into `out` at `at`. */
export function encodePoint(x: number, y: number, out: Uint8Array, at: number): void {
  for (let gy = 0; gy < GRID; gy++) {
    for (let gx = 0; gx < GRID; gx++) {
      const dx = x - (-1 + (2 * gx) / (GRID - 1));
      const dy = y - (1 - (2 * gy) / (GRID - 1));
      out[at + gy * GRID + gx] = Math.round(255 * Math.exp(-(dx * dx + dy * dy) / (2 * SIGMA * SIGMA)));
    }
  }
}

function imageSet(points: Point2[]): Dataset['train'] {
  const N = GRID * GRID;
  const images = new Uint8Array(points.length * N);
  points.forEach((p, i) => encodePoint(p.x, p.y, images, i * N));
  return { images, labels: Uint8Array.from(points, (p) => p.label), count: points.length };
}

/** A dataset of `task`'s points (training and test drawn apart, from `seed`), and the points themselves. */
export function pointDataset(
  task: PointTask,
  noise: number,
  seed: number,
): { dataset: Dataset; train: Point2[]; test: Point2[] } {
  const rng = new Random(seed);
  const train = makePoints(task, TRAIN_POINTS, noise, rng);
  const test = makePoints(task, TEST_POINTS, noise, rng);
  const name = `${task} (noise ${noise}, data seed ${seed})`;
  const dataset: Dataset = {
    name,
    rows: GRID,
    cols: GRID,
    classes: 2,
    train: imageSet(train),
    test: imageSet(test),
    sha256: { trainImages: '', trainLabels: '', testImages: '', testLabels: '' },
    fingerprint: name,
  };
  return { dataset, train, test };
}

/** The `side` × `side` grid of points over [−1, 1]² (row 0 at the top, y = 1) as encoded inputs, for the heat map. */
export function gridImages(side: number): Uint8Array[] {
  const N = GRID * GRID;
  return Array.from({ length: side * side }, (_, i) => {
    const out = new Uint8Array(N);
    encodePoint(-1 + (2 * ((i % side) + 0.5)) / side, 1 - (2 * (Math.floor(i / side) + 0.5)) / side, out, 0);
    return out;
  });
}
