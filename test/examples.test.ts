// examples/ as a user runs them (issue 23): `npm pack`, installed into an empty project with what the examples
// import, type-checked with tsc, each Node example run with tsx, the browser example compiled and opened in
// chromium from a static server; each must print (or show) what it promises.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, tempDir } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const project = tempDir('edlearn-examples-');
after(() => rmSync(project, { recursive: true, force: true }));

function setUp(): void {
  assert.ok(existsSync(join(ROOT, 'dist/index.js')), 'dist/ is not built: run npm run build');
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as { filename: string }[];
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'edlearn-examples', private: true, type: 'module' }),
  );
  const dev = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
  ).devDependencies;
  const tools = ['onnxruntime-web', 'tsx', 'typescript', '@types/node'].map((p) => `${p}@${dev[p]}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${packed[0].filename}`, ...tools], {
    cwd: project,
    stdio: 'pipe',
  });
  cpSync(join(ROOT, 'examples'), join(project, 'examples'), { recursive: true });
}

const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: join(project, 'examples'), encoding: 'utf8' });
const bin = (name: string) => join(project, 'node_modules', name);

test('the examples type-check and run against the packed package', { timeout: 600_000 }, async (t) => {
  setUp();
  const tsc = run([bin('typescript/bin/tsc'), '-p', '.']);
  assert.equal(tsc.status, 0, `tsc on examples/:\n${tsc.stdout}${tsc.stderr}`);
  const tsx = (file: string) => {
    const r = run(['--import', 'tsx', file]);
    assert.equal(r.status, 0, `${file} failed:\n${r.stderr}`);
    t.diagnostic(`${file}: ${r.stdout.trim().split('\n').pop()}`);
    return r.stdout;
  };

  const node = /epochs (\d) · test accuracy ([\d.]+)/.exec(tsx('train-node.ts'));
  assert.ok(node && Number(node[2]) > 0.85, 'train-node.ts: test accuracy');

  const onnx =
    /agrees with predict on (\d+) \/ 1000 images · accuracy ([\d.]+) · largest score difference ([\d.e+-]+)/.exec(
      tsx('export-onnx.ts'),
    );
  assert.ok(onnx, 'export-onnx.ts printed its line');
  assert.equal(onnx[1], '1000');
  assert.ok(Number(onnx[2]) > 0.7 && Number(onnx[3]) <= 1e-5, onnx[0]);
  assert.ok(existsSync(join(project, 'examples/mnist.onnx')));

  const csv = /test accuracy ([\d.]+)/.exec(tsx('csv-dataset.ts'));
  assert.ok(csv && Number(csv[1]) > 0.95, 'csv-dataset.ts: bars told apart');

  if (!existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is not installed: the browser example is not run`);
  const page = run([bin('typescript/bin/tsc'), '-p', 'browser', '--noEmit', 'false']);
  assert.equal(page.status, 0, `tsc on examples/browser:\n${page.stdout}${page.stderr}`);
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.wasm': 'application/wasm',
  };
  const server = createServer((req, res) => {
    const path = normalize(join(project, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(project) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
    headless: true,
  });
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/examples/browser/`);
    await tab.waitForSelector('#status[data-accuracy]', { timeout: 300_000 });
    const accuracy = Number(await tab.getAttribute('#status', 'data-accuracy'));
    t.diagnostic(`browser/index.html: ${await tab.textContent('#status')}`);
    assert.deepEqual(errors, []);
    assert.ok(accuracy > 0.8, `the page's test accuracy ${accuracy}`);
  } finally {
    await browser.close();
    server.close();
  }
});
