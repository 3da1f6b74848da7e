/** One rule of a run, built by the library's run builder from a TrainInput, as in Node: the same weights. */
import { buildRun, type Dataset, resolveConfig, TrainingSession, type TrainInput } from 'edlearn/browser';
import { liveRate } from './live-rate';
import type { Run, Trained } from './state';

export function trainedOn(input: TrainInput, ds: Dataset, backend: Run['backend']): Trained {
  const config = resolveConfig(input);
  const built = buildRun(config, ds, backend);
  return {
    input,
    config,
    rule: built.rule,
    session: new TrainingSession(built.rule, built.task, built.train),
    sent: 0,
    // Before the first update: the loop's first schedule factor must already go through it.
    rate: config.rule === 'ed' ? liveRate(built.rule, config.ed.lr, config.ed.lrDecay) : null,
  };
}
