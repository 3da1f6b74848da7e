/**
 * `edlearn serve`: serves the built browser lab (web-dist/, from `npm run web:build`) on localhost, cross-origin
 * isolated (COOP/COEP headers) so that the WebAssembly kernels may use shared memory.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.gz': 'application/gzip', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
};

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web-dist', import.meta.url));

export interface ServeOptions {
  dir?: string;
  port?: number;
  host?: string;
}

/** Starts the server; resolves with its URL once listening. */
export function startServer(options: ServeOptions = {}): Promise<{ url: string; server: Server }> {
  const dir = resolve(options.dir ?? DEFAULT_WEB_DIR);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new UserError(`serve: ${dir} has no index.html; build the lab first with npm run web:build`);
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    // Never serve anything outside the directory.
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-cache',
    }).end(readFileSync(file));
  });
  return new Promise((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => fail(new UserError(`serve: cannot listen on port ${options.port} (${err.code}); choose another with --port`)));
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      done({ url: `http://${options.host ?? '127.0.0.1'}:${port}/`, server });
    });
  });
}

export async function serveCommand(options: ServeOptions, out: (text: string) => void = console.log): Promise<void> {
  const { url } = await startServer({ port: 5173, ...options });
  out(`edlearn lab at ${url} (Ctrl-C to stop)`);
}
