import type { Backend } from './backend.js';
import { referenceBackend } from './reference.js';
import { UserError } from '../errors.js';

export type { Backend } from './backend.js';
export { referenceBackend } from './reference.js';

export const BACKEND_NAMES = ['reference'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number] | 'auto';

/** Picks a backend once at start-up: "auto" means the fastest one this runtime supports. */
export function getBackend(name: BackendName | string = 'auto'): Backend {
  switch (name) {
    case 'auto':
    case 'reference':
      return referenceBackend;
    default:
      throw new UserError(`--backend: unknown backend '${String(name)}'; expected one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
}
