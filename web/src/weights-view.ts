/**
 * One hidden unit's effective input weights as an image: red where a pixel excites the unit, blue where it
 * inhibits it, white at zero; colour scaled by the unit's largest |w| so that every unit is readable.
 */

const SCALE = 6;

/** Draws `values` (side × side, row by row) and returns the largest |w| (the full-colour value). */
export function drawWeights(canvas: HTMLCanvasElement, values: Float32Array, side: number): number {
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  const size = side * SCALE;
  canvas.width = size;
  canvas.height = size;
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const image = ctx.createImageData(size, size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = values[Math.floor(y / SCALE) * side + Math.floor(x / SCALE)];
      const a = max > 0 ? Math.round((255 * Math.abs(v)) / max) : 0;
      const rgb = v >= 0 ? [255, 255 - a, 255 - a] : [255 - a, 255 - a, 255];
      image.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * (y * size + x));
    }
  }
  ctx.putImageData(image, 0, 0);
  return max;
}
