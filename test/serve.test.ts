// `edlearn serve` against hostile requests: it answers every one, never with a file from outside --dir, and keeps serving.
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
function request(target: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let size = 0;
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(target)} within 5 s`)));
    socket.on('connect', () => socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1'));
    socket.on('data', (c) => {
      size += c.length;
      if (size > 1 << 20) socket.destroy(new Error('answer over 1 MB'));
      chunks.push(c);
    });
    socket.on('error', fail);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      done({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
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
  ['http://127.0.0.1/../key.txt', 400],
  ['/nope.html', 404],
  ['/sub', 404],
  ['/sub/a.js?x=../../key.txt#..', 200],
  ['/', 200],
];

test('serve answers the request corpus without leaking a file from outside its directory, and survives it', async () => {
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
});

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
