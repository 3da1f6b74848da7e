// `edlearn serve` sends the build's precompressed files (NAME.br, NAME.gz) to clients that accept them, with the
// original file's type, and the plain file to those that do not.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { acceptedEncodings } from '../src/cli/serve-encoding.js';
import { startServer } from '../src/cli/serve.js';
import { tempDir } from './helpers.js';

const JS = `export const answer = ${'42 + '.repeat(200)}0;\n`;
let base = '';
let close = () => {};

before(async () => {
  const site = join(tempDir(), 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(site, 'a.js'), JS);
  writeFileSync(join(site, 'a.js.br'), brotliCompressSync(JS));
  writeFileSync(join(site, 'a.js.gz'), gzipSync(JS));
  writeFileSync(join(site, 'b.js'), JS); // no precompressed sibling
  const { url, server } = await startServer({ dir: site });
  base = url;
  close = () => server.close();
});
after(() => close());

function fetchRaw(
  path: string,
  acceptEncoding?: string,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((done, fail) => {
    get(new URL(path, base), { headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail);
  });
}

test("brotli first, gzip next, the plain file otherwise; the type is always the original file's", async () => {
  const br = await fetchRaw('a.js', 'gzip, deflate, br');
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['content-type'], 'text/javascript');
  assert.equal(brotliDecompressSync(br.body).toString(), JS);
  const gz = await fetchRaw('a.js', 'gzip');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.body).toString(), JS);
  const plain = await fetchRaw('a.js');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), JS);
  const refused = await fetchRaw('a.js', 'br;q=0, gzip;q=0');
  assert.equal(refused.headers['content-encoding'], undefined);
  const none = await fetchRaw('b.js', 'br, gzip');
  assert.equal(none.headers['content-encoding'], undefined);
  assert.equal(none.body.toString(), JS);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
});

test('Accept-Encoding is read as HTTP says: q=0 refuses, case and spaces do not matter', () => {
  assert.deepEqual([...acceptedEncodings('gzip, deflate, br')], ['gzip', 'deflate', 'br']);
  assert.deepEqual([...acceptedEncodings('BR ; q=0.5 , gzip;q=0')], ['br']);
  assert.deepEqual([...acceptedEncodings(undefined)], []);
});
