// Issue 22: outputs that never destroy inputs or other files, empty paths and trailing slashes, devices as
// inputs, bounds checked before work. Each case: exit code 2, one line, the file left as it was.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertUserError, idxBytes, runCli, tempDir } from './helpers.js';

const QUICK = `sweep: quick
base: { task: xor, epochs: 3 }
seeds: [1]
`;

test('a sweep log that is the sweep file, or a file that is not a log, is refused and left as it was', () => {
  const dir = tempDir();
  const json = join(dir, 'ok.json');
  writeFileSync(json, JSON.stringify({ sweep: 'ok', base: { task: 'xor', epochs: 3 }, seeds: [1] }));
  assertUserError(
    ['sweep', json, '--log', json],
    /--log .*ok\.json is the sweep file .*; writing it would destroy an input/,
  );
  assert.equal(
    readFileSync(json, 'utf8'),
    JSON.stringify({ sweep: 'ok', base: { task: 'xor', epochs: 3 }, seeds: [1] }),
  );
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'one line of notes without a newline');
  assertUserError(['sweep', json, '--log', notes], /notes\.txt: not a sweep log/);
  assert.equal(readFileSync(notes, 'utf8'), 'one line of notes without a newline');
  const other = join(dir, 'other.json');
  writeFileSync(other, '{"a": 1}\n{"b": 2}\n');
  assertUserError(['sweep', json, '--log', other], /other\.json.*(not a sweep log|not an event|event)/);
  assert.equal(readFileSync(other, 'utf8'), '{"a": 1}\n{"b": 2}\n');
});

test(
  'sweep files: repeated seeds, a product of a million runs, a directory, UTF-16 and __proto__ are ' +
    'one-line refusals',
  () => {
    const dir = tempDir();
    const f = (name: string, text: string | Buffer) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    assertUserError(['sweep', f('dup.yaml', 'base: { task: xor }\nseeds: [1, 1]\n')], /seeds: 1 is listed twice/);
    const axes = Array.from(
      { length: 6 },
      (_, i) => `a${i}: [${Array.from({ length: 10 }, (_, j) => j + 1).join(', ')}]`,
    ).join(', ');
    const started = Date.now();
    assertUserError(
      ['sweep', f('huge.yaml', `base: { task: xor }\naxes: { ${axes} }\nseeds: 1\n`)],
      /1,000,000 runs .*at most 100,000 in one sweep file/,
    );
    assert.ok(Date.now() - started < 30_000);
    mkdirSync(join(dir, 'adir.yaml'));
    assertUserError(['sweep', join(dir, 'adir.yaml')], /adir\.yaml is a directory/);
    assertUserError(
      ['sweep', f('u16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(QUICK, 'utf16le')]))],
      /not UTF-8 text/,
    );
    assertUserError(
      ['sweep', f('proto.json', '{"base": {"task": "xor", "__proto__": {"lr": 5}}, "seeds": [1]}')],
      /base\.__proto__: the key __proto__ is not an option/,
    );
    assertUserError(['sweep', ''], /path is empty/);
  },
);

test('train/rl --log over a log of other runs or a file that is not a log: refused unless --append or --force', () => {
  const dir = tempDir();
  const sweepFile = join(dir, 'quick.yaml');
  writeFileSync(sweepFile, QUICK.replace('seeds: [1]', 'seeds: [1, 2]'));
  const sweepLog = join(dir, 'quick.ndjson');
  assert.equal(runCli(['sweep', sweepFile, '--workers', '1', '--log', sweepLog]).code, 0);
  const before = readFileSync(sweepLog, 'utf8');
  assertUserError(
    ['train', '--task', 'xor', '--epochs', '3', '--log', sweepLog],
    /--log .*quick\.ndjson: the file exists and is a log of 2 runs; .*--append .* --force/,
  );
  assertUserError(['rl', 'cartpole', '--episodes', '2', '--log', sweepLog], /the file exists and is a log of 2 runs/);
  assert.equal(readFileSync(sweepLog, 'utf8'), before);
  const readme = join(dir, 'README');
  writeFileSync(readme, 'not a log\n');
  assertUserError(['train', '--task', 'xor', '--epochs', '3', '--log', readme], /is not an edlearn log/);
  assertUserError(
    ['train', '--task', 'xor', '--epochs', '3', '--save', readme],
    /--save .*README: the file exists and is not an edlearn model file/,
  );
  assert.equal(readFileSync(readme, 'utf8'), 'not a log\n');
  // --append adds this run after the others; --force replaces; a train log is replaced by the next train run.
  const appended = runCli(['train', '--task', 'xor', '--epochs', '3', '--log', sweepLog, '--append']);
  assert.equal(appended.code, 0, appended.stderr);
  const text = readFileSync(sweepLog, 'utf8');
  assert.ok(text.startsWith(before));
  assert.equal(text.split('\n').filter((l) => l.includes('"event":"start"')).length, 3);
  assert.equal(runCli(['train', '--task', 'xor', '--epochs', '3', '--log', sweepLog, '--force']).code, 0);
  assert.equal(
    readFileSync(sweepLog, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"event":"start"')).length,
    1,
  );
  assert.equal(runCli(['train', '--task', 'xor', '--epochs', '3', '--log', sweepLog]).code, 0);
});

test('outputs that are inputs, empty paths, trailing slashes and dangling symlinks are refused before any work', () => {
  const dir = tempDir();
  const data = join(dir, 'data');
  mkdirSync(data);
  const images = idxBytes([20, 28, 28]);
  const labels = idxBytes(
    [20],
    Uint8Array.from({ length: 20 }, (_, i) => i % 10),
  );
  for (const [name, bytes] of [
    ['train-images-idx3-ubyte', images],
    ['train-labels-idx1-ubyte', labels],
    ['t10k-images-idx3-ubyte', images],
    ['t10k-labels-idx1-ubyte', labels],
  ] as const)
    writeFileSync(join(data, name), bytes);
  const before = readFileSync(join(data, 'train-labels-idx1-ubyte'));
  assertUserError(
    [
      'train',
      '--data',
      data,
      '--task',
      'all',
      '--epochs',
      '1',
      '--save',
      join(data, 'train-labels-idx1-ubyte'),
      '--force',
    ],
    /--save .*train-labels-idx1-ubyte is an input file of --data/,
  );
  assert.deepEqual(readFileSync(join(data, 'train-labels-idx1-ubyte')), before);
  for (const args of [
    ['report', 'test/fixtures/report-small.ndjson', '--out', ''],
    ['experiment', 'xor', '--out', ''],
    ['experiment', 'xor', '--logs', ''],
  ]) {
    assertUserError(args, /the path is empty; give a directory/);
  }
  assert.ok(!existsSync(join(dir, 'index.html')));
  assertUserError(
    ['train', '--task', 'xor', '--epochs', '3', '--save', join(dir, 'newdir/')],
    /a trailing slash names a directory/,
  );
  assert.ok(!existsSync(join(dir, 'newdir')));
  symlinkSync(join(dir, 'nowhere', 'deep', 'model.edl'), join(dir, 'dangling'));
  assertUserError(
    ['train', '--task', 'xor', '--epochs', '3', '--save', join(dir, 'dangling')],
    /it is a symlink to .*model\.edl, whose directory does not exist/,
  );
  assert.ok(!existsSync(join(dir, 'nowhere')));
});

test('devices are refused as inputs; bounds and output paths are checked before long work', () => {
  assertUserError(['eval', '--model', '/dev/zero'], /--model \/dev\/zero: it is a device, not a regular file/);
  assertUserError(['predict', '/dev/zero', '--model', '/dev/zero'], /\/dev\/zero: it is a device/);
  assertUserError(
    ['worker', '--queue', 'redis://127.0.0.1:1', '--lock-seconds', '3000000'],
    /--lock-seconds 3000000: expected an integer 1…86400/,
  );
  const started = Date.now();
  assertUserError(['bench', '--quick', '--json', '/dev/null/b.json'], /cannot write \/dev\/null\/b\.json \(ENOTDIR\)/);
  assert.ok(Date.now() - started < 30_000, 'refused before measuring');
});

test(
  'smaller items: NUL bytes in an error are escaped; ' + '--validation 1 warns; SIGTERM ends a sweep with 143',
  async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"event":"start"}\n\u0000\u001b[2Jjunk\n');
    const r = runCli(['report', bad, '--out', join(dir, 'out')]);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /[\u0000\u001b]/, 'no raw control characters on the terminal');
    const warned = runCli([
      'train',
      '--task',
      'pair',
      '--digits',
      '4,9',
      '--validation',
      '1',
      '--updates',
      '20',
      '--quiet',
    ]);
    assert.match(warned.stderr, /warning: option validation 1 holds out one sample/);
    const { spawnCli } = await import('./sweep-helpers.js');
    const file = join(dir, 'long.yaml');
    writeFileSync(file, 'base: { task: pair, digits: "4,9", updates: 200000, evalEvery: 100000 }\nseeds: [1]\n');
    const sweep = spawnCli(['sweep', file, '--workers', '1', '--log', join(dir, 'long.ndjson')]);
    // Its training process is forked after the signal handlers are installed.
    const { execFileSync } = await import('node:child_process');
    const forked = () => {
      try {
        return execFileSync('pgrep', ['-P', String(sweep.child.pid)], { encoding: 'utf8' }).trim() !== '';
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 300 && !forked(); i++) await new Promise((res) => setTimeout(res, 200));
    sweep.child.kill('SIGTERM');
    assert.equal(await sweep.exited, 143, sweep.stderr());
    assert.ok(!existsSync(join(dir, 'long.ndjson.lock')));
  },
);

test('report on a log a sweep is still writing says so', () => {
  const dir = tempDir();
  const log = join(dir, 'live.ndjson');
  writeFileSync(log, readFileSync('test/fixtures/report-small.ndjson'));
  writeFileSync(`${log}.lock`, '{}');
  const r = runCli(['report', dir, '--out', join(dir, 'out')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /warning: .*live\.ndjson is being written by a running sweep .*runs still training are missing/,
  );
});
