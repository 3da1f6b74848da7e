/**
 * The DQN loop shared by ed-dqn and bp-dqn: ε-greedy on the columns, experience replay (with a share of each batch
 * from a separate memory of terminal transitions, so that failures are not forgotten once the policy stops
 * failing), target columns copied every targetPeriod steps. Column a's output y stands for Q(s, a) through the
 * value head (value-head.ts): the TD target r + γ·Q′(s′) — no bootstrap when s′ is terminal, a bootstrap when the
 * episode was only truncated by the time limit — is clipped to the value range and mapped into [0.1, 0.9].
 * Q′(s′): 'none' max_a′ Q_target(s′, a′); 'double' Q_target(s′, a*), a* = argmax_a′ Q(s′, a′) (van Hasselt);
 * 'clipped' the lower of Q_target(s′, a*) and Q(s′, a*), which damps over-estimation further. It is the target of
 * the taken action's column only: with ED its amine is e = t − y; with backprop a step on the MSE (t − y)².
 * Homeostasis (ED's weights otherwise only grow): `anneal` τ scales the amine of step t by τ / (τ + t), an α
 * schedule; `decay` shrinks every weight by (1 − decay) per update; `settle` scales α (ED's and Adam's step) by
 * 1 − settle·p, p the share of the last SETTLE_WINDOW episodes whose return reached the solved threshold: a policy
 * that holds stops rewriting itself from a replay memory of nothing but successes, and learns again when it fails
 * (at step size 0 ED's passes are skipped: they would change nothing).
 * With settleBy 'return', p is graded: the mean over those episodes of (R − worst) / (threshold − worst) clipped
 * to [0, 1], so that α also shrinks while a policy climbs (a plateau below the threshold is not rewritten at full
 * step either); an episode that holds counts 1, as with 'held'.
 */
import type { Random } from '../random.js';
import { argmaxRow } from '../rules/rule.js';
import type { Agent, Transition } from './agent-types.js';
import type { Columns } from './columns.js';
import type { RlConfig } from './config.js';
import { EpsilonGreedy } from './actor.js';
import { Replay } from './replay.js';
import { SettleWindow } from './settle.js';
import type { ValueHead } from './value-head.js';

/** Updates between two applications of the weight decay (applied as (1 − decay)^DECAY_EVERY). */
const DECAY_EVERY = 100;

export class DqnAgent extends EpsilonGreedy implements Agent {
  readonly name: 'ed-dqn' | 'bp-dqn';
  private readonly replay: Replay;
  private readonly picks: Int32Array;
  private readonly qTarget: Float32Array;
  private readonly qOnline: Float32Array;
  private readonly targets: Float32Array;
  private readonly byAction: Int32Array;
  private readonly sorted: Float32Array;
  private readonly gains: Float32Array;
  private updates = 0;
  private episodeReturn = 0;
  /** The last episodes' shares of the solved threshold: 0 or 1 ('held'), or graded; they set the step size. */
  private readonly settleWindow = new SettleWindow(this.config.settle);

  constructor(
    config: RlConfig,
    columns: Columns,
    private readonly target: Columns,
    readonly head: ValueHead,
    rng: Random,
    private readonly solvedAt?: number,
    /** The lowest return of an episode (the graded settle's 0). */
    private readonly worstReturn = 0,
  ) {
    super(config, columns, rng);
    this.name = config.agent === 'bp-dqn' ? 'bp-dqn' : 'ed-dqn';
    this.replay = new Replay(config.replay, columns.features, config.failShare > 0 ? config.failMemory : 0);
    this.picks = new Int32Array(config.batch);
    this.qTarget = new Float32Array(columns.maxBatch * columns.actions);
    this.qOnline = new Float32Array(columns.maxBatch * columns.actions);
    this.targets = new Float32Array(config.batch);
    this.byAction = new Int32Array(config.batch);
    this.sorted = new Float32Array(config.batch);
    this.gains = new Float32Array(config.batch);
    target.copyFrom(columns);
  }

  observe(t: Transition): void {
    const c = this.config;
    this.replay.push(t.features, t.action, t.reward, t.next, t.terminated);
    this.steps++;
    this.episodeReturn += t.reward;
    if (t.terminated || t.truncated) this.episodeEnded();
    if (this.steps >= c.learnStart && this.steps % c.trainEvery === 0) this.learn();
    if (this.steps % c.targetPeriod === 0) this.target.copyFrom(this.columns);
  }

  /** The settle schedule: the share of recent episodes that held sets the step size of the updates that follow. */
  private episodeEnded(): void {
    const held = this.solvedAt === undefined ? 0 : this.share(this.episodeReturn, this.solvedAt);
    this.episodeReturn = 0;
    if (this.config.settle === 0 || this.solvedAt === undefined) return;
    const scale = this.settleWindow.push(held);
    for (const rule of this.columns.rules) rule.setLearningRateScale?.(scale);
  }

  /** How far a return got towards the threshold: 1 at or above it; below, 0 ('held') or the graded share. */
  private share(ret: number, threshold: number): number {
    if (ret >= threshold) return 1;
    if (this.config.settleBy === 'held' || !(threshold > this.worstReturn)) return 0;
    return Math.max(0, (ret - this.worstReturn) / (threshold - this.worstReturn));
  }

  /** One update from a replayed batch: TD targets from the target columns, then each action's column on its samples. */
  private learn(): void {
    const { batch: B, gamma, double } = this.config;
    const r = this.replay;
    const A = this.columns.actions;
    const picks = r.sample(this.rng, B, this.config.failShare, this.picks);
    // At step size 0 an ED update changes nothing (ED keeps no other state): its passes are skipped, the same run
    // bit for bit, only faster (the batch is still drawn, so the random stream is the same too). bp-dqn still
    // steps: Adam's moment estimates move even when its step is 0.
    if (this.settleWindow.scale <= 0 && this.name === 'ed-dqn') return this.decayed();
    let bootstrap = false;
    for (let b = 0; b < B; b++) if (!r.terminal[picks[b]]) bootstrap = true;
    // The one-step MNIST task never bootstraps: skip the forward passes on s′.
    if (bootstrap) {
      this.target.values(this.target.load(r.next, picks, B), this.qTarget);
      if (double !== 'none') this.columns.values(this.columns.load(r.next, picks, B), this.qOnline);
    }
    for (let b = 0; b < B; b++) {
      const i = picks[b];
      let next = 0;
      if (!r.terminal[i]) {
        const best = argmaxRow(double === 'none' ? this.qTarget : this.qOnline, b, A);
        next = this.qTarget[b * A + best];
        if (double === 'clipped') next = Math.min(next, this.qOnline[b * A + best]);
      }
      this.targets[b] = this.head.target(r.rewards[i], gamma, next, r.terminal[i] === 1);
    }
    for (let a = 0; a < A; a++) {
      let n = 0;
      for (let b = 0; b < B; b++) {
        if (r.actions[picks[b]] !== a) continue;
        this.byAction[n] = picks[b];
        this.sorted[n++] = this.targets[b];
      }
      if (n === 0) continue;
      // The α schedule scales ED's amine (bp-dqn's Adam has its own step sizes). The rules read the first n
      // entries of targets and gains (whole arrays are passed: no view allocated per step).
      const anneal =
        this.config.anneal > 0 && this.name === 'ed-dqn'
          ? this.gains.fill(this.config.anneal / (this.config.anneal + this.steps), 0, n)
          : undefined;
      this.columns.fit(a, this.columns.load(r.states, this.byAction, n), this.sorted, anneal);
    }
    this.decayed();
  }

  /** The weight decay, every DECAY_EVERY updates. */
  private decayed(): void {
    if (this.config.decay > 0 && ++this.updates % DECAY_EVERY === 0)
      shrink(this.columns, (1 - this.config.decay) ** DECAY_EVERY);
  }
}

/** Multiplies every weight of the columns by f. */
export function shrink(columns: Columns, f: number): void {
  for (const rule of columns.rules) {
    for (const p of rule.parameters()) for (let i = 0; i < p.length; i++) p[i] *= f;
    rule.parametersChanged();
  }
}

/** Mean |w| over every weight of the columns (the homeostasis measurement). */
export function meanAbsWeight(columns: Columns): number {
  let sum = 0;
  let n = 0;
  for (const p of columns.parameters()) {
    for (let i = 0; i < p.length; i++) sum += Math.abs(p[i]);
    n += p.length;
  }
  return sum / Math.max(1, n);
}
