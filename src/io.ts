/**
 * File output that never leaves a half-written or stray file behind: every output is written to a temp file
 * beside its target and renamed onto it. One helper for every writer (models, logs, bench JSON, report files).
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';
import { registerTemp, releaseTemp, removeTemp } from './temp-files.js';

/** Links followed before giving up, like the kernel's ELOOP limit. */
const MAX_LINKS = 40;

/**
 * Writes `data` to `path` atomically: a reader sees the old file or the whole new one, never part of it.
 *
 * A symlink is written through: the data lands in the file it points to and the link stays a link (the temp
 * file sits beside the real target, so the rename stays on one file system). That is what `>` in a shell does
 * and what a user who linked an output somewhere expects; replacing the link would silently detach it.
 * A directory, FIFO, device or socket is refused: renaming over it would destroy it, and writing into it
 * is not a file write. Errors are one-line UserErrors naming the path; the temp file is always removed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = outputTarget(path);
  const tmp = tempPath(target);
  let fd: number | null = null;
  let created = false;
  try {
    mkdirSync(dirname(target), { recursive: true });
    fd = openTemp(tmp);
    created = true;
    writeFileSync(fd, data);
    fsyncSync(fd);
    const fdToClose = fd;
    fd = null; // closed exactly once, even if close fails (a second close would report EBADF instead)
    closeSync(fdToClose);
    keepMode(target, tmp);
    renameSync(tmp, target);
    releaseTemp(tmp);
  } catch (err) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // the write error matters more
      }
    }
    if (created) removeTemp(tmp);
    throw cannotWrite(path, err);
  }
}

/**
 * Checks, before any work is done, that `path` can become an output: not a directory/FIFO/device, and a file can
 * be created in its directory (or in the nearest existing ancestor, since the write makes missing directories).
 * Creates nothing that stays: an interrupted run must not leave even an empty directory. Throws the UserError a
 * write would throw.
 */
export function checkOutputPath(path: string): void {
  const target = outputTarget(path);
  let dir = dirname(target);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const probe = dir === dirname(target) ? tempPath(target) : join(dir, `.edlearn-probe.${process.pid}.tmp`);
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    // Made and removed in one synchronous step, so not registered: registering installs signal handlers,
    // which would defer Ctrl-C until the training run that follows has finished.
    closeSync(openTemp(probe, false));
    rmSync(probe, { force: true });
  } catch (err) {
    throw cannotWrite(path, err);
  }
}

/**
 * Refuses two outputs that name the same file (also through a symlink or a hard link), e.g.
 * `checkDistinctOutputs({ log: opts.log, save: opts.save })`; keys are flag names without "--", undefined
 * values are skipped, an empty path is refused.
 */
export function checkDistinctOutputs(outputs: Record<string, string | undefined>): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of Object.entries(outputs)) {
    if (path === undefined) continue;
    if (path.trim() === '')
      throw new UserError(`--${flag}: the path is empty; give a file name, or leave the flag out`);
    const id = fileIdentity(path);
    const other = seen.get(id);
    if (other !== undefined) {
      throw new UserError(
        `--${other} and --${flag} both name ${path}; one would overwrite the other — give each output its own file`,
      );
    }
    seen.set(id, flag);
  }
}

/**
 * Refuses an output that is one of the command's inputs (by real path: also through a symlink, a hard link or
 * "..") — writing it would destroy what the command reads. `what` names the input ("the sweep file").
 */
export function checkNotInput(output: string, input: string, what: string, flag = '--log'): void {
  if (output.trim() === '' || input.trim() === '') return;
  if (fileIdentity(output) === fileIdentity(input)) {
    throw new UserError(
      `${flag} ${output} is ${what} (${input}); writing it would destroy an input — give another file`,
    );
  }
}

/**
 * A file written line by line that appears under its name, whole, only when closed; abort() drops it.
 * Lines are kept in memory (logs are at most a few MB): a long synchronous run then holds no temp file that an
 * interrupt could leave behind, and Ctrl-C keeps its immediate effect. The path is checked when the writer is
 * made, so that a bad --log fails before training, not after it.
 */
export class AtomicLineWriter {
  private lines: string[] = [];
  private finished = false;

  constructor(readonly path: string) {
    checkOutputPath(path);
  }

  writeLine(line: string): void {
    if (this.finished) throw new Error(`AtomicLineWriter: ${this.path} is already closed`);
    this.lines.push(line, '\n');
  }

  close(): void {
    if (this.finished) return;
    this.finished = true;
    const text = this.lines.join('');
    this.lines = [];
    writeFileAtomic(this.path, text);
  }

  abort(): void {
    this.finished = true;
    this.lines = [];
  }
}

/**
 * Makes the temp directory `<path>.tmp-<pid>` (emptied first) for output assembled in several files, removed if
 * the process is interrupted; the caller renames it into place and calls releaseTemp, or calls removeTemp.
 */
export function makeTempDir(path: string): string {
  const tmp = `${resolve(path)}.tmp-${process.pid}`;
  registerTemp(tmp, 'dir');
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
  } catch (err) {
    removeTemp(tmp);
    throw cannotWrite(path, err);
  }
  return tmp;
}

export { releaseTemp, removeTemp } from './temp-files.js';

/** Where a write to `path` lands: `path`, or the end of its chain of symlinks; refuses what is not a regular file. */
function outputTarget(path: string): string {
  if (path.trim() === '') throw new UserError('cannot write to an empty path; give a file name');
  // "newdir/" names a directory: writing a file called "newdir" instead would surprise.
  if (/[/\\]$/.test(path))
    throw new UserError(
      `cannot write ${path}: a trailing slash names a directory; give a file name, e.g. ${join(path, 'out')}`,
    );
  let target = resolve(path);
  for (let links = 0; ; links++) {
    let st: Stats;
    try {
      st = lstatSync(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotWrite(path, err);
      // The end of a dangling symlink: written only into a directory that exists (never made through a link).
      if (links > 0 && !existsSync(dirname(target))) {
        throw new UserError(
          `cannot write ${path}: it is a symlink to ${target}, whose directory does not exist; fix or remove the link`,
        );
      }
      return target;
    }
    if (st.isFile()) return target;
    if (!st.isSymbolicLink()) throw notAFile(path, st);
    if (links >= MAX_LINKS)
      throw new UserError(`cannot write ${path}: more than ${MAX_LINKS} symlinks in a row (a loop?); give a file path`);
    target = resolve(dirname(target), readlinkSync(target));
  }
}

function notAFile(path: string, st: Stats): UserError {
  const kind = kindOf(st);
  const fix = st.isDirectory()
    ? `give a file name, e.g. ${join(path, 'out')}`
    : 'edlearn writes whole files only — give the path of a regular file';
  return new UserError(`cannot write ${path}: it is ${kind}; ${fix}`);
}

/** What identifies the file `path` would write: device and inode when it exists, else its resolved location. */
function fileIdentity(path: string): string {
  const target = outputTarget(path);
  try {
    const st = statSync(target);
    return `inode ${st.dev}:${st.ino}`;
  } catch {
    // Not there yet: its directory may be reached by different spellings (symlinked directories, "..").
    try {
      return join(realpathSync(dirname(target)), basename(target));
    } catch {
      return target;
    }
  }
}

/**
 * Opens a new temp file, never through something already at its name: a stale temp file or a planted symlink
 * is removed first, anything else (a directory) is left alone and reported. Registered once it is ours.
 */
function openTemp(tmp: string, register = true): number {
  let fd: number;
  try {
    fd = openSync(tmp, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || lstatSync(tmp).isDirectory()) throw err;
    rmSync(tmp, { force: true });
    fd = openSync(tmp, 'wx');
  }
  if (register) registerTemp(tmp);
  return fd;
}

/** A replaced file keeps its permissions (a model made read-only for others stays so). */
function keepMode(target: string, tmp: string): void {
  try {
    chmodSync(tmp, statSync(target).mode & 0o7777);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function tempPath(target: string): string {
  return `${target}.${process.pid}.tmp`;
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device; free some space or write elsewhere',
  EDQUOT: 'disk quota exceeded; free some space or write elsewhere',
  EISDIR: 'it is a directory; give a file name',
  EACCES: 'permission denied; choose a directory you can write to',
  EPERM: 'operation not permitted; choose a directory you can write to',
  EROFS: 'the file system is read-only; write elsewhere',
  ENOTDIR: 'a component of the path is not a directory; check the path',
  ENOENT: 'its directory cannot be created; check the path',
  ENAMETOOLONG: 'the name is too long; give a shorter path',
  ELOOP: 'too many symlinks; give a file path',
  EEXIST: 'a directory is in the way of its temporary file (same name + .PID.tmp); remove it',
};

/** One line naming the path, the error code and what to do; an error without a system code is a bug and is kept. */
function cannotWrite(path: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof UserError || typeof code !== 'string') return err;
  const reason = REASONS[code] ?? 'check that its directory exists and is writable';
  return new UserError(`cannot write ${path} (${code}): ${reason}`);
}

/**
 * Reads an input file whole. A directory, FIFO, device or socket is refused with one line (checked on the open
 * file, so nothing can swap it in between): reading /dev/zero or a pipe would never end. System errors keep
 * their code for the caller's message.
 */
export function readInputFile(path: string, what = 'input'): Buffer {
  if (path === '') throw new UserError(`${what}: the path is empty; give a file name`);
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new UserError(`${what} ${path}: it is ${kindOf(st)}, not a regular file; give the path of a file`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: Stats): string {
  return st.isDirectory()
    ? 'a directory'
    : st.isFIFO()
      ? 'a FIFO (named pipe)'
      : st.isSocket()
        ? 'a socket'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : 'not a regular file';
}
