/**
 * `edlearn serve`: serves the built browser lab (web-dist/, from `npm run web:build`) on loopback, cross-origin
 * isolated (COOP/COEP headers) so that the WebAssembly kernels may use shared memory. Only files inside --dir
 * are ever served, never dotfiles, only to requests naming localhost (no DNS rebinding), streamed; a malformed
 * request gets a 4xx answer and the server keeps running.
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompressed } from './serve-encoding.js';
import { UserError } from '../errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
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
  let hosts = new Set<string>();
  const server = createServer((req, res) => {
    try {
      answer(req, res, root, hosts);
    } catch {
      // A file that vanished or became unreadable between the checks and the read: not the server's end.
      if (!res.headersSent) plain(res, 500, 'cannot read file');
      else res.destroy();
    }
  });
  return new Promise((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        new UserError(
          `serve: cannot listen on ${host}:${options.port ?? 0} (${err.code}); choose another port with --port`,
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      hosts = allowedHosts(host, port ?? 0);
      done({ url: `http://${host}:${port}/`, server });
    });
  });
}

/**
 * Host names a request may name: loopback names and the address bound. A page on another site whose name was
 * rebound to 127.0.0.1 (DNS rebinding) sends its own name, and is refused.
 */
function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', host.includes(':') ? `[${host}]` : host]);
  return new Set([...names].flatMap((n) => [n, `${n}:${port}`]));
}

/** Maps a request to a file inside `root` (a real path) and streams it, or answers 301/400/403/404/405/421. */
function answer(req: IncomingMessage, res: ServerResponse, root: string, hosts: Set<string>): void {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return plain(res, 405, 'only GET and HEAD', { Allow: 'GET, HEAD' });
  if (!hosts.has((req.headers.host ?? '').toLowerCase()))
    return plain(res, 421, 'this server answers only to localhost; open the address it printed');
  let target = req.url ?? '';
  if (target.length > MAX_URL_LENGTH) return plain(res, 400, 'request path too long');
  // Absolute form ("GET http://127.0.0.1:5173/x"), which proxies send: its path, once its host is one of ours.
  const absolute = /^https?:\/\/([^/?#]*)(.*)$/i.exec(target);
  if (absolute) {
    if (!hosts.has(absolute[1].toLowerCase())) return plain(res, 421, 'this server answers only to localhost');
    target = absolute[2] || '/';
  }
  if (!target.startsWith('/')) return plain(res, 400, 'bad request path');
  let path: string;
  try {
    path = decodeURIComponent(target.split(/[?#]/, 1)[0]);
  } catch {
    return plain(res, 400, 'bad % escape in request path');
  }
  if (path.includes('\0')) return plain(res, 400, 'NUL byte in request path');
  // Dotfiles and dot-directories (.env, .git/config) are never part of the lab.
  if (path.split('/').some((part) => part.startsWith('.') && part !== '.' && part !== '..'))
    return plain(res, 404, 'not found');
  // resolve() normalises '.', '..' and repeated separators, including those that arrived %-encoded.
  const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
  if (!inside(root, file)) return plain(res, 403, 'forbidden');
  if (!existsSync(file)) return plain(res, 404, 'not found');
  // A symlink inside the directory may point out of it: check where it really leads.
  const real = realpathSync(file);
  if (!inside(root, real)) return plain(res, 403, 'forbidden');
  if (
    relative(root, real)
      .split(sep)
      .some((part) => part.startsWith('.'))
  )
    return plain(res, 404, 'not found');
  const st = statSync(real);
  if (st.isDirectory() && !path.endsWith('/')) {
    // "/sub" → "/sub/", so that the page's relative links resolve inside it.
    const query = target.slice(target.split(/[?#]/, 1)[0].length);
    return plain(res, 301, 'moved', { Location: `${encodeURI(path)}/${query}` });
  }
  if (!st.isFile()) return plain(res, 404, 'not found');
  // The build's precompressed sibling when the client accepts it (serve-encoding.ts); the type stays the file's.
  const variant = precompressed(req.headers['accept-encoding'], real);
  const sent = variant?.file ?? real;
  res.writeHead(200, {
    'Content-Type': TYPES[extname(real)] ?? 'application/octet-stream',
    'Content-Length': variant ? statSync(sent).size : st.size,
    ...(variant ? { 'Content-Encoding': variant.encoding } : {}),
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  // Streamed: a large file is read in chunks as the client takes them, never whole into memory.
  const stream = createReadStream(sent);
  stream.once('error', () => res.destroy());
  res.once('close', () => stream.destroy());
  stream.pipe(res);
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
