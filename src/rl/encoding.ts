/**
 * Non-negative input features for ED (docs/ed-method.md, "Reinforcement learning"): a negative input would
 * reverse the direction of its weights' update. Every agent, backprop included, sees the same features.
 *
 * CartPole: each state variable v_i is scaled by a fixed s_i (x 2.4 m, ẋ 3 m/s, θ 12°, θ̇ 3.5 rad/s), clipped
 * to z ∈ [−1, 1] and coded by K Gaussian bumps exp(−½((z − c_j)/w)²) at K evenly spaced centres c_j in [−1, 1],
 * w the spacing; values below 10⁻³ are set to exactly 0 so that rows stay sparse. 4·K features in [0, 1].
 * Acrobot: the same bumps on (cos θ₁, sin θ₁, cos θ₂, sin θ₂) scaled by 1 and (θ̇₁, θ̇₂) by their bounds 4π, 9π.
 * MountainCar: position centred at −0.3 and scaled by 0.9 (the track), speed by its bound 0.07.
 * MNIST: the pixels themselves, already in [0, 1].
 */

export interface Encoding {
  readonly name: string;
  readonly features: number;
  /** Writes the features of `state` into out[0 … features). */
  encode(state: ArrayLike<number>, out: Float32Array): void;
}

/** Fixed scales of (x, ẋ, θ, θ̇): the termination limits for x and θ, typical extremes for the velocities. */
export const CARTPOLE_SCALES = [2.4, 3, (12 * Math.PI) / 180, 3.5] as const;
export const RBF_CENTRES = 10;
const CUT = 1e-3;

export const ACROBOT_SCALES = [1, 1, 1, 1, 4 * Math.PI, 9 * Math.PI] as const;
export const MOUNTAINCAR_SCALES = [0.9, 0.07] as const;
export const MOUNTAINCAR_OFFSETS = [-0.3, 0] as const;

/** z_i = (v_i − offset_i) / scale_i clipped to [−1, 1], each coded by `centres` Gaussian bumps. */
export function rbfEncoding(
  scales: readonly number[] = CARTPOLE_SCALES,
  centres = RBF_CENTRES,
  offsets: readonly number[] = scales.map(() => 0),
): Encoding {
  const width = 2 / (centres - 1);
  return {
    name: `rbf(${centres} per variable)`,
    features: scales.length * centres,
    encode(state, out) {
      scales.forEach((s, i) => {
        const z = Math.min(1, Math.max(-1, (state[i] - offsets[i]) / s));
        for (let j = 0; j < centres; j++) {
          const d = (z - (-1 + j * width)) / width;
          const f = Math.exp(-0.5 * d * d);
          out[i * centres + j] = f < CUT ? 0 : f;
        }
      });
    },
  };
}

export function pixelEncoding(pixels: number): Encoding {
  return {
    name: 'pixels',
    features: pixels,
    encode(state, out) {
      for (let j = 0; j < pixels; j++) out[j] = state[j];
    },
  };
}
