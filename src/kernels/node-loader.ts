/**
 * Node.js side of backend selection: read the compiled kernels from build/, probe what this runtime accepts
 * (relaxed SIMD, then SIMD), and cache the choice. The browser lab has its own loader over the same WasmBackend.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { createMemory, WasmBackend } from './wasm.js';

export const WASM_BUILDS = { 'wasm-relaxed-simd': 'kernels-relaxed.wasm', 'wasm-simd': 'kernels-simd.wasm' } as const;
export type WasmBuild = keyof typeof WASM_BUILDS;

let relaxedFlagSet = false;
const modules = new Map<WasmBuild, WebAssembly.Module | null>();

/** The compiled module of a build, or null when the file is missing or this runtime rejects it. */
export function loadWasmModule(build: WasmBuild): WebAssembly.Module | null {
  if (modules.has(build)) return modules.get(build)!;
  if (build === 'wasm-relaxed-simd' && !relaxedFlagSet) {
    // Node 20's V8 ships relaxed SIMD behind a flag; it must be set before the first compile.
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxedFlagSet = true;
  }
  let module: WebAssembly.Module | null = null;
  try {
    const bytes = readFileSync(new URL(`../../build/${WASM_BUILDS[build]}`, import.meta.url));
    if (WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
  } catch {
    module = null;
  }
  modules.set(build, module);
  return module;
}

export function createWasmBackend(build: WasmBuild): WasmBackend | null {
  const module = loadWasmModule(build);
  return module ? new WasmBackend(build, module, createMemory()) : null;
}
