/**
 * The sweep log: the existing NDJSON format (src/train/log.ts, read by src/report/read.ts), appended one whole
 * run at a time so that a sweep can resume. Each point of the sweep is a block: its start event, its evals and
 * its end event, all with the point's `run` label and the content-addressed `runId`; the end event holds the same
 * fields as `result` in `edlearn train --json`. A `sweep` event closes each session (its runs and seconds).
 *
 * Appending is the one exception to "write whole files": a run's block is written with one write and fsync, and
 * on resume whatever an interruption left half-written (a cut last line, a block without its end) is dropped and
 * the file rewritten atomically without it.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { checkOutputPath, writeFileAtomic } from '../io.js';
import type { RunEvents } from './execute.js';
import type { SweepPoint } from './plan.js';

/** What a resumed sweep finds in its log. */
export interface LogState {
  /** `run` labels whose block is complete. */
  done: Set<string>;
  /** Finished runs by run id: a point of another label with the same id reuses these events. */
  results: Map<string, RunEvents>;
  /** Lines dropped because an interruption left them unfinished (0 when the log was whole). */
  dropped: number;
}

export interface SessionEvent {
  event: 'sweep';
  sweep: string;
  executor: 'local' | 'queue';
  workers: number;
  /** Points of the sweep, runs trained in this session, points found in the log, points copied from a twin. */
  points: number;
  trained: number;
  resumed: number;
  copied: number;
  seconds: number;
  time: string;
  version: string;
}

type Line = Record<string, unknown> & { event?: unknown; run?: unknown; runId?: unknown };

/**
 * Reads (and repairs) the log at `path`; a missing file is an empty log. Runs without a runId are accepted only
 * under one of `labels` (the sweep's own runs, as `edlearn experiment` logged them before sweeps existed).
 */
export function openSweepLog(path: string, labels: Set<string>): LogState {
  checkOutputPath(path);
  const state: LogState = { done: new Set(), results: new Map(), dropped: 0 };
  if (!existsSync(path)) return state;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // The text after the last newline is a line the interruption cut.
  const cut = lines.pop() ?? '';
  const kept: string[] = [];
  let block = null as { lines: string[]; start: Line; evals: Line[] } | null;
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    let e: Line;
    try {
      e = JSON.parse(raw) as Line;
    } catch {
      throw new UserError(`sweep: ${path}:${i + 1}: not JSON in the middle of the log; it is not a sweep log, or was edited — give another --log or remove the file`);
    }
    if (e.event === 'sweep') {
      kept.push(raw);
      continue;
    }
    if (typeof e.runId !== 'string' && !labels.has(String(e.run))) {
      throw new UserError(`sweep: ${path}:${i + 1}: a run without a runId that is not one of this sweep's; this is not its log — give another --log or remove the file`);
    }
    if (e.event === 'start') {
      if (block) state.dropped += block.lines.length;
      block = { lines: [raw], start: e, evals: [] };
    } else if (block && e.run === block.start.run && e.event === 'eval') {
      block.lines.push(raw);
      block.evals.push(e);
    } else if (block && e.run === block.start.run && e.event === 'end') {
      kept.push(...block.lines, raw);
      state.done.add(String(e.run));
      if (typeof e.runId === 'string') state.results.set(e.runId, { start: block.start, evals: block.evals, end: e } as unknown as RunEvents);
      block = null;
    } else {
      state.dropped += 1;
    }
  }
  state.dropped += (block?.lines.length ?? 0) + (cut.trim() === '' ? 0 : 1);
  if (state.dropped > 0) writeFileAtomic(path, kept.map((l) => l + '\n').join(''));
  return state;
}

/** The point's block: the run's events under the point's label and experiment tag. */
export function blockOf(point: SweepPoint, events: RunEvents): string {
  const ids = { run: point.run, runId: point.runId };
  const lines = [
    { ...events.start, ...ids, experiment: point.experiment },
    ...events.evals.map((e) => ({ ...e, ...ids })),
    { ...events.end, ...ids },
  ];
  return lines.map((l) => JSON.stringify(l) + '\n').join('');
}

/** Appends text with one write and an fsync: a block is on disk whole, or cut and repaired on resume. */
export function appendToLog(path: string, text: string): void {
  let fd: number | null = null;
  try {
    // Made with the first run, so that a sweep stopped before any run leaves nothing behind.
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a');
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    throw new UserError(`sweep: cannot append to ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the disk and the file's permissions`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
