/**
 * Every colour the lab's graphics draw with (charts, the network drawing, the decision heat maps, the CartPole
 * panel), in one place: test/lab-contrast.test.ts holds each line, mark and outline to WCAG 2.2's 3:1 non-text
 * contrast (1.4.11) against what it is drawn on, and text to 4.5:1 (1.4.3). Imports nothing, for that test.
 */

/** The panels' background: every canvas is drawn on it (the drawing pad and digit images are black: their own). */
export const BACKGROUND = '#ffffff';
/** Excitatory units, positive synapses, ED's curves, class 1 ("orange") of a 2-D dataset, the CartPole pole. */
export const RED = '#c0392b';
/** Inhibitory units, negative synapses, backprop's curves, class 0 of a 2-D dataset, CartPole's mean return. */
export const BLUE = '#2471a3';
/** The amine and the chart's marker at the selected update. */
export const AMINE = '#1e7b34';
/** Outlines of the 2-D points, the decision boundary, captions on the network drawing, the CartPole cart. */
export const INK = '#1a1a1a';
/** Earlier runs (ghost curves) and CartPole's single episodes: grey, still 3:1. */
export const GHOST = '#8a8a8a';
/** Axes and frames. */
export const FRAME = '#767676';
/** Grid lines (dotted, so that 3:1 stays light on the eye). */
export const GRID = '#949494';
/** Text on the charts: tick labels, legends, the marker's label. */
export const TEXT = '#444444';
export const MARKER_TEXT = '#1e6b2f';

/** The two classes of a 2-D dataset, as RGB. */
export const CLASS_RGB = [
  [36, 113, 163],
  [192, 57, 43],
] as const;

/**
 * The heat map's tint for P(class 1) = p: a blend of the two class colours, pale (45 % of the way from white) so
 * that the points and the boundary drawn over it stand out.
 */
export function tint(p: number): [number, number, number] {
  const mix = (c: number) => Math.round(255 - 0.45 * (255 - ((1 - p) * CLASS_RGB[0][c] + p * CLASS_RGB[1][c])));
  return [mix(0), mix(1), mix(2)];
}

/** The graphics' colour pairs that must contrast: [what, foreground, background, the ratio required]. */
export function contrastPairs(): [string, string, string, number][] {
  const hex = (rgb: readonly number[]) => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  const lines: [string, string][] = [
    ['red (excitatory, positive, ED)', RED],
    ['blue (inhibitory, negative, backprop)', BLUE],
    ['amine and selected-update marker', AMINE],
    ['ghost curves and single CartPole episodes', GHOST],
    ['axes and frames', FRAME],
    ['grid lines', GRID],
    ['outlines and captions', INK],
  ];
  const pairs: [string, string, string, number][] = lines.map(([what, c]) => [what, c, BACKGROUND, 3]);
  pairs.push(['chart text', TEXT, BACKGROUND, 4.5], ['marker label', MARKER_TEXT, BACKGROUND, 4.5]);
  // Over a heat map: the points' outlines and the boundary against every tint, and each point's fill against
  // its outline (the fill tells the class; the outline separates it from the tint).
  for (const p of [0, 0.5, 1]) {
    pairs.push([`point outline and boundary over the tint at p = ${p}`, INK, hex(tint(p)), 3]);
  }
  for (const [k, rgb] of CLASS_RGB.entries()) pairs.push([`class ${k} point inside its outline`, hex(rgb), INK, 3]);
  return pairs;
}
