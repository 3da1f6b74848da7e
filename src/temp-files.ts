/**
 * Temporary files and directories that must not outlive the process: registered while they exist, removed by a
 * SIGINT/SIGTERM handler that then exits with 130/143 (128 + signal number, as a shell reports a killed command).
 *
 * The handler is installed only while something is registered. Node runs signal handlers on the event loop, so
 * a handler installed for the whole process would defer Ctrl-C until a synchronous training run ends; outside
 * the short windows where a temp file exists, the default action (terminate at once) is what the user wants.
 */
import { rmSync } from 'node:fs';

/** Registered paths and whether each is a directory (removed with its contents) or a file. */
const temps = new Map<string, 'file' | 'dir'>();
// SIGHUP too: a closed terminal must not leave a half-made report directory behind.
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Signal = keyof typeof SIGNALS;
/**
 * A signal that arrives during a synchronous write is delivered at the next turn of the event loop; removing the
 * handler at once would drop it (Ctrl-C ignored), so it is removed a little later if nothing is registered then.
 */
const UNINSTALL_DELAY_MS = 20;
let installed = false;
let uninstallTimer: NodeJS.Timeout | null = null;

/** Registers `path` (a file or a directory) for removal if the process is interrupted. */
export function registerTemp(path: string, kind: 'file' | 'dir' = 'file'): void {
  temps.set(path, kind);
  if (uninstallTimer) clearTimeout(uninstallTimer);
  uninstallTimer = null;
  if (installed) return;
  for (const signal of Object.keys(SIGNALS) as Signal[]) process.on(signal, onSignal);
  installed = true;
}

/** Forgets `path`: it was renamed into place or removed. */
export function releaseTemp(path: string): void {
  temps.delete(path);
  if (temps.size > 0 || !installed || uninstallTimer) return;
  uninstallTimer = setTimeout(uninstall, UNINSTALL_DELAY_MS);
  uninstallTimer.unref();
}

/**
 * Removes `path` (a directory with its contents) and forgets it; a path that cannot be removed
 * is left, the caller's error matters more.
 */
export function removeTemp(path: string): void {
  try {
    rmSync(path, { recursive: temps.get(path) === 'dir', force: true });
  } catch {
    // keep the caller's error
  }
  releaseTemp(path);
}

/** The paths registered now (for tests). */
export function registeredTemps(): string[] {
  return [...temps.keys()];
}

/**
 * Resolves once any signal that arrived during a synchronous write has been handled and idle handlers are
 * removed; call it between long synchronous steps so that Ctrl-C keeps its default effect during them.
 */
export function settleSignals(): Promise<void> {
  return new Promise((done) => setTimeout(done, UNINSTALL_DELAY_MS + 5));
}

function uninstall(): void {
  uninstallTimer = null;
  if (temps.size > 0) return;
  for (const signal of Object.keys(SIGNALS) as Signal[]) process.removeListener(signal, onSignal);
  installed = false;
}

function onSignal(signal: Signal): void {
  for (const [path, kind] of temps) {
    try {
      rmSync(path, { recursive: kind === 'dir', force: true });
    } catch {
      // nothing more can be done while exiting
    }
  }
  temps.clear();
  process.stderr.write(`\nedlearn: interrupted (${signal}); unfinished outputs removed\n`);
  process.exit(SIGNALS[signal]);
}
