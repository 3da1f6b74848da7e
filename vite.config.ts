// The browser lab (web/): imports the library's browser-safe API as 'edlearn/browser', and is served
// cross-origin isolated (COOP/COEP) so that the WebAssembly kernels can use shared memory.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'web',
  base: './',
  resolve: {
    alias: { 'edlearn/browser': fileURLToPath(new URL('./src/browser.ts', import.meta.url)) },
  },
  worker: { format: 'es' },
  build: { outDir: '../web-dist', emptyOutDir: true, target: 'es2022' },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
});
