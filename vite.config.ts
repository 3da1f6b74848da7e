// The browser lab (web/): imports the library's browser-safe API as 'edlearn/browser', and is served
// cross-origin isolated (COOP/COEP) so that the WebAssembly kernels can use shared memory.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Files a server may send compressed: text and WebAssembly (the data is gzipped IDX already). */
const COMPRESSIBLE = /\.(js|css|html|wasm|svg|json)$/;

/**
 * Writes NAME.br and NAME.gz beside every compressible file of the build, for servers that send precompressed
 * files (edlearn serve, nginx gzip_static/brotli_static, Caddy precompressed); hosts that compress on the fly
 * ignore them.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'edlearn-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(outDir).filter((f) => COMPRESSIBLE.test(f))) {
        const bytes = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(bytes, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
          }),
        );
      }
    },
  };
}

// `vite build --mode dev` adds the dev page (dev.html: the browser test's
// hooks); the default build has only index.html.
export default defineConfig(({ mode }) => ({
  root: 'web',
  base: './',
  resolve: {
    alias: { 'edlearn/browser': fileURLToPath(new URL('./src/browser.ts', import.meta.url)) },
  },
  worker: { format: 'es' },
  plugins: [precompress()],
  build: {
    outDir: '../web-dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: mode === 'dev' ? { index: 'web/index.html', dev: 'web/dev.html' } : { index: 'web/index.html' },
    },
  },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
}));
