/**
 * The RL logs as the report reads them (rl-*.ndjson, through the one log reader of src/log/): each run's start,
 * episodes, evaluations and end. A cut last line or a run without its end is refused unless allowPartial.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { RL_LOG_FORMAT, type RlEvalRecord, type RlStartEvent, type RlSummary } from '../log/events.js';
import { logFormat, readEvents } from '../log/read.js';
import type { EpisodeRecord } from '../rl/loop.js';

export interface RlRunLog {
  start: RlStartEvent;
  episodes: EpisodeRecord[];
  evals: RlEvalRecord[];
  /** Logs written before the persistence fields have no greedy or weights. */
  end: Omit<RlSummary, 'greedy' | 'weights'> & Partial<Pick<RlSummary, 'greedy' | 'weights'>>;
}

/**
 * The runs of every RL log among `paths` (files, or directories of them: their rl-*.ndjson files). With
 * allowPartial, a cut last line is dropped and runs without an end event are left out (the tables need it).
 */
export function readRlLogs(paths: string[], options: { allowPartial?: boolean } = {}): RlRunLog[] {
  const files = paths.flatMap((p) => {
    if (!existsSync(p)) return [];
    if (!statSync(p).isDirectory()) return [p];
    return readdirSync(p)
      .filter((f) => f.startsWith('rl-') && f.endsWith('.ndjson'))
      .sort()
      .map((f) => join(p, f));
  });
  return files.flatMap((f) => {
    const text = readFileSync(f, 'utf8');
    return logFormat(text) === RL_LOG_FORMAT ? parseRlLog(text, f, options.allowPartial ?? false) : [];
  });
}

const RERUN = 're-run edlearn experiment rl';
const PARTIAL_FIX = `${RERUN}, or pass --allow-partial to report the finished runs only`;

function parseRlLog(text: string, name: string, allowPartial: boolean): RlRunLog[] {
  const runs = new Map<string, Partial<RlRunLog> & { episodes: EpisodeRecord[]; evals: RlEvalRecord[] }>();
  const { events } = readEvents(text, {
    where: `report: ${name}`,
    fix: `the RL log is corrupt — ${RERUN}`,
    events: ['start', 'episode', 'eval', 'end'],
    allowPartial,
    partialFix: PARTIAL_FIX,
  });
  for (const { fields: e, line } of events) {
    const id = String(e.run);
    const run = runs.get(id);
    if (e.event === 'start') runs.set(id, { start: e as unknown as RlStartEvent, episodes: [], evals: [] });
    else if (!run)
      throw new UserError(`report: ${name}:${line}: ${e.event} event for run '${id}' before its start; ${RERUN}`);
    else if (e.event === 'episode') run.episodes.push(e as unknown as EpisodeRecord);
    else if (e.event === 'eval') run.evals.push(e as unknown as RlEvalRecord);
    else run.end = e as unknown as RlSummary;
  }
  const unfinished = [...runs.values()].find((r) => !r.end);
  if (unfinished && !allowPartial)
    throw new UserError(
      `report: ${name}: run '${unfinished.start?.run}' has no end event (an interrupted run); ${PARTIAL_FIX}`,
    );
  return [...runs.values()].filter((r) => r.end) as RlRunLog[];
}
