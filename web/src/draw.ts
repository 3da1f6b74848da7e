/**
 * The drawing pad and the MNIST-style preprocessing that turns a drawing into what the model was trained on:
 * LeCun's digits were size-normalised to fit a 20×20 box (aspect kept, anti-aliased) and then placed in 28×28
 * so that their centre of mass sits at the centre. A raw 280×280 drawing scaled down whole looks nothing like it.
 */

export const SIDE = 28;
const BOX = 20;
const PEN_WIDTH = 22;

/** White strokes on black, by mouse, pen or touch (pointer events cover all three). */
export class DrawingPad {
  private readonly ctx: CanvasRenderingContext2D;
  private last: { x: number; y: number } | null = null;
  private inked = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onChange: () => void,
  ) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('draw: this browser gives no 2D canvas context');
    this.ctx = ctx;
    this.wipe();
    canvas.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.stroke(this.last, this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.last) return;
      e.preventDefault();
      const p = this.point(e);
      this.stroke(this.last, p);
      this.last = p;
    });
    const end = () => {
      this.last = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    // A stroke dragged over text must not select it (user-select covers the panel; this, the rest of the page).
    document.addEventListener('selectstart', (e) => {
      if (this.last) e.preventDefault();
    });
  }

  clear(): void {
    this.wipe();
    this.onChange();
  }

  private wipe(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
  }

  /** The drawing as a 28×28 MNIST-style image, or null when nothing is drawn. */
  image(): Uint8Array | null {
    if (!this.inked) return null;
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const grey = new Uint8Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[4 * i];
    return preprocess(grey, width, height);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * this.canvas.width) / r.width,
      y: ((e.clientY - r.top) * this.canvas.height) / r.height,
    };
  }

  private stroke(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const { ctx } = this;
    if (a.x === b.x && a.y === b.y) {
      // A tap: a dot (a zero-length line draws nothing in some browsers, round cap or not).
      ctx.fillStyle = '#fff';
      ctx.beginPath();
      ctx.arc(a.x, a.y, PEN_WIDTH / 2, 0, 2 * Math.PI);
      ctx.fill();
      this.inked = true;
      this.onChange();
      return;
    }
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    this.inked = true;
    this.onChange();
  }
}

/**
 * grey (width × height, 0…255, ink bright) → 28×28: crop to the ink's bounding box, scale so the larger side is
 * 20 px (area averaging, aspect kept), paste so the centre of mass lands at (14, 14). Null if there is no ink.
 */
export function preprocess(grey: ArrayLike<number>, width: number, height: number): Uint8Array | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = BOX / Math.max(w, h);
  const tw = Math.max(1, Math.min(BOX, Math.round(w * scale)));
  const th = Math.max(1, Math.min(BOX, Math.round(h * scale)));
  const small = resampleArea(grey, width, x0, y0, w, h, tw, th);

  // Centre of mass in pixel-centre coordinates; the 28×28 image's centre is (14, 14).
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  // Shift by whole pixels (as MNIST did), clamped so that no ink falls off the edge.
  const ox = Math.min(SIDE - tw, Math.max(0, Math.round(SIDE / 2 - mx / mass)));
  const oy = Math.min(SIDE - th, Math.max(0, Math.round(SIDE / 2 - my / mass)));
  const out = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) out[(y + oy) * SIDE + x + ox] = Math.round(Math.min(255, small[y * tw + x]));
  }
  return out;
}

/**
 * The w × h region at (x0, y0) of `src` (row length `stride`) resampled to tw × th by area averaging: each
 * output pixel is the mean of the source area it covers, counting partly covered pixels by their overlap.
 */
function resampleArea(
  src: ArrayLike<number>,
  stride: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  tw: number,
  th: number,
): Float32Array {
  const sx = w / tw;
  const sy = h / th;
  const out = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    const top = ty * sy;
    const bottom = top + sy;
    for (let tx = 0; tx < tw; tx++) {
      const left = tx * sx;
      const right = left + sx;
      let sum = 0;
      for (let y = Math.floor(top); y < Math.min(h, Math.ceil(bottom)); y++) {
        const cy = Math.min(bottom, y + 1) - Math.max(top, y);
        for (let x = Math.floor(left); x < Math.min(w, Math.ceil(right)); x++) {
          const cx = Math.min(right, x + 1) - Math.max(left, x);
          sum += cx * cy * src[(y0 + y) * stride + x0 + x];
        }
      }
      out[ty * tw + tx] = sum / (sx * sy);
    }
  }
  return out;
}

/** Shows a 28×28 image (0…255) on a canvas of that size; CSS scales it up without smoothing. */
export function showImage(canvas: HTMLCanvasElement, image: Uint8Array | null): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  canvas.width = SIDE;
  canvas.height = SIDE;
  const data = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = image ? image[i] : 0;
    data.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(data, 0, 0);
}
