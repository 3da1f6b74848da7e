/**
 * The DQN loop shared by ed-dqn and bp-dqn: ε-greedy on the columns, experience replay, target columns copied
 * every targetPeriod steps. Column a's output y ∈ (0, 1) is Q(s, a) / V, V = valueScale (the largest possible
 * return), so the TD target r + γ·max_a′ Q_target(s′, a′) becomes t = (r + γ·V·max_a′ y_target(s′, a′)) / V,
 * clipped to [0, 1] (0 bootstrap at a terminal s′). It is the target of the taken action's column only: with ED
 * its amine is e = t − y; with backprop a step on the MSE (t − y)².
 */
import type { Random } from '../random.js';
import { argmaxRow } from '../rules/rule.js';
import type { Agent, Transition } from './agent.js';
import type { Columns } from './columns.js';
import type { RlConfig } from './config.js';
import { EpsilonGreedy } from './actor.js';
import { Replay } from './replay.js';

export class DqnAgent extends EpsilonGreedy implements Agent {
  readonly name: 'ed-dqn' | 'bp-dqn';
  private readonly replay: Replay;
  private readonly picks: Int32Array;
  private readonly q: Float32Array;
  private readonly targets: Float32Array;
  private readonly byAction: Int32Array;

  constructor(config: RlConfig, columns: Columns, private readonly target: Columns, private readonly scale: number, rng: Random) {
    super(config, columns, rng);
    this.name = config.agent === 'bp-dqn' ? 'bp-dqn' : 'ed-dqn';
    this.replay = new Replay(config.replay, columns.features);
    this.picks = new Int32Array(config.batch);
    this.q = new Float32Array(columns.maxBatch * columns.actions);
    this.targets = new Float32Array(config.batch);
    this.byAction = new Int32Array(config.batch);
    target.copyFrom(columns);
  }

  observe(t: Transition): void {
    const c = this.config;
    this.replay.push(t.features, t.action, t.reward, t.next, t.terminated);
    this.steps++;
    if (this.steps >= c.learnStart && this.steps % c.trainEvery === 0) this.learn();
    if (this.steps % c.targetPeriod === 0) this.target.copyFrom(this.columns);
  }

  /** One update from a replayed batch: TD targets from the target columns, then each action's column on its samples. */
  private learn(): void {
    const { batch: B, gamma } = this.config;
    const r = this.replay;
    const A = this.columns.actions;
    const picks = r.sample(this.rng, B, this.picks);
    let bootstrap = false;
    for (let b = 0; b < B; b++) if (!r.terminal[picks[b]]) bootstrap = true;
    // The one-step MNIST task never bootstraps: skip the target columns' forward pass.
    if (bootstrap) this.target.values(this.target.load(r.next, picks, B), this.q);
    for (let b = 0; b < B; b++) {
      const i = picks[b];
      const next = r.terminal[i] ? 0 : this.q[b * A + argmaxRow(this.q, b, A)];
      this.targets[b] = Math.min(1, Math.max(0, (r.rewards[i] + gamma * this.scale * next) / this.scale));
    }
    for (let a = 0; a < A; a++) {
      let n = 0;
      const t = new Float32Array(B);
      for (let b = 0; b < B; b++) {
        if (r.actions[picks[b]] !== a) continue;
        this.byAction[n] = picks[b];
        t[n++] = this.targets[b];
      }
      if (n > 0) this.columns.fit(a, this.columns.load(r.states, this.byAction, n), t.subarray(0, n));
    }
  }
}
