/**
 * A box code (docs/ed-method.md, "ed-columns with a critic"): the state space cut into a grid of boxes, each box
 * one input that is 1 while the state is inside it and 0 otherwise. Barto, Sutton & Anderson (1983) decode the
 * cart-pole this way into 162 boxes, so that what is learned about one box does not move the others: the credit
 * of a TD error stays local. `tilings` > 1 lays that many copies of the grid, each shifted by a fraction of a
 * cell (tile coding): one input per tiling is on, so nearby states share some inputs and generalise a little.
 * Browser-safe.
 */
import { type Encoding, rbfEncoding } from './encoding.js';

/**
 * BSA's cut points of the cart-pole's (x, ẋ, θ, θ̇): x at ±0.8 m, ẋ at ±0.5 m/s, θ at 0, ±1°, ±6°, θ̇ at ±50°/s,
 * giving 3 × 3 × 6 × 3 = 162 boxes (the ends, ±2.4 m and ±12°, are the failure limits).
 */
const DEG = Math.PI / 180;
export const CARTPOLE_BOXES: readonly (readonly number[])[] = [
  [-0.8, 0.8],
  [-0.5, 0.5],
  [-6 * DEG, -1 * DEG, 0, 1 * DEG, 6 * DEG],
  [-50 * DEG, 50 * DEG],
];

/** The bin of v among ascending cut points (0 … cuts.length). */
export function binOf(v: number, cuts: readonly number[]): number {
  let i = 0;
  while (i < cuts.length && v >= cuts[i]) i++;
  return i;
}

/**
 * One-hot boxes of the product of each variable's bins (cuts[i] ascending). With `tilings` T > 1, tiling t shifts
 * every variable's cut points by (t / T − ½) of that variable's mean cell width (a variable with no inner cell
 * keeps its cuts); the features are the T one-hot codes side by side.
 */
export function boxEncoding(cuts: readonly (readonly number[])[] = CARTPOLE_BOXES, tilings = 1): Encoding {
  const sizes = cuts.map((c) => c.length + 1);
  const boxes = sizes.reduce((a, b) => a * b, 1);
  const widths = cuts.map((c) => (c.length > 1 ? (c[c.length - 1] - c[0]) / (c.length - 1) : 0));
  const shifted = Array.from({ length: tilings }, (_, t) =>
    cuts.map((c, i) => c.map((v) => v + (tilings > 1 ? (t / tilings - 0.5) * widths[i] : 0))),
  );
  return {
    name: tilings > 1 ? `boxes(${boxes} × ${tilings} tilings)` : `boxes(${boxes})`,
    features: boxes * tilings,
    encode(state, out) {
      out.fill(0);
      shifted.forEach((tiling, t) => {
        let box = 0;
        tiling.forEach((c, i) => {
          box = box * sizes[i] + binOf(state[i], c);
        });
        out[t * boxes + box] = 1;
      });
    },
  };
}

/** CartPole's input code of a run (`encoding`, `tilings`): the run and the lab's CartPole panel both build it here. */
export function cartpoleEncoding(config: { encoding: 'rbf' | 'boxes'; tilings: number }): Encoding {
  return config.encoding === 'boxes' ? boxEncoding(CARTPOLE_BOXES, config.tilings) : rbfEncoding();
}
