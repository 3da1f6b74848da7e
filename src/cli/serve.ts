/**
 * `edlearn serve`: serves the built browser lab (web-dist/, from `npm run web:build`) on loopback, cross-origin
 * isolated (COOP/COEP headers) so that the WebAssembly kernels may use shared memory. Only files inside --dir
 * are ever served; a malformed request gets a 4xx answer and the server keeps running.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompressed } from './serve-encoding.js';
import { UserError } from '../errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.gz': 'application/gzip', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
};

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web-dist', import.meta.url));
export const DEFAULT_PORT = 5173;
/** Longest request target answered; the lab's own paths are < 100 characters. */
export const MAX_URL_LENGTH = 2048;

export interface ServeOptions {
  dir?: string;
  /** 1…65535; omitted: any free port (tests), the CLI passes DEFAULT_PORT. */
  port?: number;
  /** Default 127.0.0.1: the lab is for this machine only. */
  host?: string;
}

/** Throws a one-line UserError unless `port` is an integer 1…65535. */
export function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`serve: --port ${port} is not a TCP port; give an integer 1…65535 (default ${DEFAULT_PORT})`);
  }
}

/** Starts the server; resolves with its URL once listening. */
export function startServer(options: ServeOptions = {}): Promise<{ url: string; server: Server }> {
  if (options.port !== undefined) checkPort(options.port);
  const dir = resolve(options.dir ?? DEFAULT_WEB_DIR);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new UserError(`serve: ${dir} has no index.html; build the lab first with npm run web:build`);
  }
  const root = realpathSync(dir);
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    try {
      answer(req, res, root);
    } catch {
      // A file that vanished or became unreadable between the checks and the read: not the server's end.
      if (!res.headersSent) plain(res, 500, 'cannot read file');
      else res.destroy();
    }
  });
  return new Promise((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => fail(new UserError(`serve: cannot listen on ${host}:${options.port ?? 0} (${err.code}); choose another port with --port`)));
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      done({ url: `http://${host}:${port}/`, server });
    });
  });
}

/** Maps a request to a file inside `root` (a real path) and sends it, or answers 400/403/404/405. */
function answer(req: IncomingMessage, res: ServerResponse, root: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'only GET and HEAD', { Allow: 'GET, HEAD' });
  const target = req.url ?? '';
  if (target.length > MAX_URL_LENGTH) return plain(res, 400, 'request path too long');
  if (!target.startsWith('/')) return plain(res, 400, 'bad request path');
  let path: string;
  try {
    path = decodeURIComponent(target.split(/[?#]/, 1)[0]);
  } catch {
    return plain(res, 400, 'bad % escape in request path');
  }
  if (path.includes('\0')) return plain(res, 400, 'NUL byte in request path');
  // resolve() normalises '.', '..' and repeated separators, including those that arrived %-encoded.
  const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
  if (!inside(root, file)) return plain(res, 403, 'forbidden');
  if (!existsSync(file)) return plain(res, 404, 'not found');
  // A symlink inside the directory may point out of it: check where it really leads.
  const real = realpathSync(file);
  if (!inside(root, real)) return plain(res, 403, 'forbidden');
  if (!statSync(real).isFile()) return plain(res, 404, 'not found');
  // The build's precompressed sibling when the client accepts it (serve-encoding.ts); the type stays the file's.
  const variant = precompressed(req.headers['accept-encoding'], real);
  const body = readFileSync(variant?.file ?? real);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(real)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    ...(variant ? { 'Content-Encoding': variant.encoding } : {}),
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Whether `file` is `root` or below it; path.relative, so that /srv/site2 is not taken for inside /srv/site. */
function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
}

export async function serveCommand(options: ServeOptions, out: (text: string) => void = console.log): Promise<void> {
  const { url } = await startServer({ ...options, port: options.port ?? DEFAULT_PORT });
  out(`edlearn lab at ${url} (Ctrl-C to stop)`);
}
