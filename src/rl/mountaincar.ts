/**
 * MountainCar-v0 (Moore 1990) with Gym's constants: position in [−1.2, 0.6], speed in [−0.07, 0.07]; actions 0,
 * 1, 2 push left, not at all, right with force 0.001; gravity −0.0025·cos(3·position). At the left wall the speed
 * is set to 0. The episode terminates when position ≥ 0.5 (goal speed 0) and is truncated after 200 steps;
 * reward −1 per step (the terminating one too); solved at a mean of 100 ≥ −110. The initial position is uniform
 * in [−0.6, −0.4], the speed 0.
 */
import type { Random } from '../random.js';
import { ClassicControl } from './classic-control.js';
import type { StepResult } from './env.js';

export const MOUNTAINCAR = {
  minPosition: -1.2,
  maxPosition: 0.6,
  maxSpeed: 0.07,
  goal: 0.5,
  force: 0.001,
  gravity: 0.0025,
  maxSteps: 200,
} as const;

/** One step of the car: the next (position, speed). */
export function mountainCarStep(s: ArrayLike<number>, action: number, out = new Float64Array(2)): Float64Array {
  const c = MOUNTAINCAR;
  let speed = s[1] + (action - 1) * c.force + Math.cos(3 * s[0]) * -c.gravity;
  speed = Math.min(c.maxSpeed, Math.max(-c.maxSpeed, speed));
  const position = Math.min(c.maxPosition, Math.max(c.minPosition, s[0] + speed));
  if (position === c.minPosition && speed < 0) speed = 0;
  out[0] = position;
  out[1] = speed;
  return out;
}

export class MountainCar extends ClassicControl {
  readonly name = 'MountainCar-v0';
  readonly observationSize = 2;
  readonly actions = 3;
  readonly maxReward = -1;
  readonly minReward = -1;
  readonly solvedAt = -110;

  constructor(seed = 0) {
    super(seed, 2, MOUNTAINCAR.maxSteps, 'MountainCar', '0 (left), 1 (none) or 2 (right)');
  }

  protected start(state: Float64Array, rng: Random): void {
    state[0] = -0.6 + rng.next() * 0.2;
    state[1] = 0;
  }

  protected advance(action: number): boolean {
    mountainCarStep(this.state, action, this.state);
    return this.state[0] >= MOUNTAINCAR.goal && this.state[1] >= 0;
  }

  protected reward(): number {
    return -1;
  }

  failed(step: StepResult): boolean {
    return !step.terminated;
  }
}
