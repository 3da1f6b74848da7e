// The lab's live α (web/src/worker/live-rate.ts): changing α mid-run gives, bit for bit, the run whose rule was
// told the same factor directly at that update; from update 0 it is the run built with that α, also under a
// cosine schedule and under lrDecay (the factor survives what the loop sets at every epoch).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceBackend } from '../src/kernels/reference.js';
import { buildRun } from '../src/train/build.js';
import { resolveConfig, type TrainInput } from '../src/train/config.js';
import { TrainingSession } from '../src/train/trainer.js';
import { liveRate } from '../web/src/worker/live-rate.js';

/** Parity of 3 bits, Kaneko's preset (α 0.8, online), 40 epochs of 8 updates. */
function session(extra: TrainInput = {}) {
  const config = resolveConfig({
    task: 'parity',
    bits: 3,
    preset: 'kaneko',
    epochs: 40,
    seed: 5,
    backend: 'reference',
    ...extra,
  });
  const run = buildRun(config, undefined, referenceBackend);
  if (config.rule !== 'ed') throw new Error('expected an ED run');
  return { config, rule: run.rule, session: new TrainingSession(run.rule, run.task, run.train) };
}

const weights = (s: ReturnType<typeof session>) => s.rule.parameters().map((p) => Array.from(p));
const toEnd = (s: ReturnType<typeof session>) => {
  while (!s.session.done) s.session.step(1000);
};

test('α changed live mid-run: the same weights as the rule told that factor at that update', () => {
  const live = session();
  const rate = liveRate(live.rule, 0.8, 1);
  assert.ok(rate, 'the ED rule takes a learning-rate scale');
  live.session.step(100);
  rate.set(0.4, live.session.update);
  toEnd(live);

  const direct = session();
  direct.session.step(100);
  direct.rule.setLearningRateScale?.(0.5);
  toEnd(direct);
  assert.deepEqual(weights(live), weights(direct));
  assert.deepEqual(rate.changes, [{ update: 100, lr: 0.4 }]);

  const unchanged = session();
  toEnd(unchanged);
  assert.notDeepEqual(weights(live), weights(unchanged), 'the change made a difference');
});

for (const [name, extra] of [
  ['a cosine schedule', { schedule: 'cosine' }],
  ['lrDecay', { lrDecay: 0.9 }],
] as [string, TrainInput][]) {
  test(`α set live before the first update equals the run built with it, under ${name}`, () => {
    const live = session(extra);
    liveRate(live.rule, 0.8, live.config.rule === 'ed' ? live.config.ed.lrDecay : 1)!.set(0.4, 0);
    toEnd(live);
    const built = session({ ...extra, lr: 0.4 });
    toEnd(built);
    assert.deepEqual(weights(live), weights(built));
  });
}
