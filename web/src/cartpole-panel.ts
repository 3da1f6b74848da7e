/**
 * The CartPole panel: pick an agent, train it live in its own worker (rl-worker.ts), watch the return chart and
 * the cart and pole of a greedy episode replayed every few seconds. window.edlearnCartpole.state() is for the
 * browser test.
 */
import { BLUE, FRAME, GHOST, INK, RED, TEXT } from './palette';
import { AGENT_NAMES, CARTPOLE, type AgentName, type RlResult } from 'edlearn/browser';
import { EPISODES } from './rl-build';
import type { FromRlWorker, ToRlWorker } from './rl-protocol';

declare global {
  interface Window {
    edlearnCartpole: { state(): CartpoleState };
  }
}

interface CartpoleState {
  ready: boolean;
  running: boolean;
  episodes: number;
  mean100: number;
  replays: number;
  /** Frames of replayed episodes drawn so far. */
  framesDrawn: number;
  backend: string;
  error: string;
}

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const agentSelect = el<HTMLSelectElement>('rl-agent');
const seedInput = el<HTMLInputElement>('rl-seed');
const startButton = el<HTMLButtonElement>('rl-start');
const resetButton = el<HTMLButtonElement>('rl-reset');
const status = el<HTMLParagraphElement>('rl-status');
const errorBox = el<HTMLParagraphElement>('rl-error');
const cart = el<HTMLCanvasElement>('rl-cart');
const chart = el<HTMLCanvasElement>('rl-chart');

for (const name of AGENT_NAMES) agentSelect.add(new Option(name, name));

const state: CartpoleState = {
  ready: false,
  running: false,
  episodes: 0,
  mean100: 0,
  replays: 0,
  framesDrawn: 0,
  backend: '',
  error: '',
};
window.edlearnCartpole = { state: () => ({ ...state }) };
let returns: number[] = [];
/** Returns of the greedy replays (ε = 0, on their own seed stream): persistence beside the first solve. */
let greedyReturns: number[] = [];
let means: number[] = [];
let frames: [number, number][] = [];
let frame = 0;

const worker = new Worker(new URL('./rl-worker.ts', import.meta.url), { type: 'module' });
const send = (msg: ToRlWorker) => worker.postMessage(msg);
send({ type: 'init', pageUrl: new URL('./', location.href).href });

worker.onmessage = (event: MessageEvent<FromRlWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'ready':
      state.ready = true;
      state.backend = msg.backend;
      startButton.disabled = false;
      status.textContent = `ready (backend ${msg.backend})`;
      return;
    case 'progress':
      // After a reset, what the old run sent before it heard of the reset is dropped (a new run starts at episode 1).
      if (!accepting || (awaitingFresh && (msg.episodes[0]?.episode ?? 0) > 1)) return;
      awaitingFresh = false;
      for (const e of msg.episodes) {
        returns.push(e.ret);
        means.push(e.mean100);
      }
      show(msg.result);
      drawChart();
      return;
    case 'replay':
      if (!accepting) return;
      // A greedy episode's return on CartPole is its number of steps (reward 1 each).
      greedyReturns.push(msg.states.length - 1);
      frames = msg.states;
      frame = 0;
      state.replays++;
      return;
    case 'done':
      if (!accepting) return;
      state.running = false;
      finished = true;
      startButton.textContent = 'start a new run';
      show(msg.result);
      // The end as `edlearn rl` summarises it: the first solve, the final mean of 100 and the greedy evaluation.
      status.textContent =
        `finished after ${msg.result.episodes} episodes (the run's length): solved at ` +
        `${msg.result.solvedAtEpisode ?? '— (never)'} · final mean of the last 100 ` +
        `${msg.result.finalMean100.toFixed(1)} · greedy mean ${msg.greedy.mean.toFixed(1)} over ` +
        `${msg.greedy.episodes} fresh episodes (worst ${msg.greedy.min}), as edlearn rl's summary reports them.`;
      return;
    case 'error':
      state.error = msg.message;
      state.running = false;
      errorBox.textContent = msg.message;
      errorBox.hidden = false;
      startButton.textContent = 'start';
  }
};

function show(r: RlResult): void {
  state.episodes = r.episodes;
  state.mean100 = r.lastMean100;
  const recent = greedyReturns.slice(-100);
  const greedy =
    recent.length === 0
      ? '—'
      : `${(recent.reduce((a, b) => a + b, 0) / recent.length).toFixed(1)} (${recent.length} greedy episodes)`;
  status.textContent =
    `episode ${r.episodes} · solved at ${r.solvedAtEpisode ?? '—'} · mean of the last 100 ${r.lastMean100.toFixed(1)}` +
    `${r.episodes >= EPISODES ? ' (final)' : ''} · greedy replays so far ${greedy} · ` +
    `best ${r.bestMean100.toFixed(1)} · ${Math.round(r.stepsPerSecond)} steps/s`;
}

startButton.disabled = true;
/** Whether messages of the current run are shown (false after a reset until the next start). */
let accepting = true;
let awaitingFresh = false;
/** The run reached its last episode: start begins a new one. */
let finished = false;
startButton.addEventListener('click', () => {
  errorBox.hidden = true;
  if (finished) resetButton.click();
  if (state.running) {
    send({ type: 'pause' });
    state.running = false;
    startButton.textContent = 'start';
    return;
  }
  const seed = Number(seedInput.value);
  if (!Number.isInteger(seed) || seed < 0) {
    errorBox.textContent = `seed: expected an integer ≥ 0, got '${seedInput.value}'`;
    errorBox.hidden = false;
    return;
  }
  send({ type: 'start', agent: agentSelect.value as AgentName, seed });
  accepting = true;
  state.running = true;
  startButton.textContent = 'pause';
});
resetButton.addEventListener('click', () => {
  send({ type: 'reset' });
  state.running = false;
  accepting = false;
  awaitingFresh = true;
  finished = false;
  startButton.textContent = 'start';
  returns = [];
  means = [];
  greedyReturns = [];
  frames = [];
  state.episodes = 0;
  status.textContent = `ready: a new ${agentSelect.value} run (seed ${seedInput.value}) begins at start`;
  drawChart();
});
// Changing the agent or the seed starts a new run at the next start.
for (const input of [agentSelect, seedInput]) input.addEventListener('change', () => resetButton.click());

function context(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | null {
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 320;
  const h = canvas.clientHeight || 160;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/** Returns (grey) and their mean over the last 100 (blue) against episodes; 500 at the top, 475 dashed. */
function drawChart(): void {
  const c = context(chart);
  if (!c) return;
  const { ctx, w, h } = c;
  const pad = 30;
  const n = Math.max(100, returns.length);
  const sx = (i: number) => pad + (i / n) * (w - pad - 8);
  const sy = (v: number) => h - pad + 8 - (v / 500) * (h - pad - 8);
  ctx.strokeStyle = FRAME;
  ctx.beginPath();
  ctx.moveTo(pad, sy(500));
  ctx.lineTo(pad, sy(0));
  ctx.lineTo(w - 8, sy(0));
  ctx.stroke();
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(pad, sy(475));
  ctx.lineTo(w - 8, sy(475));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = TEXT;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText('500', 2, sy(500) + 4);
  ctx.fillText('0', 18, sy(0) + 4);
  ctx.fillText('475: solved', pad + 4, sy(475) + 12);
  ctx.fillText(`episodes (${returns.length} so far)`, w / 2 - 40, h - 4);
  ctx.save();
  ctx.translate(10, h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('return', -16, 0);
  ctx.restore();
  // Legend.
  ctx.fillStyle = GHOST;
  ctx.fillRect(w - 230, 6, 14, 3);
  ctx.fillStyle = BLUE;
  ctx.fillRect(w - 130, 6, 14, 3);
  ctx.fillStyle = TEXT;
  ctx.fillText('each episode', w - 212, 11);
  ctx.fillText('mean of last 100', w - 112, 11);
  for (const [series, color] of [
    [returns, GHOST],
    [means, BLUE],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = color === GHOST ? 1 : 2;
    ctx.beginPath();
    series.forEach((v, i) => (i === 0 ? ctx.moveTo(sx(i + 1), sy(v)) : ctx.lineTo(sx(i + 1), sy(v))));
    ctx.stroke();
  }
}

/** The cart (a box on the track, ±2.4 m) and the pole (1 m, at angle θ) of the current frame of the replay. */
function drawCart(): void {
  const c = context(cart);
  if (c && frames.length > 0) {
    const { ctx, w, h } = c;
    const [x, theta] = frames[Math.min(frame, frames.length - 1)];
    const scale = (w - 40) / (2 * CARTPOLE.xLimit + 0.4);
    const cx = w / 2 + x * scale;
    const ground = h - 30;
    ctx.strokeStyle = FRAME;
    ctx.beginPath();
    ctx.moveTo(w / 2 - CARTPOLE.xLimit * scale, ground);
    ctx.lineTo(w / 2 + CARTPOLE.xLimit * scale, ground);
    ctx.stroke();
    ctx.fillStyle = INK;
    ctx.fillRect(cx - 25, ground - 18, 50, 18);
    // The pole at the track's scale, shortened if the canvas is too low for it.
    const pole = Math.min(2 * CARTPOLE.halfLength * scale, ground - 30);
    ctx.strokeStyle = RED;
    ctx.lineWidth = 6;
    ctx.beginPath();
    ctx.moveTo(cx, ground - 18);
    ctx.lineTo(cx + pole * Math.sin(theta), ground - 18 - pole * Math.cos(theta));
    ctx.stroke();
    ctx.lineWidth = 1;
    ctx.fillStyle = TEXT;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(
      `greedy replay of the current policy · return ${frames.length - 1} · step ${Math.min(frame, frames.length - 1)}`,
      8,
      14,
    );
    state.framesDrawn++;
    // One frame per animation frame at 60 Hz: about real time (τ = 0.02 s) × 1.2.
    if (frame < frames.length - 1) frame++;
  }
  requestAnimationFrame(drawCart);
}
requestAnimationFrame(drawCart);
drawChart();
