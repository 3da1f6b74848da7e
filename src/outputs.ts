/**
 * Checks of a command's outputs against its inputs and against what is already there, made before any work:
 * an output that is an input is refused (by real path), a non-empty file that is not what the command writes is
 * not replaced unless asked (--force; logs also take --append), and an empty path is refused. Node only.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from './errors.js';
import { checkNotInput } from './io.js';
import { matchIdxNames } from './data/idx-names.js';

/** The IDX files a data directory offers (every name that matches one of the four parts), or [] for 'mnist'. */
export function dataInputs(data: string | undefined): string[] {
  if (data === undefined || data === 'mnist' || !existsSync(data)) return [];
  try {
    if (!statSync(data).isDirectory()) return [];
    const names = readdirSync(data);
    return Object.values(matchIdxNames(names))
      .flatMap((m) => m.matches)
      .map((n) => join(data, n));
  } catch {
    return [];
  }
}

/**
 * Refuses each output (flag → path) that is one of `inputs`, e.g. `--save D/train-labels-idx1-ubyte` with `--data D`.
 */
export function checkOutputsNotInputs(
  outputs: Record<string, string | undefined>,
  inputs: string[],
  what: string,
): void {
  for (const [flag, path] of Object.entries(outputs)) {
    if (path === undefined || path.trim() === '') continue;
    for (const input of inputs) checkNotInput(path, input, `${what} ${input}`, `--${flag}`);
  }
}

/** Refuses an empty directory flag (`--out ""` would write into the working directory). */
export function checkDirFlag(flag: string, path: string | undefined): void {
  if (path !== undefined && path.trim() === '')
    throw new UserError(`--${flag}: the path is empty; give a directory, or leave the flag out for the default`);
}

export type ReplaceMode = 'replace' | 'append';

/**
 * What `--log path` may do to a file already there: a missing or empty file, or the log of one run of the same
 * format (what this command wrote before), is replaced; anything else — a sweep log of many runs, a log of
 * another kind, a file that is not a log — is refused unless `--append` (logs only) or `--force`.
 */
export function checkLogTarget(
  path: string | undefined,
  format: string,
  options: { append?: boolean; force?: boolean },
): ReplaceMode {
  if (options.append && options.force)
    throw new UserError('--append and --force: give one — --append adds this run to the log, --force replaces it');
  if (path === undefined || !existsSync(path) || options.force) return 'replace';
  let text: string;
  try {
    if (!statSync(path).isFile()) return 'replace'; // the writer refuses it with its own message
    text = readFileSync(path, 'utf8');
  } catch {
    return 'replace';
  }
  if (text.trim() === '') return 'replace';
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const events = lines.map((l) => {
    try {
      return JSON.parse(l) as { event?: unknown; format?: unknown };
    } catch {
      return null;
    }
  });
  const isLog = events.every((e) => e !== null && typeof e.event === 'string');
  const starts = events.filter((e) => e?.event === 'start');
  if (isLog && options.append) {
    if (starts.some((e) => e!.format !== format))
      throw new UserError(
        `--log ${path}: --append adds to a log of the same kind; this one ` +
          `holds ${String(starts.find((e) => e!.format !== format)!.format)} runs, not ${format}`,
      );
    if (!text.endsWith('\n'))
      throw new UserError(`--log ${path}: its last line is cut; repair or remove the file before appending`);
    return 'append';
  }
  if (isLog && starts.length === 1 && starts[0]!.format === format && events.every((e) => e!.event !== 'sweep'))
    return 'replace';
  const what = !isLog
    ? 'not an edlearn log'
    : starts.length !== 1
      ? `a log of ${starts.length} runs`
      : `a log of another kind (${String(starts[0]!.format)})`;
  throw new UserError(
    `--log ${path}: the file exists and is ${what}; replacing it would lose it — give another file, --append ` +
      `to add this run to a log, or --force to replace it`,
  );
}

/** The text a log opened with --append starts with. */
export function existingLog(path: string): string {
  return readFileSync(resolve(path), 'utf8');
}

/** A model or agent file starts with these bytes (model/format.ts). */
const MODEL_MAGIC = 'EDLEARN\0';

/**
 * `--save path`: a non-empty file there that is not a model file (a dataset, notes) is not replaced without --force.
 */
export function checkModelTarget(path: string): void {
  let head: string;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size === 0) return;
    head = readFileSync(path).subarray(0, MODEL_MAGIC.length).toString('latin1');
  } catch {
    return;
  }
  if (head !== MODEL_MAGIC)
    throw new UserError(
      `--save ${path}: the file exists and is not an edlearn model file; replacing it would lose it — give ` +
        `another file, or --force to replace it`,
    );
}
