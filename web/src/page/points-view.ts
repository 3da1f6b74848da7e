/**
 * The 2-D panel: ED's and backprop's decision heat maps (P(class 1) over [−1, 1]², updated while they train) with
 * the training and validation points on top, side by side.
 */
import { $ } from './dom';

/** Class 0 and class 1: blue and orange, each ≥ 3:1 against white and against each other's light tint. */
const CLASS = [
  [36, 113, 163],
  [192, 57, 43],
] as const;
let points: { xs: Float32Array; ys: Float32Array; labels: Uint8Array } | null = null;

export function setPoints(p: typeof points): void {
  points = p;
}

export function showPointsPanel(on: boolean, compareBp: boolean): void {
  $('points-panel').hidden = !on;
  $('draw-panel').hidden = on;
  $('points-bp').hidden = !compareBp;
}

export function drawField(id: 'points-ed-canvas' | 'points-bp-canvas', side: number, field: Float32Array): void {
  const canvas = $<HTMLCanvasElement>(id);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const size = canvas.width;
  // The heat map: each cell a tint between the two class colours, pale so that the points stand out.
  const image = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const p = field[i];
    for (let c = 0; c < 3; c++)
      image.data[4 * i + c] = Math.round(255 - 0.45 * (255 - ((1 - p) * CLASS[0][c] + p * CLASS[1][c])));
    image.data[4 * i + 3] = 255;
  }
  const cells = new OffscreenCanvas(side, side);
  cells.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, size, size);
  if (points) {
    for (let i = 0; i < points.xs.length; i++) {
      const [r, g, b] = CLASS[points.labels[i]];
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.arc(((points.xs[i] + 1) / 2) * size, ((1 - points.ys[i]) / 2) * size, 2.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
  let agree = 0;
  if (points)
    for (let i = 0; i < points.xs.length; i++) {
      const cx = Math.min(side - 1, Math.floor(((points.xs[i] + 1) / 2) * side));
      const cy = Math.min(side - 1, Math.floor(((1 - points.ys[i]) / 2) * side));
      if ((field[cy * side + cx] > 0.5 ? 1 : 0) === points.labels[i]) agree++;
    }
  const who = id === 'points-ed-canvas' ? 'ED' : 'backprop';
  canvas.setAttribute(
    'aria-label',
    `${who}'s decision heat map over the plane, with ${points?.xs.length ?? 0} points; ` +
      `its boundary puts ${agree} of them on their own class's side`,
  );
}
