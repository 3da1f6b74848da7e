/**
 * The CartPole panel's worker: builds the agent through the library's public API (resolveRlConfig, createAgent)
 * and trains it in ~50 ms slices of whole episodes, so that pause and reset are answered while it runs. Every
 * few seconds it plays one greedy episode on a separate environment and sends its states for the page to draw.
 */
import {
  type AgentName,
  type Backend,
  CartPole,
  envSeed,
  greedyTrajectory,
  loadBrowserBackend,
  referenceBackend,
  type RlSession,
} from 'edlearn/browser';
import { buildCartpole, EPISODES, greedySummary } from './rl-build';
import type { FromRlWorker, ToRlWorker } from './rl-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const SLICE_MS = 50;
const REPLAY_EVERY_MS = 3000;
let backend: Backend = referenceBackend;
let session: RlSession | null = null;
let running = false;
let lastReplay = 0;
let replaySeed = 0;
/** Seed of the session being trained. */
let seedOf = -1;
const post = (msg: FromRlWorker) => scope.postMessage(msg);

scope.onmessage = (event: MessageEvent<ToRlWorker>) => {
  try {
    handle(event.data);
  } catch (err) {
    running = false;
    post({ type: 'error', message: (err as Error).message });
  }
};

function handle(msg: ToRlWorker): void {
  switch (msg.type) {
    case 'init':
      void loadBrowserBackend(new URL('wasm/', msg.pageUrl))
        .then(
          (c) => {
            backend = c.backend;
          },
          () => {},
        )
        .finally(() => post({ type: 'ready', backend: backend.name }));
      return;
    case 'start': {
      if (!session || msg.agent !== session.agent.name || msg.seed !== seedOf) build(msg.agent, msg.seed);
      running = true;
      setTimeout(slice, 0);
      return;
    }
    case 'pause':
      running = false;
      return;
    case 'reset':
      running = false;
      session = null;
      return;
  }
}

function build(agent: AgentName, seed: number): void {
  session = buildCartpole(agent, seed, backend);
  seedOf = seed;
  replaySeed = envSeed(seed, 5);
  lastReplay = 0;
}

function slice(): void {
  const s = session;
  if (!running || !s) return;
  const started = performance.now();
  const episodes = [];
  while (performance.now() - started < SLICE_MS && s.episodes < EPISODES) episodes.push(s.episode());
  post({
    type: 'progress',
    episodes: episodes.map((e) => ({ episode: e.episode, ret: e.return, mean100: e.mean100 })),
    result: s.result(),
  });
  if (performance.now() - lastReplay > REPLAY_EVERY_MS) {
    lastReplay = performance.now();
    const { states } = greedyTrajectory(s.agent, new CartPole(), s.encoding, replaySeed++);
    post({ type: 'replay', episode: s.episodes, states: states.map((x) => [x[0], x[2]]) });
  }
  if (s.episodes >= EPISODES) {
    running = false;
    post({ type: 'done', result: s.result(), greedy: greedySummary(s, seedOf) });
    return;
  }
  setTimeout(slice, 0);
}
