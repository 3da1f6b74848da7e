/**
 * NDJSON experiment logs → runs → experiments. Every problem with the input is a UserError naming the file, the
 * line and the fix: a report built from a half-read log would show numbers nobody measured.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import {
  type EndEvent,
  type EvalEvent,
  LOG_FORMAT,
  LOG_FORMAT_VERSION,
  RL_LOG_FORMAT,
  type SessionEvent,
  type StartEvent,
} from '../log/events.js';
import { type LogLine, logFormat, readEvents } from '../log/read.js';
import { seedOf } from './aggregate.js';
import type { CurveData, ExperimentData, RunRecord } from './types.js';
/** Experiment id of runs made by a plain `edlearn train --log`, which carry no experiment tag. */
export const UNTAGGED_EXPERIMENT = 'train';

function fail(where: string, what: string): never {
  throw new UserError(`report: ${where}: ${what}`);
}

export interface ReadLogOptions {
  /**
   * Accept runs without an end event and a last line cut mid-way (an interrupted run, a truncated copy); such
   * runs keep `end: null` and the report marks them incomplete. Without it they are refused.
   */
  allowPartial?: boolean;
}

const PARTIAL_FIX = 're-run the experiment, or pass --allow-partial to report what was logged, marked incomplete';

/** Reads every log (files, or directories of *.ndjson files) and groups the runs by experiment and curve. */
export function readLogs(paths: string[], options: ReadLogOptions = {}): ExperimentData[] {
  if (paths.length === 0) fail('no logs', 'give at least one .ndjson file or a directory of them');
  const files = [...new Set(paths.flatMap(logFiles).map((f) => resolve(f)))].map((abs) => ({
    abs,
    shown: shownPath(abs, paths),
  }));
  return readLogTexts(
    files.map(({ abs, shown }) => ({ text: readFileSync(abs, 'utf8'), name: shown })),
    options,
    paths.join(', '),
  );
}

/** The last session of each sweep in the logs (the one that completed it), by sweep id. */
export function sweepSessions(paths: string[]): Map<string, SessionEvent> {
  const sessions = new Map<string, SessionEvent>();
  for (const file of paths.flatMap(logFiles)) {
    const { events } = readEvents(readFileSync(file, 'utf8'), {
      where: `report: ${file}`,
      fix: CORRUPT,
      allowPartial: true,
    });
    for (const { fields } of events)
      if (fields.event === 'sweep') sessions.set(String(fields.sweep), fields as unknown as SessionEvent);
  }
  return sessions;
}

/** readLogs without the file system: the texts of log files, each with the name errors show. */
export function readLogTexts(
  files: { text: string; name: string }[],
  options: ReadLogOptions = {},
  what = 'the logs',
): ExperimentData[] {
  // RL logs have their own report (report/rl.ts).
  const runs = files
    .filter(({ text }) => logFormat(text) !== RL_LOG_FORMAT)
    .flatMap(({ text, name }) => parseLog(text, name, options));
  if (runs.length === 0) fail(what, 'no runs found; pass the logs an experiment wrote (NDJSON with start events)');
  return groupRuns(runs);
}

/** A path given by the user → the log files it names, directories expanded to their *.ndjson files, sorted. */
function logFiles(path: string): string[] {
  if (!existsSync(path)) fail(path, 'no such file or directory; give an .ndjson log or a directory of them');
  if (!statSync(path).isDirectory()) return [path];
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0)
    fail(path, 'directory holds no .ndjson logs; run the experiments first or give another directory');
  return files;
}

/** The file as the user would recognise it: relative to what they typed, not an absolute path. */
function shownPath(abs: string, given: string[]): string {
  for (const g of given) {
    const root = resolve(g);
    if (abs === root) return g;
    if (abs.startsWith(root + '/')) return join(g, abs.slice(root.length + 1));
  }
  return abs;
}

/**
 * One file's runs, reassembled from start, eval and end events in file order; `shown` names the file in errors.
 * Pure (no I/O), so that it can be fuzzed.
 */
export function parseLog(text: string, shown: string, options: ReadLogOptions = {}): RunRecord[] {
  if (text.trim() === '') fail(shown, 'empty file; the experiment did not finish — re-run it or remove the file');
  const { events } = readEvents(text, {
    where: `report: ${shown}`,
    fix: CORRUPT,
    events: EVENTS,
    allowPartial: options.allowPartial,
    partialFix: PARTIAL_FIX,
  });
  const runs: RunRecord[] = [];
  const startLines = new Map<RunRecord, number>();
  // Events find their run by id; an id may start again once its run has ended (concatenated `edlearn train`
  // logs all say run 'train'), and logs without ids belong to the last start without one.
  const open = new Map<string, RunRecord>();
  for (const { fields: event, line } of events) {
    const where = `${shown}:${line}`;
    // A sweep's session summary (src/sweep/log.ts) belongs to no run.
    if (event.event === 'sweep') continue;
    const id = typeof event.run === 'string' ? event.run : '';
    const current = open.get(id);
    if (event.event === 'start') {
      if (current && !current.end)
        fail(where, `second start header for run '${current.start.run}' before its end event; ${CORRUPT}`);
      const start = checkStart({ ...event, run: id || `${basename(shown)}:${line}` }, where);
      const record: RunRecord = { start, evals: [], end: null, source: shown };
      open.set(id, record);
      runs.push(record);
      startLines.set(record, line);
      continue;
    }
    const name = id || '(no id)';
    if (!current) fail(where, `${event.event} event for run '${name}' before its start header; ${CORRUPT}`);
    if (current.end) fail(where, `${event.event} event for run '${name}' after its end event; ${CORRUPT}`);
    if (event.event === 'eval') current.evals.push(checkEval(event, where));
    else current.end = checkEnd(event, where);
  }
  const unfinished = runs.find((r) => !r.end);
  if (unfinished && !options.allowPartial) {
    fail(
      `${shown}:${startLines.get(unfinished)}`,
      `run '${unfinished.start.run}' has no end event: the log stops before it finished; ${PARTIAL_FIX}`,
    );
  }
  return runs;
}

const EVENTS = ['start', 'eval', 'end', 'sweep'] as const;
const CORRUPT = 'the log is corrupt — re-run the experiment';
type Fields = LogLine['fields'];

function checkStart(e: Fields, where: string): StartEvent {
  if (e.format !== LOG_FORMAT)
    fail(where, `format ${JSON.stringify(e.format)} is not ${LOG_FORMAT}; is this an edlearn log?`);
  const version = e.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    fail(
      where,
      `formatVersion ${JSON.stringify(version)} is not a version number; the log is corrupt — re-run the experiment`,
    );
  }
  if ((version as number) > LOG_FORMAT_VERSION) {
    fail(
      where,
      `log format version ${version} is newer than this edlearn reads (${LOG_FORMAT_VERSION}); update edlearn`,
    );
  }
  if (typeof e.config !== 'object' || e.config === null)
    fail(where, 'start event without a config; the log is corrupt — re-run the experiment');
  // The fields the report prints must be what edlearn writes, or the page would show (or choke on) anything.
  const wrong = (['time', 'version', 'backend'] as const).filter((k) => typeof e[k] !== 'string');
  if (wrong.length > 0)
    fail(where, `start event without a text ${wrong.join(', ')}; the log is corrupt — re-run the experiment`);
  const x = e.experiment as Record<string, unknown> | undefined;
  if (x !== undefined) {
    const ok =
      typeof x === 'object' &&
      x !== null &&
      typeof x.id === 'string' &&
      typeof x.curve === 'string' &&
      (x.rule === 'ed' || x.rule === 'backprop') &&
      typeof x.seed === 'number';
    if (!ok)
      fail(
        where,
        'experiment tag needs id, curve, rule (ed or backprop) and seed; the log is corrupt — re-run the experiment',
      );
  }
  return e as unknown as StartEvent;
}

function checkEval(e: Fields, where: string): EvalEvent {
  requireNumbers(e, ['update', 'valAccuracy'], where);
  return e as unknown as EvalEvent;
}

function checkEnd(e: Fields, where: string): EndEvent {
  requireNumbers(e, ['trainSeconds', 'finalValAccuracy', 'bestValAccuracy'], where);
  return e as unknown as EndEvent;
}

function requireNumbers(e: Fields, keys: string[], where: string): void {
  const missing = keys.filter((k) => typeof e[k] !== 'number');
  if (missing.length > 0)
    fail(where, `${e.event} event without ${missing.join(', ')}; the log is corrupt — re-run the experiment`);
}

/** Experiments and curves in first-seen order; the runs of a curve are its seeds, sorted. */
function groupRuns(runs: RunRecord[]): ExperimentData[] {
  const experiments = new Map<string, Map<string, CurveData>>();
  for (const run of runs) {
    const { id, key, ...tag } = tagOf(run.start);
    const curves = experiments.get(id) ?? new Map<string, CurveData>();
    experiments.set(id, curves);
    let data = curves.get(key);
    if (!data) {
      data = { ...tag, curve: uniqueLabel(tag.curve, curves), runs: [] };
      curves.set(key, data);
    }
    const seed = seedOf(run);
    const twin = data.runs.find((r) => seedOf(r) === seed);
    if (twin)
      fail(
        run.source,
        `seed ${seed} of curve '${data.curve}' in experiment '${id}' is also in ${twin.source}; statistics ` +
          `need one run per seed — remove the duplicate`,
      );
    data.runs.push(run);
  }
  return [...experiments].map(([id, curves]) => ({
    id,
    curves: [...curves.values()].map((c) => ({ ...c, runs: c.runs.sort((a, b) => seedOf(a) - seedOf(b)) })),
  }));
}

type Tag = Omit<CurveData, 'runs'> & { id: string; key: string };

/**
 * Tagged runs join the curve they name; untagged runs (plain `edlearn train`) share a curve when only the seed differs.
 */
function tagOf(start: StartEvent): Tag {
  const x = start.experiment;
  if (x) {
    return {
      id: x.id,
      key: x.curve,
      curve: x.curve,
      rule: x.rule,
      ...(x.panel === undefined ? {} : { panel: x.panel }),
      ...(x.param === undefined ? {} : { param: x.param }),
      ...(x.cell === undefined ? {} : { cell: x.cell }),
    };
  }
  const { seed: _seed, ...settings } = start.config;
  const rule = settings.rule === 'backprop' ? 'backprop' : 'ed';
  const name = rule === 'backprop' ? 'BP' : `ED (${typeof settings.preset === 'string' ? settings.preset : 'custom'})`;
  return {
    id: UNTAGGED_EXPERIMENT,
    key: JSON.stringify(settings),
    curve: `${name} · ${start.task?.name ?? 'task'}`,
    rule,
  };
}

/** Untagged curves with different settings but the same preset and task get "#2", "#3"… */
function uniqueLabel(label: string, curves: Map<string, CurveData>): string {
  const taken = new Set([...curves.values()].map((c) => c.curve));
  let n = 1;
  let candidate = label;
  while (taken.has(candidate)) candidate = `${label} #${++n}`;
  return candidate;
}
