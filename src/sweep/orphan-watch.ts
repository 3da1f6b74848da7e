/**
 * Makes a forked process end when its parent does, even while its own event loop is busy with a synchronous
 * training run (when the 'disconnect' event cannot run): a thread polls the parent's pid and kills the process
 * once it changed (the orphan was re-parented). Without it, a worker or coordinator killed with SIGKILL would
 * leave its child training the whole run, only to fail writing the result to a closed channel.
 */
import { Worker } from 'node:worker_threads';

const POLL_MS = 250;

// Plain JavaScript for an eval'd thread: nothing to load, no TypeScript loader needed.
const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(workerData.self, 'SIGKILL');
}, workerData.pollMs);
`;

export function exitWithParent(): void {
  const watcher = new Worker(WATCH, {
    eval: true,
    workerData: { parent: process.ppid, self: process.pid, pollMs: POLL_MS },
  });
  // The thread must not keep the process alive on its own.
  watcher.unref();
}
