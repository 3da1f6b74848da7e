/**
 * The page's side of the worker: starts it, turns requests that expect an answer into promises (matched by id),
 * and hands every other message to the page. A worker that fails to start rejects what is pending.
 */
import type { FromWorker, ToWorker } from './protocol';

type Answer = Extract<FromWorker, { id: number }>;
type Request = Extract<ToWorker, { id: number }>;

export class LabClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Answer) => void; reject: (e: Error) => void }>();

  /** `worker`: the production worker (main.ts) or the dev page's (dev/main.ts). */
  constructor(worker: Worker, onMessage: (msg: FromWorker) => void, onError: (message: string) => void) {
    this.worker = worker;
    this.worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      const msg = event.data;
      const waiting = 'id' in msg && msg.id !== undefined ? this.pending.get(msg.id) : undefined;
      if (!waiting || !('id' in msg) || msg.id === undefined) return onMessage(msg);
      this.pending.delete(msg.id);
      if (msg.type === 'error') waiting.reject(new Error(msg.message));
      else waiting.resolve(msg as Answer);
    });
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      const message = `training worker failed: ${event.message || 'it could not be started'}`;
      for (const p of this.pending.values()) p.reject(new Error(message));
      this.pending.clear();
      onError(message);
    });
    this.worker.addEventListener('messageerror', () => onError('training worker: a message could not be read'));
  }

  send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  /** A request outside the protocol (the dev entry's own), answered by a message carrying its id. */
  requestOther(build: (id: number) => { type: string; id: number }): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(build(id));
    });
  }

  /** Sends a request built with a fresh id and resolves with the answer of type `T` (or rejects with the error). */
  request<T extends Answer['type']>(
    type: T,
    build: (id: number) => Request,
    transfer: Transferable[] = [],
  ): Promise<Extract<Answer, { type: T }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (m) =>
          m.type === type
            ? resolve(m as Extract<Answer, { type: T }>)
            : reject(new Error(`worker answered '${m.type}', expected '${type}'`)),
        reject,
      });
      this.send(build(id), transfer);
    });
  }
}
