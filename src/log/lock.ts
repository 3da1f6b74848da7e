/**
 * One writer per log: an exclusive lock file `<log>.lock` beside a log that is appended to (sweeps), made with
 * O_EXCL so that of two processes starting at once exactly one gets it. It names its owner (pid, host, command),
 * so that the refusal can say who holds it; a lock left by a process that died (same host, pid gone) is taken
 * over. Removed when the writer ends, including on exit by a signal handler's process.exit.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '../errors.js';

interface Owner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export const lockPathOf = (log: string) => `${log}.lock`;

/** Takes the lock of `log` for `command` (e.g. "edlearn sweep quick.yaml"); returns the function that releases it. */
export function lockLog(log: string, command: string): () => void {
  const path = lockPathOf(log);
  const me: Owner = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return () => {}; // the log's directory does not exist yet: the first run makes it, alone
      if (code !== 'EEXIST')
        throw new UserError(
          `cannot lock ${log} (${code}): ${path} cannot be created; check the directory's permissions`,
        );
      const owner = readOwner(path);
      if (attempt < 3 && owner && stale(owner)) {
        rmSync(path, { force: true });
        continue;
      }
      if (attempt < 3 && owner === null) {
        // Being written by its maker this very moment, or left empty by a crash: look again shortly.
        sleepMs(50);
        if (readOwner(path) === null && attempt === 2) rmSync(path, { force: true });
        continue;
      }
      const who = owner
        ? `process ${owner.pid} on ${owner.host} (${owner.command}, since ${owner.since})`
        : 'another process';
      throw new UserError(
        `${log} is being written by ${who}; two writers would log every run twice — wait for it to finish, ` +
          `give another --log, or remove ${path} if that process is gone`,
      );
    }
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    break;
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // Only our own lock: never one another process took over meanwhile.
    if (readOwner(path)?.pid === me.pid) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return release;
}

function readOwner(path: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Owner;
    return Number.isInteger(o?.pid) && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

/** A lock of this host whose process is gone. Another host's lock is never judged from here. */
function stale(owner: Owner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
