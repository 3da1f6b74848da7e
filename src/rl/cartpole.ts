/**
 * CartPole-v1: the cart-pole of Barto, Sutton & Anderson (1983) with Gym's constants and Euler integration.
 * State (x, ẋ, θ, θ̇); action 0 pushes left, 1 right, with 10 N; the episode terminates when |θ| > 12° or
 * |x| > 2.4 and is truncated after 500 steps; reward 1 per step (the terminating one too); the initial state is
 * uniform in ±0.05 per variable.
 */
import type { Random } from '../random.js';
import { ClassicControl } from './classic-control.js';
import type { StepResult } from './env.js';

export const CARTPOLE = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  /** Half the pole's length (m). */
  halfLength: 0.5,
  force: 10,
  tau: 0.02,
  thetaLimit: (12 * 2 * Math.PI) / 360,
  xLimit: 2.4,
  maxSteps: 500,
} as const;

/** One Euler step of the cart-pole equations (Florian's corrected form, as Gym): the next (x, ẋ, θ, θ̇). */
export function cartpoleStep(s: ArrayLike<number>, action: number, out = new Float64Array(4)): Float64Array {
  const c = CARTPOLE;
  const [x, xDot, theta, thetaDot] = [s[0], s[1], s[2], s[3]];
  const total = c.massCart + c.massPole;
  const poleMassLength = c.massPole * c.halfLength;
  const force = action === 1 ? c.force : -c.force;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const temp = (force + poleMassLength * thetaDot * thetaDot * sin) / total;
  const thetaAcc = (c.gravity * sin - cos * temp) / (c.halfLength * (4 / 3 - (c.massPole * cos * cos) / total));
  const xAcc = temp - (poleMassLength * thetaAcc * cos) / total;
  out[0] = x + c.tau * xDot;
  out[1] = xDot + c.tau * xAcc;
  out[2] = theta + c.tau * thetaDot;
  out[3] = thetaDot + c.tau * thetaAcc;
  return out;
}

export class CartPole extends ClassicControl {
  readonly name = 'CartPole-v1';
  readonly observationSize = 4;
  readonly actions = 2;
  readonly maxReward = 1;
  readonly minReward = 1;
  readonly solvedAt = 475;

  constructor(seed = 0) {
    super(seed, 4, CARTPOLE.maxSteps, 'CartPole', '0 (left) or 1 (right)');
  }

  protected start(state: Float64Array, rng: Random): void {
    for (let i = 0; i < 4; i++) state[i] = (rng.next() * 2 - 1) * 0.05;
  }

  protected advance(action: number): boolean {
    cartpoleStep(this.state, action, this.state);
    const [x, , theta] = this.state;
    return Math.abs(x) > CARTPOLE.xLimit || Math.abs(theta) > CARTPOLE.thetaLimit;
  }

  protected reward(): number {
    return 1;
  }

  failed(step: StepResult): boolean {
    return step.terminated;
  }
}
