/**
 * Browser side of backend selection: fetch the compiled kernels, probe what this browser accepts (relaxed SIMD,
 * then SIMD) and fall back to the TypeScript reference. The kernels use a shared memory, which a page may only
 * create when it is cross-origin isolated (served with COOP/COEP headers); otherwise the reference runs.
 */
import type { Backend } from './backend.js';
import { referenceBackend } from './reference.js';
import { createMemory, WasmBackend } from './wasm.js';

export interface BrowserBackendChoice {
  backend: Backend;
  /** Why a faster backend was not used, when it was not. */
  reason?: string;
}

/** `baseUrl` is where kernels-relaxed.wasm and kernels-simd.wasm are served. */
export async function loadBrowserBackend(
  baseUrl: string | URL,
  prefer: 'auto' | 'reference' = 'auto',
): Promise<BrowserBackendChoice> {
  if (prefer === 'reference') return { backend: referenceBackend, reason: 'reference backend requested' };
  if (
    typeof SharedArrayBuffer === 'undefined' ||
    !(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated
  ) {
    return {
      backend: referenceBackend,
      reason: 'the page is not cross-origin isolated, so WebAssembly shared memory is unavailable',
    };
  }
  for (const [name, file] of [
    ['wasm-relaxed-simd', 'kernels-relaxed.wasm'],
    ['wasm-simd', 'kernels-simd.wasm'],
  ] as const) {
    try {
      const response = await fetch(new URL(file, baseUrl));
      if (!response.ok) continue;
      const bytes = await response.arrayBuffer();
      if (!WebAssembly.validate(bytes)) continue;
      const module = await WebAssembly.compile(bytes);
      return { backend: new WasmBackend(name, module, createMemory()) };
    } catch {
      // try the next build
    }
  }
  return { backend: referenceBackend, reason: 'this browser accepts neither WebAssembly SIMD build' };
}
