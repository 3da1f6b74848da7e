/**
 * The 2-D panel: ED's and backprop's decision heat maps (P(class 1) over [−1, 1]², updated while they train) with
 * the training and validation points on top, side by side. The pale tint shows P; the boundary (P = ½) is a dark
 * line and every point has a dark outline, so that both keep 3:1 against any tint (palette.ts); class 0 points are
 * circles and class 1 points squares, so that the classes differ by more than hue.
 */
import { CLASS_RGB, INK, tint } from '../palette';
import { $ } from './dom';
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
    image.data.set([...tint(field[i]), 255], 4 * i);
  }
  const cells = new OffscreenCanvas(side, side);
  cells.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, size, size);
  drawBoundary(ctx, side, field, size / side);
  if (points) {
    for (let i = 0; i < points.xs.length; i++) {
      const label = points.labels[i];
      const [r, g, b] = CLASS_RGB[label];
      const x = ((points.xs[i] + 1) / 2) * size;
      const y = ((1 - points.ys[i]) / 2) * size;
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.strokeStyle = INK;
      ctx.lineWidth = 1;
      ctx.beginPath();
      if (label === 0) ctx.arc(x, y, 2.5, 0, 2 * Math.PI);
      else ctx.rect(x - 2.5, y - 2.5, 5, 5);
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

/** The decision boundary: the cell edges where P crosses ½, as one dark path. */
function drawBoundary(ctx: CanvasRenderingContext2D, side: number, field: Float32Array, cell: number): void {
  const above = (x: number, y: number) => field[y * side + x] > 0.5;
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      if (x + 1 < side && above(x, y) !== above(x + 1, y)) {
        ctx.moveTo((x + 1) * cell, y * cell);
        ctx.lineTo((x + 1) * cell, (y + 1) * cell);
      }
      if (y + 1 < side && above(x, y) !== above(x, y + 1)) {
        ctx.moveTo(x * cell, (y + 1) * cell);
        ctx.lineTo((x + 1) * cell, (y + 1) * cell);
      }
    }
  ctx.stroke();
}
