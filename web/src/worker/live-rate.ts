/**
 * α applied live, mid-run. ED scales every update by a factor on α (src/rules/ed.ts: `update`), which the loop
 * sets at each epoch's start for a schedule (setLearningRateScale) and which lrDecay multiplies at each epoch's
 * end (epochEnded). The lab's α is one more factor on it, α now ÷ α built with: whatever the schedule sets is
 * multiplied by it. So a run whose α changes keeps its weights, its schedule and its place; nothing restarts.
 * Imports types only, so that a Node test can use it.
 */
import type { Rule } from 'edlearn/browser';

export interface LiveRate {
  /** The α the rule was built with (config.ed.lr), and the α in force now. */
  readonly built: number;
  readonly now: number;
  /** The changes made, in order: from update `update` on, α was `lr`. */
  readonly changes: { update: number; lr: number }[];
  /** Makes α `lr` from the next update on; `update`: the updates made so far. */
  set(lr: number, update: number): void;
}

/** Wraps `rule`'s learning-rate scale for live α; null if the rule has none (then α needs a new run). */
export function liveRate(rule: Rule, built: number, lrDecay: number): LiveRate | null {
  const setScale = rule.setLearningRateScale?.bind(rule);
  if (!setScale) return null;
  const epochEnded = rule.epochEnded?.bind(rule);
  // The scale the loop alone would have set: its schedule's factor, times lrDecay per epoch ended.
  let base = 1;
  let now = built;
  const changes: LiveRate['changes'] = [];
  rule.setLearningRateScale = (scale: number) => {
    base = scale;
    setScale(scale * (now / built));
  };
  if (epochEnded)
    rule.epochEnded = () => {
      base *= lrDecay;
      epochEnded();
    };
  return {
    built,
    get now() {
      return now;
    },
    changes,
    set(lr: number, update: number) {
      now = lr;
      changes.push({ update, lr });
      setScale(base * (lr / built));
    },
  };
}
