/**
 * The sweep log: the classifier's NDJSON format (src/log/), appended one whole
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
import { type LogLine, readEvents } from '../log/read.js';
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

type Line = LogLine['fields'] & { runId?: unknown };

/**
 * Reads (and repairs) the log at `path`; a missing file is an empty log. Runs without a runId are accepted only
 * under one of `labels` (the sweep's own runs, as `edlearn experiment` logged them before sweeps existed).
 */
export function openSweepLog(path: string, labels: Set<string>): LogState {
  checkOutputPath(path);
  const state: LogState = { done: new Set(), results: new Map(), dropped: 0 };
  if (!existsSync(path)) return state;
  const text = readFileSync(path, 'utf8');
  // A cut last line is what an interruption leaves: dropped, like a block without its end.
  const { events, cut } = readEvents(text, {
    where: `sweep: ${path}`,
    fix: 'it is not a sweep log, or was edited — give another --log or remove the file',
    allowPartial: true,
  });
  // Only a log is repaired: a file whose one line is not an event (a sweep file, notes) is not dropped as "cut".
  if (events.length === 0 && cut !== null) {
    throw new UserError(
      `sweep: ${path}: not a sweep log (no complete event line); give another --log or remove the file`,
    );
  }
  const first = events[0]?.fields;
  if (first && first.event !== 'sweep' && first.event !== 'start') {
    throw new UserError(
      `sweep: ${path}:${events[0].line}: not a sweep log (its first line is not a run's start event); give ` +
        `another --log or remove the file`,
    );
  }
  const kept: string[] = [];
  let block = null as { lines: string[]; start: Line; evals: Line[] } | null;
  for (const { fields, line, text: raw } of events) {
    const e = fields as Line;
    if (e.event === 'sweep') {
      kept.push(raw);
      continue;
    }
    if (typeof e.runId !== 'string' && !labels.has(String(e.run))) {
      throw new UserError(
        `sweep: ${path}:${line}: a run without a runId that is not one of this sweep's; this is not its log — ` +
          `give another --log or remove the file`,
      );
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
      if (typeof e.runId === 'string')
        state.results.set(e.runId, { start: block.start, evals: block.evals, end: e } as unknown as RunEvents);
      block = null;
    } else {
      state.dropped += 1;
    }
  }
  state.dropped += (block?.lines.length ?? 0) + (cut === null ? 0 : 1);
  // A last line without its newline is rewritten too, so that the next block starts on a line of its own.
  if (state.dropped > 0 || !text.endsWith('\n')) writeFileAtomic(path, kept.map((l) => l + '\n').join(''));
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
    throw new UserError(
      `sweep: cannot append to ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the ` +
        `disk and the file's permissions`,
    );
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
