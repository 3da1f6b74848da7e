/** File output that never leaves a half-written file behind: write to a temp file beside it, then rename. */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from './errors.js';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPath(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw cannotWrite(path, err);
  }
}

/**
 * A file written line by line that appears under its name only when closed; abort() removes it. A crash leaves
 * at most `<path>.<pid>.tmp`, never a truncated `<path>`.
 */
export class AtomicLineWriter {
  private fd: number;
  private readonly tmp: string;

  constructor(readonly path: string) {
    this.tmp = tempPath(path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(this.tmp, 'w');
    } catch (err) {
      throw cannotWrite(path, err);
    }
  }

  writeLine(line: string): void {
    writeSync(this.fd, line + '\n');
  }

  close(): void {
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }
}

/** Removes our temp file; what cannot be removed (not a file, no permission) is left, so the real error is reported. */
function removeQuietly(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // keep the original error
  }
}

function tempPath(path: string): string {
  return `${path}.${process.pid}.tmp`;
}

function cannotWrite(path: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  return new UserError(`cannot write ${path} (${code}); check that its directory exists and is writable`);
}
