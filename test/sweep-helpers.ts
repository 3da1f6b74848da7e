// Shared by the sweep tests: start the CLI without waiting, and read a sweep log without its timings.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers.js';

/** Fields that measure time or the machine, not the run: everything else must be bit-identical. */
const TIMINGS = new Set(['time', 'machine', 'trainSeconds', 'wallSeconds', 'samplesPerSecond']);

/** The runs of a sweep log, sorted by label, each as its events' JSON without timings; session lines dropped. */
export function runsOf(path: string): Map<string, string[]> {
  const runs = new Map<string, string[]>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as Record<string, unknown>;
    if (e.event === 'sweep') continue;
    const kept = JSON.stringify(e, (k, v) => (TIMINGS.has(k) ? undefined : v));
    runs.set(String(e.run), [...(runs.get(String(e.run)) ?? []), kept]);
  }
  return new Map([...runs].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** End events per run id. */
export function endsById(path: string): Map<string, number> {
  const ends = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as { event: string; runId?: string };
    if (e.event === 'end') ends.set(e.runId!, (ends.get(e.runId!) ?? 0) + 1);
  }
  return ends;
}

export interface Spawned {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves when stderr has a line matching `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
}

/** Runs the CLI from src/ under tsx, like runCli, but returns at once. */
export function spawnCli(args: string[], cwd = ROOT, env: Record<string, string> = {}): Spawned {
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'src/cli/bin.ts'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const waiters: { re: RegExp; done: () => void }[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    err += d;
    for (const w of [...waiters])
      if (w.re.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
  });
  child.stdout!.resume();
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    stderr: () => err,
    exited,
    waitFor: (re, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        if (re.test(err)) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} in: ${err}`)), timeoutMs);
        waiters.push({
          re,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
}
