import { type Backend, BACKEND_NAMES, type BackendName } from './backend.js';
import { createWasmBackend, type WasmBuild } from './node-loader.js';
import { referenceBackend } from './reference.js';
import { UserError } from '../errors.js';

export type { Backend, BackendName } from './backend.js';
export { referenceBackend } from './reference.js';

/**
 * Picks a backend once at start-up. "auto" is the fastest this runtime supports: relaxed SIMD (fused
 * multiply-add), then SIMD, then the TypeScript reference; "wasm" is the best WebAssembly one. Each call makes a
 * backend with its own fresh memory.
 */
export function getBackend(name: BackendName | string = 'auto'): Backend {
  switch (name) {
    case 'auto':
    case 'wasm': {
      const found = createWasmBackend('wasm-relaxed-simd') ?? createWasmBackend('wasm-simd');
      if (found) return found;
      if (name === 'wasm')
        throw new UserError(
          'option backend wasm: this runtime accepts neither WebAssembly SIMD build (was npm run build run?); ' +
            'use the reference backend',
        );
      return referenceBackend;
    }
    case 'wasm-relaxed-simd':
    case 'wasm-simd': {
      const backend = createWasmBackend(name as WasmBuild);
      if (!backend)
        throw new UserError(
          `option backend ${name}: this runtime does not accept that build (or build/ is missing: run npm run ` +
            `build); try backend auto`,
        );
      return backend;
    }
    case 'reference':
      return referenceBackend;
    default:
      throw new UserError(
        `option backend: unknown backend '${String(name)}'; expected one of auto, wasm, ${BACKEND_NAMES.join(', ')}`,
      );
  }
}
