// The lab's CartPole panel follows `edlearn rl`: its agent (web/src/rl-build.ts) learns, episode for episode, what
// runRl's learns for the same agent and seed, and its end shows runRl's summary — the first solve, the final mean
// of 100 and the greedy evaluation. A change to how the CLI builds or judges an agent fails here until the lab
// follows it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceBackend } from '../src/kernels/reference.js';
import { runRl } from '../src/rl/run.js';
import { buildCartpole, greedySummary } from '../web/src/rl-build.js';

for (const agent of ['ed-dqn', 'ed-columns'] as const) {
  test(`the lab's ${agent} on CartPole: runRl's episodes, first solve, final mean and greedy evaluation`, () => {
    const seed = 3;
    const episodes = 40;
    const cli = runRl({ env: 'cartpole', agent, seed, episodes, backend: 'reference' });
    const session = buildCartpole(agent, seed, referenceBackend);
    const returns: number[] = [];
    while (session.episodes < episodes) returns.push(session.episode().return);
    assert.deepEqual(returns, Array.from(cli.returns), 'the same returns, episode by episode');
    const result = session.result();
    assert.equal(result.solvedAtEpisode, cli.result.solvedAtEpisode);
    assert.equal(result.finalMean100, cli.result.finalMean100);
    assert.deepEqual(greedySummary(session, seed), cli.result.greedy);
    // What the agent was built with beyond its weights (config, value head, thresholds, counters): the same, but
    // for the run's length and backend, which the CLI was given here.
    const [lab, cliAgent] = [scalars(session.agent), scalars(cli.agent)];
    for (const a of [lab, cliAgent]) delete (a.config as Record<string, unknown>).episodes;
    for (const a of [lab, cliAgent]) delete (a.config as Record<string, unknown>).backend;
    assert.deepEqual(lab, cliAgent);
  });
}

/** An object's own plain values, recursively through plain objects and the value head (not weights or columns). */
function scalars(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || ['number', 'string', 'boolean', 'undefined'].includes(typeof v)) out[k] = v;
    else if (typeof v === 'object' && ['Object', 'ValueHead'].includes(v.constructor?.name)) out[k] = scalars(v);
  }
  return out;
}
