/**
 * The run in training: built by the library's run builder from a TrainInput (run-input.ts), as in Node, and
 * advanced in ~50 ms slices with a macrotask between them, so that pause, predict and weight requests are
 * answered while it runs. Progress goes to the page after every slice, not only at evaluations.
 */
import { type Dataset, resolveConfig, taskFor, type TrainInput, UserError } from 'edlearn/browser';
import { modelKey, type Point, type Progress, type Settings, WATCH_SECONDS } from '../protocol';
import { gridImages, isPointTask, pointDataset } from '../points';
import { Predictor } from '../predictor';
import { runInputs } from '../run-input';
import { postInspection } from './inspect';
import { ensembleProgress, memberEnded, memberInput, newEnsemble } from './ensemble';
import { fail, freshBackend, post, type Run, state, type Trained } from './state';
import { trainedOn } from './trained';
import { postView } from './views';

const SLICE_MS = 50;
/** A step() call of a slice takes about this long at most (see Run.chunk). */
const CHUNK_MS = 10;

/** The inputs of a run on `backend`, built by the library's run builder: the same weights as in Node. */
export function buildLabRun(settings: Settings, ds: Dataset, backend: Run['backend'], data = state.dataSource): Run {
  const place = { backend: backend.name as TrainInput['backend'], data };
  const inputs = runInputs(settings, place, (input) => taskFor(resolveConfig(input), ds).train.count);
  // An ensemble trains its ED members one after another (worker/ensemble.ts); backprop, if compared, once.
  const size = settings.ensemble ?? 1;
  const ed = trainedOn(size > 1 ? memberInput(inputs.ed, 0) : inputs.ed, ds, backend);
  const bp = settings.compareBp ? trainedOn(inputs.bp, ds, backend) : null;
  const run: Run = {
    settings,
    key: modelKey(settings),
    task: ed.session.task,
    backend,
    ed,
    bp,
    activeMs: 0,
    since: 0,
    chunk: 1,
  };
  if (size > 1) run.ensemble = newEnsemble(size, inputs.ed, ds);
  return run;
}

/** A new run from `settings`; the current one is kept if the settings cannot be built. */
export function rebuild(settings: Settings): void {
  state.latest = settings;
  // A 2-D dataset is generated from the settings (its points seeded by the run's seed); MNIST is what was loaded.
  const points = isPointTask(settings.task) ? pointDataset(settings.task, settings.noise, settings.seed) : null;
  const dataset = points?.dataset ?? state.dataset;
  if (!dataset) throw new UserError('the data has not loaded yet; wait for it or load the IDX files from disk');
  // A wide network takes seconds to build: say so first.
  post({ type: 'building', units: settings.units, layers: settings.layers });
  const next = buildLabRun(settings, dataset, freshBackend(), points ? `points:${settings.task}` : state.dataSource);
  next.points = points !== null;
  // An evaluation before any update starts the chart at chance level.
  next.ed.session.evaluate();
  next.bp?.session.evaluate();
  setRunning(false);
  state.run = next;
  state.loaded = null;
  const { epochs = 0, evalEvery = 0 } = next.ed.config.train;
  post({
    type: 'run',
    settings,
    task: next.task.name,
    classNames: next.task.classNames,
    totalUpdates: next.ed.session.totalUpdates * (next.ensemble?.size ?? 1),
    ensemble: next.ensemble?.size ?? 1,
    epochs,
    evalEvery,
    compareBp: next.bp !== null,
    train: next.task.train.count,
    validation: next.task.validation.count,
  });
  // After setRunning(false), which spoke of the old run: the page must hear that this one is not done.
  postState();
  if (points) {
    const { train } = points;
    post({
      type: 'points',
      xs: Float32Array.from(train, (p) => p.x),
      ys: Float32Array.from(train, (p) => p.y),
      labels: Uint8Array.from(train, (p) => p.label),
    });
  }
  postProgress(next);
  postView();
}

/**
 * Starts or resumes. The page asks before it sends settings that need a new model while a run is under way, so
 * a start with the current run's model settings always resumes it exactly where it paused.
 */
export function start(settings: Settings): void {
  const { run } = state;
  if (!run || run.key !== modelKey(settings) || run.ed.session.done) rebuild(settings);
  else if (state.loaded) {
    // Training again: the drawing is scored by the model being trained, not the file.
    state.loaded = null;
    postView();
  }
  state.latest = settings;
  setPace(settings.pace);
  setRate(settings.lr);
  setRunning(true);
}

/**
 * α applies live to ED in the run under way, from its next update (backprop keeps Adam's own rate). A run that
 * has not learned yet is simply rebuilt with it; a finished one is left alone (its next start is a new run).
 */
export function setRate(lr: number): void {
  const r = state.run;
  const rate = r?.ed.rate;
  if (!r || !rate || r.ed.session.done || rate.now === lr) return;
  if (r.ed.session.update === 0 && !r.ensemble?.done.length) return rebuild({ ...r.settings, lr });
  // Every member of an ensemble learns with the α its file records.
  if (r.ensemble)
    throw new UserError(
      `α: an ensemble's members all learn with the α the run began with (${rate.now}); reset to train a new ` +
        `ensemble with α ${lr}`,
    );
  const from = rate.now;
  rate.set(lr, r.ed.session.update);
  r.settings = { ...r.settings, lr };
  post({ type: 'lr', lr, from, update: r.ed.session.update });
}

/** The pace applies live: it changes how fast the run goes, not what it learns. */
export function setPace(pace: Settings['pace']): void {
  const r = state.run;
  if (!r) return;
  if (r.settings.pace !== pace) {
    r.settings = { ...r.settings, pace };
    // Count at least the time a watched run would have taken to get this far, so that switching from full speed
    // to watching does not stall until the clock catches up.
    r.activeMs = Math.max(r.activeMs, (r.ed.session.update / r.ed.session.totalUpdates) * WATCH_SECONDS * 1000);
  }
}

export function setRunning(on: boolean): void {
  const { run } = state;
  const was = state.running;
  state.running = on && run !== null && !run.ed.session.done;
  if (run && was !== state.running) {
    // Pacing counts time spent running only.
    if (state.running) run.since = performance.now();
    else run.activeMs += performance.now() - run.since;
  }
  postState();
  if (state.running && !state.sliceQueued) {
    state.sliceQueued = true;
    setTimeout(slice, 0);
  }
}

export function postState(): void {
  post({ type: 'state', running: state.running, done: state.run?.ed.session.done ?? false });
}

/**
 * With pace 'watch', how many updates the run may have made by now: the share of WATCH_SECONDS that has passed
 * (an update count, so that a fast backend waits and a slow one is not held back).
 */
function allowedUpdates(r: Run, now: number): number {
  if (r.settings.pace === 'full') return Infinity;
  const ms = r.activeMs + (now - r.since);
  return Math.ceil((r.ed.session.totalUpdates * ms) / (WATCH_SECONDS * 1000));
}

/** Advances ED (and backprop) by `count` updates; true if an evaluation was made. */
export function advance(r: Run, count: number): boolean {
  let evaluated = r.ed.session.step(count).length > 0;
  if (r.bp && !r.bp.session.done && r.bp.session.step(count).length > 0) evaluated = true;
  if (r.ed.session.done) {
    // The run is over: read the test split once, at the validation-selected point and at the final weights.
    for (const t of [r.ed, r.bp]) if (t && !t.result) t.result = t.session.finish();
    // An ensemble's member is over: the next one starts, or the last one's end scores the ensemble.
    memberEnded(r);
  }
  return evaluated;
}

/**
 * One slice of training: ED and backprop alternate, a chunk of updates each, until the slice's time or allowance
 * is up. Chunks change nothing but speed: a run of updates learns exactly as the same updates one by one.
 */
function slice(): void {
  state.sliceQueued = false;
  const r = state.run;
  if (!state.running || !r) return;
  try {
    const deadline = performance.now() + SLICE_MS;
    const allowed = allowedUpdates(r, deadline);
    while (!r.ed.session.done && r.ed.session.update < allowed && performance.now() < deadline) {
      const count = Math.max(1, Math.min(r.chunk, allowed - r.ed.session.update));
      const t0 = performance.now();
      advance(r, count);
      const ms = performance.now() - t0;
      if (count === r.chunk)
        r.chunk = ms < CHUNK_MS / 2 ? r.chunk * 2 : ms > CHUNK_MS && r.chunk > 1 ? r.chunk >> 1 : r.chunk;
    }
    if (r.ed.session.done) state.running = false; // the last heat map is drawn at once
    postProgress(r);
    if (r.ed.session.done) setRunning(false);
    else {
      state.sliceQueued = true;
      // Paced and ahead of time: wait out the rest of the slice instead of spinning.
      setTimeout(slice, r.ed.session.update >= allowed ? Math.max(0, deadline - performance.now()) : 0);
    }
  } catch (err) {
    setRunning(false);
    fail(err, 'train');
  }
}

export function postProgress(r: Run): void {
  const count = r.task.train.count;
  // Evaluations not sent yet, each at its place on the run's update axis (an ensemble's member: after the others).
  const unsent = (t: Trained): Point[] => {
    const off = t.offset ?? 0;
    const points = t.session.history
      .slice(t.sent)
      .map((e) => ({ update: off + e.update, valAccuracy: e.valAccuracy, trainAccuracy: e.trainAccuracy }));
    t.sent = t.session.history.length;
    return points;
  };
  const progress = (t: Trained, earlier: Trained[] = []): Progress => {
    const s = t.session;
    const off = t.offset ?? 0;
    const last = s.history[s.history.length - 1];
    return {
      update: off + s.update,
      totalUpdates: s.totalUpdates * (r.ensemble && t === r.ed ? r.ensemble.size : 1),
      epoch: s.samples / count,
      valAccuracy: last.valAccuracy,
      bestAccuracy: last.bestValAccuracy,
      bestUpdate: off + last.bestUpdate,
      samplesPerSecond: s.trainSeconds > 0 ? s.samples / s.trainSeconds : 0,
      points: [...earlier.filter((m) => m !== t).flatMap(unsent), ...unsent(t)],
      test: t.result && {
        selectedUpdate: off + t.result.selected.update,
        atSelected: t.result.selected.testAccuracy,
        atFinal: t.result.final.testAccuracy,
      },
      ...(t === r.ed && r.ensemble ? { ensemble: ensembleProgress(r) } : {}),
    };
  };
  post({ type: 'progress', ed: progress(r.ed, r.ensemble?.done), bp: r.bp ? progress(r.bp) : null });
  if (r.points) postField(r);
  else if (r.ed.session.update > 0) postInspection(r, !state.running || r.ed.session.done);
}

/** Cells per side of the decision heat maps. */
const FIELD_SIDE = 48;
let fieldImages: Uint8Array[] | null = null;
let fieldAt = 0;

/**
 * The decision heat maps of a 2-D run: P(class 1) of ED and backprop over the plane, at most every 150 ms while
 * it trains (each costs one prediction of 48² points), and always when it stops.
 */
function postField(r: Run): void {
  const now = performance.now();
  if (state.running && !r.ed.session.done && now - fieldAt < 150) return;
  fieldAt = now;
  fieldImages ??= gridImages(FIELD_SIDE);
  const field = (t: Trained) => Float32Array.from(Predictor.for(t.rule).predict(fieldImages!), (p) => p.scores[1]);
  const ed = field(r.ed);
  const bp = r.bp ? field(r.bp) : null;
  post({ type: 'field', side: FIELD_SIDE, ed, bp }, bp ? [ed.buffer, bp.buffer] : [ed.buffer]);
}
