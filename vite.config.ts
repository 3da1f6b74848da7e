// The browser lab (web/): imports the library's browser-safe API as 'edlearn/browser', and is served
// cross-origin isolated (COOP/COEP) so that the WebAssembly kernels can use shared memory.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// `vite build --mode dev` adds the dev page (dev.html: the browser test's hooks); the default build has only index.html.
export default defineConfig(({ mode }) => ({
  root: 'web',
  base: './',
  resolve: {
    alias: { 'edlearn/browser': fileURLToPath(new URL('./src/browser.ts', import.meta.url)) },
  },
  worker: { format: 'es' },
  build: {
    outDir: '../web-dist', emptyOutDir: true, target: 'es2022',
    rollupOptions: { input: mode === 'dev' ? { index: 'web/index.html', dev: 'web/dev.html' } : { index: 'web/index.html' } },
  },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
}));
