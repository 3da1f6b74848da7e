/**
 * The one reader of NDJSON logs: text → events, each with its line number and text. Every event ends with a
 * newline, so a last line without one that is not JSON was cut mid-way (an interrupted run, a truncated copy):
 * refused, or with `allowPartial` dropped and reported as `cut`. Any other line that is not a JSON object naming
 * an event is a UserError naming the file, the line and the caller's fix. Pure and browser-safe (it is fuzzed).
 */
import { UserError } from '../errors.js';

/** One event of a log: its fields, its 1-based line number, and its text as written. */
export interface LogLine {
  fields: Record<string, unknown> & { event: string; run?: unknown };
  line: number;
  text: string;
}

export interface ReadEventsOptions {
  /** Names the file in errors, e.g. "report: runs/a.ndjson"; ":<line>" is appended. */
  where: string;
  /** What the user should do about a corrupt line, e.g. "the log is corrupt — re-run the experiment". */
  fix: string;
  /** The events this kind of log holds; others are refused. */
  events?: readonly string[];
  /** Drop a cut last line instead of refusing the log; `partialFix` says how to opt in. */
  allowPartial?: boolean;
  partialFix?: string;
}

export interface LogEvents {
  events: LogLine[];
  /** The line number of a cut last line that was dropped, or null. */
  cut: number | null;
}

export function readEvents(text: string, options: ReadEventsOptions): LogEvents {
  const lines = text.split('\n');
  const last = lines[lines.length - 1];
  let cut: number | null = null;
  if (!text.endsWith('\n') && last.trim() !== '' && !isJson(last)) {
    cut = lines.length;
    if (!options.allowPartial) {
      const fix = options.partialFix ? `; ${options.partialFix}` : '';
      fail(
        options,
        cut,
        `the last line is cut off mid-way: the log is incomplete (an interrupted run or a truncated copy)${fix}`,
      );
    }
    lines.pop();
  }
  const events: LogLine[] = [];
  lines.forEach((text, i) => {
    if (text.trim() !== '') events.push({ fields: parseLine(text, i + 1, options), line: i + 1, text });
  });
  return { events, cut };
}

/** The format tag of a log's first event ('edlearn-log', 'edlearn-rl-log'), or null if it has none. */
export function logFormat(text: string): string | null {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  try {
    const format = (JSON.parse(first) as { format?: unknown } | null)?.format;
    return typeof format === 'string' ? format : null;
  } catch {
    return null;
  }
}

/** Whether a line is one JSON value (a log line cut in the middle is not). */
export function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function parseLine(text: string, line: number, options: ReadEventsOptions): LogLine['fields'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail(options, line, `not JSON (${(err as Error).message}); ${options.fix}`);
  }
  const event = (value as { event?: unknown } | null)?.event;
  const known = options.events;
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    typeof event !== 'string' ||
    (known && !known.includes(event))
  ) {
    const expected = known ? known.map((e) => `"${e}"`).join(', ') : 'a name';
    fail(options, line, `not an edlearn log event (expected "event": ${expected}); is this an edlearn log?`);
  }
  return value as LogLine['fields'];
}

function fail(options: ReadEventsOptions, line: number, what: string): never {
  throw new UserError(`${options.where}:${line}: ${what}`);
}
