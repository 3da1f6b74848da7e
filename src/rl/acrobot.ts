/**
 * Acrobot-v1: two links hanging from a joint, torque on the middle joint only, with Gym's constants and the
 * dynamics of Sutton & Barto's book (Gym's default): masses and lengths 1, centres of mass at 0.5, moments of
 * inertia 1, g = 9.8, one fourth-order Runge–Kutta step of dt = 0.2 per action, the angles wrapped to [−π, π],
 * θ̇₁ bounded to ±4π and θ̇₂ to ±9π. Actions 0, 1, 2 apply torque −1, 0, +1 (no noise). The episode terminates
 * when the tip rises above the bar (−cos θ₁ − cos(θ₁ + θ₂) > 1) and is truncated after 500 steps; reward −1 per
 * step, 0 on the terminating step; solved at a mean of 100 ≥ −100. The initial state is uniform in ±0.1 per
 * variable; the observation is (cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂).
 */
import type { Random } from '../random.js';
import { ClassicControl } from './classic-control.js';
import type { StepResult } from './env.js';

export const ACROBOT = {
  dt: 0.2,
  length1: 1,
  mass1: 1,
  mass2: 1,
  com1: 0.5,
  com2: 0.5,
  inertia: 1,
  gravity: 9.8,
  maxVel1: 4 * Math.PI,
  maxVel2: 9 * Math.PI,
  torques: [-1, 0, 1],
  maxSteps: 500,
} as const;

/** Time derivative of (θ₁, θ₂, θ̇₁, θ̇₂) under torque a (the book's equations). */
export function acrobotDerivs(s: ArrayLike<number>, a: number): number[] {
  const { length1: l1, mass1: m1, mass2: m2, com1: lc1, com2: lc2, inertia: I, gravity: g } = ACROBOT;
  const [t1, t2, d1t, d2t] = [s[0], s[1], s[2], s[3]];
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * Math.cos(t2)) + 2 * I;
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * Math.cos(t2)) + I;
  const phi2 = m2 * lc2 * g * Math.cos(t1 + t2 - Math.PI / 2);
  const phi1 =
    -m2 * l1 * lc2 * d2t ** 2 * Math.sin(t2) -
    2 * m2 * l1 * lc2 * d2t * d1t * Math.sin(t2) +
    (m1 * lc1 + m2 * l1) * g * Math.cos(t1 - Math.PI / 2) +
    phi2;
  const dd2 =
    (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * d1t ** 2 * Math.sin(t2) - phi2) / (m2 * lc2 ** 2 + I - d2 ** 2 / d1);
  const dd1 = -(d2 * dd2 + phi1) / d1;
  return [d1t, d2t, dd1, dd2];
}

const wrap = (x: number) => {
  const span = 2 * Math.PI;
  let v = x;
  while (v > Math.PI) v -= span;
  while (v < -Math.PI) v += span;
  return v;
};
const bound = (x: number, m: number) => Math.min(m, Math.max(-m, x));

/** One action: a Runge–Kutta step of dt under the action's torque, then the angles wrapped and speeds bounded. */
export function acrobotStep(s: ArrayLike<number>, action: number, out = new Float64Array(4)): Float64Array {
  const a = ACROBOT.torques[action];
  const h = ACROBOT.dt;
  const add = (x: ArrayLike<number>, k: number[], f: number) => [0, 1, 2, 3].map((i) => x[i] + f * k[i]);
  const k1 = acrobotDerivs(s, a);
  const k2 = acrobotDerivs(add(s, k1, h / 2), a);
  const k3 = acrobotDerivs(add(s, k2, h / 2), a);
  const k4 = acrobotDerivs(add(s, k3, h), a);
  const n = [0, 1, 2, 3].map((i) => s[i] + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
  out[0] = wrap(n[0]);
  out[1] = wrap(n[1]);
  out[2] = bound(n[2], ACROBOT.maxVel1);
  out[3] = bound(n[3], ACROBOT.maxVel2);
  return out;
}

/** Whether the tip is above the bar (one link length above the pivot). */
export const acrobotUp = (s: ArrayLike<number>) => -Math.cos(s[0]) - Math.cos(s[1] + s[0]) > 1;

export class Acrobot extends ClassicControl {
  readonly name = 'Acrobot-v1';
  readonly observationSize = 6;
  readonly actions = 3;
  readonly maxReward = 0;
  readonly minReward = -1;
  readonly solvedAt = -100;

  constructor(seed = 0) {
    super(seed, 4, ACROBOT.maxSteps, 'Acrobot', '0, 1 or 2 (torque −1, 0, +1)');
  }

  protected start(state: Float64Array, rng: Random): void {
    for (let i = 0; i < 4; i++) state[i] = (rng.next() * 2 - 1) * 0.1;
  }

  protected advance(action: number): boolean {
    acrobotStep(this.state, action, this.state);
    return acrobotUp(this.state);
  }

  protected reward(terminated: boolean): number {
    return terminated ? 0 : -1;
  }

  failed(step: StepResult): boolean {
    return !step.terminated;
  }

  protected override observe(): Float64Array {
    const [t1, t2, v1, v2] = this.state;
    return Float64Array.of(Math.cos(t1), Math.sin(t1), Math.cos(t2), Math.sin(t2), v1, v2);
  }
}
