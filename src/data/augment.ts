/**
 * Training-image augmentation (--augment): each epoch, every training image is redrawn from its original bytes —
 * kept as it is with probability ½, otherwise moved by the chosen transforms — and written over its own sparse row
 * in place, so it costs no memory beyond a little slack per row for the interpolating transforms. Seeded (a fork of
 * the run's seed, fresh every epoch); validation and test rows are never touched. Browser-safe.
 *
 * Transforms, applied in this order when several are given (joined by '+', e.g. rotate:10+shift:1):
 * - elastic:A,S  Simard et al. (2003): a random displacement field, uniform in [−1, 1] per pixel, smoothed by a
 *                Gaussian of σ = S pixels and scaled by A (their MNIST values: A 34, σ 4), bilinear sampling;
 * - rotate:D     a rotation about the centre by an angle uniform in [−D, D] degrees, bilinear sampling;
 * - shift:N      a move by (dx, dy), each uniform in {−N … N} pixels, zero fill (N = 1 was the lever that helped).
 */
import { check, UserError } from '../errors.js';
import { Random } from '../random.js';
import type { SparseRows } from './sparse.js';
import type { Split } from './tasks.js';

export interface AugmentSpec {
  shift: number;
  rotate: number;
  elastic: { alpha: number; sigma: number } | null;
}

/** What --augment accepts, for the option schema and messages. */
export const AUGMENT_PATTERN =
  /^\s*(none|((shift:\d+|rotate:\d+(\.\d+)?|elastic:\d+(\.\d+)?,\d+(\.\d+)?)(\s*\+\s*(shift:\d+|rotate:\d+(\.\d+)?|elastic:\d+(\.\d+)?,\d+(\.\d+)?))*))\s*$/;
export const AUGMENT_EXPECTED =
  "none, or transforms joined by '+': shift:N (pixels), rotate:D (degrees), elastic:A,S (Simard's α and σ), " +
  'e.g. shift:1 or rotate:10+shift:1';

/** Parses an --augment value; null for 'none'. */
export function parseAugment(text: string): AugmentSpec | null {
  check(AUGMENT_PATTERN.test(text), `option augment: '${text}' is not understood; expected ${AUGMENT_EXPECTED}`);
  if (text.trim() === 'none') return null;
  const spec: AugmentSpec = { shift: 0, rotate: 0, elastic: null };
  for (const part of text.split('+').map((s) => s.trim())) {
    const [name, arg] = part.split(':');
    if (name === 'shift') spec.shift = Number(arg);
    else if (name === 'rotate') spec.rotate = Number(arg);
    else {
      const [alpha, sigma] = arg.split(',').map(Number);
      check(sigma > 0, `option augment: elastic needs σ > 0, got ${sigma}; e.g. elastic:34,4`);
      spec.elastic = { alpha, sigma };
    }
  }
  check(
    spec.shift <= 8,
    `option augment: shift:${spec.shift} is more than 8 pixels; expected a small shift such as shift:1`,
  );
  check(
    spec.rotate <= 180,
    `option augment: rotate:${spec.rotate} is more than 180 degrees; expected a small angle such as rotate:10`,
  );
  return spec;
}

/** Whether a transform interpolates (a redrawn image may then have more non-zero pixels than its original). */
export const interpolates = (s: AugmentSpec): boolean => s.rotate > 0 || s.elastic !== null;

/** Side of the square images of `inputs` pixels; a clear error for anything else. */
export function imageSide(inputs: number): number {
  const side = Math.round(Math.sqrt(inputs));
  if (side * side !== inputs)
    throw new UserError(
      `option augment: the inputs (${inputs}) are not a square image; augmentation needs square images such ` +
        `as MNIST's 28×28`,
    );
  return side;
}

/**
 * Redraws the training rows of `split` each epoch. `rows` must hold the split's rows with room for each redrawn
 * image (toSparseRows with slack when the transforms interpolate); rows.rowEnd receives each row's new end.
 */
export class Augmenter {
  private readonly rng: Random;
  private readonly side: number;
  private readonly src: Float32Array;
  private readonly out: Float32Array;
  private readonly field: { dx: Float32Array; dy: Float32Array; tmp: Float32Array; kernel: Float32Array } | null;
  /** Bytes (rounded, halos below half a grey level dropped) or floats already in 0…1 (kept as they are). */
  private readonly bytes: boolean;

  constructor(
    readonly spec: AugmentSpec,
    private readonly split: Split,
    private readonly rows: SparseRows,
    private readonly scale: number,
    seed: number,
  ) {
    check(rows.rowEnd !== undefined, 'Augmenter: the rows need a rowEnd array');
    this.side = imageSide(rows.inputs);
    this.bytes = split.x instanceof Uint8Array;
    this.rng = new Random(seed).fork(7);
    this.src = new Float32Array(rows.inputs);
    this.out = new Float32Array(rows.inputs);
    if (spec.elastic) {
      const radius = Math.ceil(3 * spec.elastic.sigma);
      const kernel = Float32Array.from({ length: 2 * radius + 1 }, (_, i) =>
        Math.exp(-((i - radius) ** 2) / (2 * spec.elastic!.sigma ** 2)),
      );
      const sum = kernel.reduce((a, b) => a + b, 0);
      for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
      this.field = {
        dx: new Float32Array(rows.inputs),
        dy: new Float32Array(rows.inputs),
        tmp: new Float32Array(rows.inputs),
        kernel,
      };
    } else this.field = null;
  }

  /** A fresh draw of every training image into its row. */
  epoch(): void {
    const { split, rows, rng } = this;
    const n = rows.inputs;
    for (let s = 0; s < split.count; s++) {
      for (let j = 0; j < n; j++) this.src[j] = split.x[s * n + j];
      const image = rng.next() < 0.5 ? this.src : this.transform();
      this.write(s, image);
    }
  }

  private transform(): Float32Array {
    const { spec, rng, side } = this;
    let image = this.src;
    if (spec.elastic || spec.rotate > 0) {
      const angle = spec.rotate > 0 ? ((rng.next() * 2 - 1) * spec.rotate * Math.PI) / 180 : 0;
      if (this.field) this.drawField();
      this.warp(image, this.out, angle);
      image = this.out;
    }
    if (spec.shift > 0) {
      const dx = rng.int(2 * spec.shift + 1) - spec.shift;
      const dy = rng.int(2 * spec.shift + 1) - spec.shift;
      if (image === this.src) {
        this.out.set(this.src);
        image = this.out;
      }
      shiftInPlace(image, side, dx, dy);
    }
    return image;
  }

  /** out(x, y) = src sampled bilinearly at the rotated point plus the elastic displacement. */
  private warp(src: Float32Array, out: Float32Array, angle: number): void {
    const { side, field } = this;
    const c = (side - 1) / 2;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const i = y * side + x;
        let sx = cos * (x - c) + sin * (y - c) + c;
        let sy = -sin * (x - c) + cos * (y - c) + c;
        if (field) {
          sx += field.dx[i];
          sy += field.dy[i];
        }
        out[i] = bilinear(src, side, sx, sy);
      }
    }
  }

  /** Simard's field: uniform noise in [−1, 1], smoothed by the Gaussian (separably), times α. */
  private drawField(): void {
    const f = this.field!;
    const { alpha } = this.spec.elastic!;
    for (const d of [f.dx, f.dy]) {
      for (let i = 0; i < d.length; i++) d[i] = this.rng.next() * 2 - 1;
      blur(d, f.tmp, this.side, f.kernel, alpha);
    }
  }

  /** Writes the non-zero pixels of `image` over row s, keeping the largest when the row's room is short. */
  private write(s: number, image: Float32Array): void {
    const { rows, scale } = this;
    const start = rows.rowStart[s];
    const room = rows.rowStart[s + 1] - start;
    let q = start;
    let nonZero = 0;
    // Bilinear sampling leaves faint halos; below half a grey level they round to 0, as in a byte image.
    let floor = this.bytes ? 0.5 : 1e-6;
    for (let j = 0; j < image.length; j++) if (image[j] >= floor) nonZero++;
    if (nonZero > room) floor = Math.max(floor, kthLargest(image, room));
    for (let j = 0; j < image.length && q < start + room; j++) {
      const v = image[j];
      if (v < floor) continue;
      rows.index[q] = j;
      rows.value[q] = (this.bytes ? Math.round(v) : v) * scale;
      q++;
    }
    rows.rowEnd![s] = q;
  }
}

function bilinear(src: Float32Array, side: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) => (xx >= 0 && yy >= 0 && xx < side && yy < side ? src[yy * side + xx] : 0);
  return (
    (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
    fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1))
  );
}

/** d ← α · (Gaussian ∗ d), rows then columns, zero outside the image. */
function blur(d: Float32Array, tmp: Float32Array, side: number, kernel: Float32Array, alpha: number): void {
  const r = (kernel.length - 1) / 2;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) if (x + k >= 0 && x + k < side) s += kernel[k + r] * d[y * side + x + k];
      tmp[y * side + x] = s;
    }
  }
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) if (y + k >= 0 && y + k < side) s += kernel[k + r] * tmp[(y + k) * side + x];
      d[y * side + x] = alpha * s;
    }
  }
}

/** Moves the image by (dx, dy) pixels in place; what enters from the edge is 0. */
export function shiftInPlace(image: Float32Array, side: number, dx: number, dy: number): void {
  if (dx === 0 && dy === 0) return;
  // Walk against the direction of the move so that every pixel is read before it is overwritten.
  const ys = dy > 0 ? side - 1 : 0;
  const xs = dx > 0 ? side - 1 : 0;
  const sy = dy > 0 ? -1 : 1;
  const sx = dx > 0 ? -1 : 1;
  for (let y = ys; y >= 0 && y < side; y += sy) {
    for (let x = xs; x >= 0 && x < side; x += sx) {
      const fx = x - dx;
      const fy = y - dy;
      image[y * side + x] = fx >= 0 && fy >= 0 && fx < side && fy < side ? image[fy * side + fx] : 0;
    }
  }
}

/** The k-th largest value of a (k ≥ 1), by sorting a copy (rare: only when a row's room is short). */
function kthLargest(a: Float32Array, k: number): number {
  const sorted = Float32Array.from(a).sort();
  return sorted[Math.max(0, sorted.length - k)];
}
