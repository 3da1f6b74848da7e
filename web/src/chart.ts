/**
 * A small line chart on a canvas, without dependencies: validation accuracy (y, fraction shown as %) against
 * updates (x), one line per rule. Redrawn whole on every call; a few hundred points cost nothing.
 */
import { AMINE, FRAME, GRID, MARKER_TEXT, TEXT } from './palette';

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
  /** A dashed line (ghosts of earlier runs, training accuracy), and its width (2 when absent). */
  dash?: number[];
  width?: number;
}

/** A vertical line at an update, labelled (the validation-selected update). */
export interface Marker {
  x: number;
  label: string;
}

const PAD = { left: 48, right: 28, top: 44, bottom: 34 };

export class LineChart {
  /** The x range of the last drawing, to turn a pointer position into an update (hover read-outs). */
  private xHi = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** The update under a pointer at `clientX`, or null outside the plot. */
  updateAt(clientX: number): number | null {
    const r = this.canvas.getBoundingClientRect();
    const plotW = r.width - PAD.left - PAD.right;
    const f = (clientX - r.left - PAD.left) / plotW;
    return f < 0 || f > 1 ? null : f * this.xHi;
  }

  /** `xMax`: the run's total updates, so the axis does not jump as the lines grow. */
  draw(series: Series[], xMax: number, marker?: Marker): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    // Match the canvas to its CSS size and the screen's pixel ratio, so lines stay sharp.
    const dpr = window.devicePixelRatio || 1;
    const cssW = this.canvas.clientWidth || 480;
    const cssH = this.canvas.clientHeight || 240;
    this.canvas.width = Math.round(cssW * dpr);
    this.canvas.height = Math.round(cssH * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);

    const ys = series.flatMap((s) => s.points.map((p) => p.y));
    // Start the y axis at the lowest tenth reached, so that the last few percent are readable.
    const yMin = ys.length ? Math.max(0, Math.floor(Math.min(...ys) * 10) / 10) : 0;
    const yMax = 1;
    const xHi = Math.max(1, xMax);
    this.xHi = xHi;
    const plotW = cssW - PAD.left - PAD.right;
    const plotH = cssH - PAD.top - PAD.bottom;
    const sx = (x: number) => PAD.left + (x / xHi) * plotW;
    const sy = (y: number) => PAD.top + (1 - (y - yMin) / (yMax - yMin || 1)) * plotH;

    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = GRID;
    ctx.fillStyle = TEXT;
    ctx.setLineDash([1, 3]);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const y of ticks(yMin, yMax)) {
      ctx.beginPath();
      ctx.moveTo(PAD.left, sy(y));
      ctx.lineTo(PAD.left + plotW, sy(y));
      ctx.stroke();
      ctx.fillText(`${Math.round(y * 1000) / 10}`, PAD.left - 6, sy(y));
    }
    ctx.setLineDash([]);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const x of ticks(0, xHi).filter(Number.isInteger)) ctx.fillText(String(x), sx(x), PAD.top + plotH + 4);
    ctx.fillText('updates', PAD.left + plotW / 2, PAD.top + plotH + 18);
    ctx.save();
    ctx.translate(12, PAD.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('validation accuracy (%)', 0, -6);
    ctx.restore();
    ctx.strokeStyle = FRAME;
    ctx.strokeRect(PAD.left, PAD.top, plotW, plotH);

    if (marker) {
      ctx.strokeStyle = AMINE;
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      ctx.moveTo(sx(marker.x), PAD.top);
      ctx.lineTo(sx(marker.x), PAD.top + plotH);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = MARKER_TEXT;
      ctx.textAlign = sx(marker.x) > PAD.left + plotW / 2 ? 'right' : 'left';
      ctx.fillText(marker.label, sx(marker.x) + (ctx.textAlign === 'right' ? -4 : 4), PAD.top + plotH - 8);
    }
    let legendX = PAD.left;
    let legendY = 10;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = s.width ?? 2;
      ctx.setLineDash(s.dash ?? []);
      ctx.beginPath();
      s.points.forEach((p, i) => (i === 0 ? ctx.moveTo(sx(p.x), sy(p.y)) : ctx.lineTo(sx(p.x), sy(p.y))));
      ctx.stroke();
      // Mark the latest point, so that a line of one evaluation is visible too.
      const last = s.points[s.points.length - 1];
      ctx.fillStyle = s.color;
      if (last) {
        ctx.beginPath();
        ctx.arc(sx(last.x), sy(last.y), 3, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.setLineDash([]);
      const w = 28 + ctx.measureText(s.name).width;
      if (legendX + w > cssW && legendX > PAD.left) {
        legendX = PAD.left;
        legendY += 12;
      }
      ctx.fillRect(legendX, legendY - 2, 14, 3);
      ctx.fillStyle = TEXT;
      ctx.fillText(s.name, legendX + 18, legendY);
      legendX += w;
    }
  }
}

/** About five round tick values from lo to hi (steps of 1, 2 or 5 × 10ⁿ). */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
