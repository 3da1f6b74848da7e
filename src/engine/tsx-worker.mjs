// Starts a worker whose entry is TypeScript (when edlearn runs from src/ under tsx, as in the tests):
// worker threads do not inherit tsx's loader, so register it here, then load the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
