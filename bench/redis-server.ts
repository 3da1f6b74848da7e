// A throw-away redis-server (Debian's package) for the sweep tests, the soak test and the queue benchmark: a
// free loopback port (or the given one, to restart a server in place), a temporary directory, no persistence;
// optionally a password (requirepass, or an ACL user) and TLS only (a self-signed certificate made with openssl,
// its file in `ca` for NODE_EXTRA_CA_CERTS). stop() ends it and removes the directory.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  /** With tls: the certificate to trust. */
  ca?: string;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  port?: number;
  /** requirepass: the default user's password. */
  password?: string;
  /** An ACL user with this name and `password` (the URL then holds user:password). */
  user?: string;
  /** Listen with TLS only (rediss://). */
  tls?: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does this)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'edlearn-redis-'));
  const port = options.port ?? (await freePort());
  const args = ['--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  if (options.password !== undefined && options.user === undefined) args.push('--requirepass', options.password);
  if (options.user !== undefined)
    args.push(
      '--user',
      options.user,
      'on',
      `>${options.password ?? ''}`,
      '~*',
      '&*',
      '+@all',
      '--user',
      'default',
      'off',
    );
  let ca: string | undefined;
  if (options.tls) {
    ca = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        ca,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
    args.push(
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      ca,
      '--tls-key-file',
      key,
      '--tls-ca-cert-file',
      ca,
      '--tls-auth-clients',
      'no',
    );
  } else {
    args.push('--port', String(port));
  }
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s: ${text}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      text += d;
      if (text.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}): ${text}`));
    });
  });
  child.stdout!.resume();
  const auth =
    options.password === undefined
      ? ''
      : `${encodeURIComponent(options.user ?? '')}:${encodeURIComponent(options.password)}@`;
  return {
    url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}/0`,
    port,
    ca,
    stop: () =>
      new Promise((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
