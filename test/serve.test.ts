// `edlearn serve` against hostile requests: it answers every one, never with a
// file from outside --dir, and keeps serving.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer } from '../src/cli/serve.js';
import { runCli, tempDir } from './helpers.js';

const SECRET = 'SECRET-OUTSIDE-THE-SITE';
let port = 0;
let close = () => {};

before(async () => {
  const base = tempDir();
  const site = join(base, 'site');
  // The sibling whose name starts with the site's: what a startsWith check lets through.
  for (const d of [site, `${site}2`, join(site, 'sub')]) mkdirSync(d);
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(site, 'sub', 'a.js'), 'export {};');
  mkdirSync(join(site, '.git'));
  for (const f of ['.env', '.git/config', 'sub/.hidden.js']) writeFileSync(join(site, f), SECRET);
  writeFileSync(join(site, 'big.bin'), Buffer.alloc(3 << 20, 7));
  writeFileSync(join(`${site}2`, 'key.txt'), SECRET);
  writeFileSync(join(base, 'key.txt'), SECRET);
  symlinkSync(join(`${site}2`, 'key.txt'), join(site, 'link.txt'));
  const { url, server } = await startServer({ dir: site });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'binds to loopback by default');
  port = Number(new URL(url).port);
  close = () => server.close();
});
after(() => close());

/** Sends one raw request line (no client-side checks or normalisation) and returns the status and body. */
function request(
  target: string,
  method = 'GET',
  host = '127.0.0.1',
): Promise<{ status: number; body: string; head: string }> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let size = 0;
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(target)} within 5 s`)));
    socket.on('connect', () =>
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1'),
    );
    socket.on('data', (c) => {
      size += c.length;
      if (size > 1 << 20) socket.destroy(new Error('answer over 1 MB'));
      chunks.push(c);
    });
    socket.on('error', fail);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      done({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4), head: text.slice(0, text.indexOf('\r\n\r\n')) });
    });
  });
}

const CORPUS: [string, number | number[]][] = [
  ['/..%2fsite2%2fkey.txt', 403],
  ['/..%2Fsite2%2Fkey.txt', 403],
  ['/%2e%2e/site2/key.txt', 403],
  ['/%2e%2e%2f%2e%2e%2fkey.txt', 403],
  ['/../site2/key.txt', 403],
  ['/../key.txt', 403],
  ['/sub/../../site2/key.txt', 403],
  ['/sub/..%2f..%2fsite2/key.txt', 403],
  ['/..', 403],
  ['/..%2f', 403],
  ['//..//..//key.txt', 403],
  ['/%5c..%5ckey.txt', 404], // a backslash is an ordinary file-name character on POSIX
  ['/link.txt', 403], // a symlink inside the site that leads out of it
  ['/%ZZ', 400],
  ['/%', 400],
  ['/%e0%a4%a', 400],
  ['/%c0%ae%c0%ae/key.txt', 400], // overlong UTF-8 for '..' is not valid UTF-8
  ['/index.html%00', 400],
  ['/%00../key.txt', 400],
  [`/${'a'.repeat(5000)}`, 400],
  [`/${'..%2f'.repeat(1000)}key.txt`, 400],
  [`/${'x'.repeat(20000)}`, [400, 431]], // over Node's header limit: refused by the HTTP parser itself
  ['*', 400],
  ['http://127.0.0.1/../key.txt', 403], // absolute form: its path is checked like any other
  ['http://evil.example/index.html', 421],
  ['/.env', 404],
  ['/.git/config', 404],
  ['/sub/.hidden.js', 404],
  ['/%2egit/config', 404],
  ['/nope.html', 404],
  ['/sub', 301],
  ['/sub/a.js?x=../../key.txt#..', 200],
  ['/', 200],
];

test(
  'serve answers the request corpus without leaking a ' + 'file from outside its directory, and survives it',
  async () => {
    for (const [target, expected] of CORPUS) {
      const r = await request(target);
      const ok = Array.isArray(expected) ? expected.includes(r.status) : r.status === expected;
      assert.ok(ok, `${target.slice(0, 60)}: status ${r.status}, expected ${expected}`);
      assert.ok(!r.body.includes(SECRET), `${target.slice(0, 60)}: served a file from outside the directory`);
    }
    assert.equal((await request('/', 'POST')).status, 405);
    assert.equal((await request('/', 'HEAD')).status, 200);
    const home = await request('/');
    assert.equal(home.status, 200, 'still serving after the corpus');
    assert.match(home.body, /<title>lab<\/title>/);
  },
);

test(
  'serve: Host must be loopback or the bound address (DNS rebinding); HEAD sends no body; directories ' +
    'redirect; absolute-form targets served (issue 22)',
  async () => {
    const rebound = await request('/', 'GET', `attacker.example:${port}`);
    assert.equal(rebound.status, 421);
    assert.ok(!rebound.body.includes('<title>lab'));
    for (const host of ['localhost', `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
      assert.equal((await request('/', 'GET', host)).status, 200, host);
    const head = await request('/big.bin', 'HEAD');
    assert.equal(head.status, 200);
    assert.match(head.head, /Content-Length: 3145728/i);
    assert.equal(head.body, '');
    const big = await fetch(`http://127.0.0.1:${port}/big.bin`);
    assert.equal((await big.arrayBuffer()).byteLength, 3 << 20);
    const sub = await request('/sub?x=1');
    assert.equal(sub.status, 301);
    assert.match(sub.head, /Location: \/sub\/\?x=1/i);
    const absolute = await request(`http://127.0.0.1:${port}/sub/a.js`);
    assert.equal(absolute.status, 200);
    assert.equal(absolute.body, 'export {};');
  },
);

test('serve --port outside 1…65535 is one line and exit code 2', () => {
  for (const port of ['70000', '65536']) {
    const dir = tempDir();
    writeFileSync(join(dir, 'index.html'), '');
    const r = runCli(['serve', '--dir', dir, '--port', port]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`--port ${port} is not a TCP port; give an integer 1…65535`));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
