/**
 * Entry of a sweep worker process (forked by processes.ts): trains the jobs it is sent, one at a time, each with
 * one thread, in its own WebAssembly memory; datasets stay loaded between jobs. It exits when its parent goes away.
 */
import { UserError } from '../errors.js';
import { DatasetMismatch, executeJob } from './execute.js';
import { exitWithParent } from './orphan-watch.js';
import type { ChildReply, ChildRequest } from './processes.js';

// A reply to a parent that has gone would fail with EPIPE: it is dropped, the process is ending anyway.
const reply = (message: ChildReply) => {
  if (process.connected) process.send?.(message, undefined, {}, () => {});
};
process.on('error', () => {});
exitWithParent();

process.on('message', (message: ChildRequest) => {
  try {
    reply({ kind: 'done', runId: message.job.runId, events: executeJob(message.job) });
  } catch (err) {
    const user = err instanceof UserError;
    reply({
      kind: 'failed',
      runId: message.job.runId,
      user,
      mismatch: err instanceof DatasetMismatch,
      message: user ? err.message : String((err as Error)?.stack ?? err),
    });
  }
});
// Leave as soon as the channel closes (between runs), or the parent is gone (during one: orphan-watch.ts).
process.on('disconnect', () => process.exit(0));
