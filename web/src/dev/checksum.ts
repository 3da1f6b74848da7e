/** What the browser test's checksum request needs beyond the run builder: a fixed backend and a digest. */
import { type Backend, createMemory, UserError, WasmBackend } from 'edlearn/browser';

/** The plain-SIMD kernels, whatever the page chose: their results do not depend on the engine or the CPU. */
export async function simdBackend(pageUrl: URL): Promise<Backend> {
  const response = await fetch(new URL('wasm/kernels-simd.wasm', pageUrl));
  if (!response.ok) throw new UserError(`checksum: wasm/kernels-simd.wasm: HTTP ${response.status}`);
  return new WasmBackend('wasm-simd', await WebAssembly.compile(await response.arrayBuffer()), createMemory());
}

/** Hex SHA-256 of the arrays' bytes in order (copied: digest refuses views of shared memory). */
export async function sha256(arrays: Float32Array[]): Promise<string> {
  const total = arrays.reduce((n, a) => n + a.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
