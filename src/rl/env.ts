/**
 * The environments' one small interface (Gym-like): reset(seed?) → state, step(action) → state, reward,
 * terminated, truncated. Browser-safe: no file access (the MNIST task is given its images).
 */

export interface StepResult {
  state: Float64Array;
  reward: number;
  /** The episode ended inside the task (the pole fell; the one MNIST step was taken). */
  terminated: boolean;
  /** The episode was cut by the time limit; the state is not terminal (DQN still bootstraps from it). */
  truncated: boolean;
}

export interface Env {
  readonly name: string;
  readonly observationSize: number;
  readonly actions: number;
  /** Longest episode (steps before truncation). */
  readonly horizon: number;
  /** Largest reward of one step (with γ it bounds the return: the top of the value heads' range). */
  readonly maxReward: number;
  /** Smallest reward of one step (Acrobot and MountainCar: −1; with γ the bottom of the value heads' range). */
  readonly minReward: number;
  /** Return at which a run counts as solved (mean over the last 100 episodes), or null. */
  readonly solvedAt: number | null;
  /** Starts an episode; a seed reseeds the environment's random stream (as Gym's reset(seed=…)). */
  reset(seed?: number): Float64Array;
  step(action: number): StepResult;
  /**
   * Whether a step was a failure (the reinforcement signal of the column agent is negative) or a success
   * (positive): CartPole fails when the pole falls, the MNIST task when the action is not the digit, Acrobot and
   * MountainCar at every step that has not reached the goal (their reward is −1 until then).
   */
  failed(step: StepResult): boolean;
}

export const ENV_NAMES = ['cartpole', 'acrobot', 'mountaincar', 'mnist'] as const;
export type EnvName = (typeof ENV_NAMES)[number];
