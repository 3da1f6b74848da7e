// Outputs (--log, --save, reports) as a careless or unlucky user meets them: interrupts, links, pipes, directories,
// read-only and full disks. Never a half-written or stray file, never a stack trace.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../src/errors.js';
import { AtomicLineWriter, checkDistinctOutputs, writeFileAtomic } from '../src/io.js';
import { registeredTemps } from '../src/temp-files.js';
import { ROOT, runCli, tempDir } from './helpers.js';

const XOR = ['train', '--task', 'xor', '--preset', 'kaneko', '--units', '16', '--quiet'];

function assertOneLine(r: { code: number; stderr: string }, pattern: RegExp) {
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'stack trace printed');
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
}

/** Starts the CLI; `interrupt` decides when to send the signal; resolves with how it ended. */
function interrupted(
  args: string[],
  interrupt: (send: () => void) => void,
  signal: NodeJS.Signals = 'SIGINT',
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    interrupt(() => child.kill(signal));
    child.on('exit', (code, signal) => done({ code, signal, stderr }));
  });
}

/** Polls until `ready()` (at most 60 s), then calls `then`. */
function when(ready: () => boolean, then: () => void): void {
  const started = Date.now();
  const tick = () => (ready() || Date.now() - started > 60_000 ? then() : setTimeout(tick, 5));
  tick();
}

test('SIGINT during train --log --save leaves no file at all', async () => {
  const dir = tempDir();
  const r = await interrupted(
    [
      'train',
      '--task',
      'all',
      '--preset',
      'kaneko-mnist',
      '--epochs',
      '3',
      '--log',
      join(dir, 'run.ndjson'),
      '--save',
      join(dir, 'model.edlearn'),
    ],
    (send) => setTimeout(send, 1500),
  );
  assert.ok(r.signal === 'SIGINT' || r.code === 130, `ended with code ${r.code}, signal ${r.signal}: ${r.stderr}`);
  assert.deepEqual(readdirSync(dir), [], 'files left behind');
});

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test(
    `${signal} while the report is rendered (the end of edlearn experiment) leaves no <out>.tmp-PID/ and ` +
      `exits ${code}`,
    async () => {
      const dir = tempDir();
      const out = join(dir, 'report');
      const r = await interrupted(
        ['report', join(ROOT, 'docs/results/logs'), '--out', out],
        (send) => when(() => readdirSync(dir).some((f) => f.startsWith('report.tmp-')), send),
        signal,
      );
      assert.equal(r.code, code, `ended with code ${r.code}, signal ${r.signal}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`interrupted \\(${signal}\\)`));
      assert.deepEqual(readdirSync(dir), [], 'files left behind');
    },
  );
}

test('SIGINT during edlearn experiment leaves neither a log temp file nor a report temp directory', async () => {
  const dir = tempDir();
  const logs = join(dir, 'logs');
  const r = await interrupted(['experiment', 'speed-impl', '--logs', logs, '--out', join(dir, 'out')], (send) =>
    when(() => readdirSync(dir).some((f) => f.startsWith('out.tmp-')), send),
  );
  assert.ok(r.signal === 'SIGINT' || r.code === 130, `ended with code ${r.code}, signal ${r.signal}: ${r.stderr}`);
  const left = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.tmp/.test(f));
  assert.deepEqual(left, [], 'temp files left behind');
  assert.ok(!existsSync(join(dir, 'out')), 'a report appeared although rendering was interrupted');
});

test('--log and --save through a symlink write the file it points to and keep the link', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real', 'run.ndjson'), join(dir, 'log-link')); // dangling until written
  writeFileSync(join(dir, 'real', 'model.edlearn'), 'old');
  symlinkSync('real/model.edlearn', join(dir, 'model-link')); // relative link
  // 'old' is not a model file: replacing it takes --force (issue 22).
  assert.equal(runCli([...XOR, '--save', join(dir, 'model-link')]).code, 2);
  const r = runCli([...XOR, '--log', join(dir, 'log-link'), '--save', join(dir, 'model-link'), '--force']);
  assert.equal(r.code, 0, r.stderr);
  for (const link of ['log-link', 'model-link'])
    assert.ok(lstatSync(join(dir, link)).isSymbolicLink(), `${link} was replaced by a file`);
  assert.match(readFileSync(join(dir, 'real', 'run.ndjson'), 'utf8'), /^\{"event":"start"/);
  assert.notEqual(readFileSync(join(dir, 'real', 'model.edlearn'), 'utf8'), 'old');
  assert.deepEqual(readdirSync(join(dir, 'real')).sort(), ['model.edlearn', 'run.ndjson']);
  assert.equal(runCli(['eval', '--model', join(dir, 'model-link')]).code, 0);
});

test('a FIFO or a directory as --log or --save is refused in one line and left as it was', () => {
  const dir = tempDir();
  const fifo = join(dir, 'pipe');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) throw new Error('mkfifo failed');
  mkdirSync(join(dir, 'sub'));
  assertOneLine(runCli([...XOR, '--log', fifo]), new RegExp(`cannot write ${fifo}: it is a FIFO \\(named pipe\\)`));
  assertOneLine(runCli([...XOR, '--save', fifo]), new RegExp(`cannot write ${fifo}: it is a FIFO`));
  assertOneLine(runCli([...XOR, '--log', join(dir, 'sub')]), /sub: it is a directory; give a file name/);
  assertOneLine(runCli([...XOR, '--save', join(dir, 'sub')]), /sub: it is a directory; give a file name/);
  assert.ok(lstatSync(fifo).isFIFO());
  assert.ok(lstatSync(join(dir, 'sub')).isDirectory());
  assert.deepEqual(readdirSync(dir).sort(), ['pipe', 'sub'], 'temp files left behind');
  assert.deepEqual(readdirSync(join(dir, 'sub')), []);
});

test('a device is refused, never replaced', () => {
  assert.throws(
    () => writeFileAtomic('/dev/null', 'x'),
    (e: Error) => e instanceof UserError && /\/dev\/null: it is a device/.test(e.message),
  );
  assert.ok(lstatSync('/dev/null').isCharacterDevice());
});

test('a read-only directory gives one line with EACCES', {
  skip: process.getuid?.() === 0 ? 'running as root: permission checks do not apply' : false,
}, () => {
  const dir = tempDir();
  chmodSync(dir, 0o555);
  try {
    assertOneLine(
      runCli([...XOR, '--log', join(dir, 'run.ndjson')]),
      /cannot write .*run\.ndjson \(EACCES\): permission denied/,
    );
    assertOneLine(
      runCli([...XOR, '--save', join(dir, 'm.edlearn')]),
      /cannot write .*m\.edlearn \(EACCES\): permission denied/,
    );
  } finally {
    chmodSync(dir, 0o755);
  }
  assert.deepEqual(readdirSync(dir), []);
});

test('a full disk gives one line with ENOSPC and leaves no temp file (tmpfs of 64 KiB)', (t) => {
  const mnt = tempDir();
  if (process.getuid?.() !== 0 || spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status !== 0) {
    t.skip('cannot mount a small tmpfs here (needs root)');
    return;
  }
  try {
    writeFileSync(join(mnt, 'model'), 'old');
    assert.throws(
      () => writeFileAtomic(join(mnt, 'model'), new Uint8Array(1 << 20)),
      (e: Error) =>
        e instanceof UserError && new RegExp(`cannot write ${mnt}/model \\(ENOSPC\\): no space left`).test(e.message),
    );
    const log = new AtomicLineWriter(join(mnt, 'run.ndjson'));
    for (let i = 0; i < 2000; i++) log.writeLine('x'.repeat(100));
    assert.throws(() => log.close(), /run\.ndjson \(ENOSPC\)/);
    assert.deepEqual(readdirSync(mnt), ['model'], 'temp file left behind');
    assert.equal(readFileSync(join(mnt, 'model'), 'utf8'), 'old', 'the old file was damaged');
  } finally {
    spawnSync('umount', [mnt]);
  }
});

test('checkDistinctOutputs refuses one file for two outputs, also through a link', () => {
  const dir = tempDir();
  const x = join(dir, 'x');
  const refused = (outputs: Record<string, string | undefined>) =>
    assert.throws(
      () => checkDistinctOutputs(outputs),
      (e: Error) =>
        e instanceof UserError && /--log and --save both name .*; one would overwrite the other/.test(e.message),
    );
  refused({ log: x, save: x });
  refused({ log: x, save: join(dir, '.', 'sub', '..', 'x') });
  writeFileSync(x, '');
  symlinkSync(x, join(dir, 'y'));
  refused({ log: x, save: join(dir, 'y') });
  checkDistinctOutputs({ log: x, save: join(dir, 'z') });
  checkDistinctOutputs({ log: undefined, save: x });
  assert.throws(() => checkDistinctOutputs({ save: '' }), /--save: the path is empty/);
});

test('writeFileAtomic replaces a file whole, keeps its mode, and unregisters its temp file', () => {
  const dir = tempDir();
  const path = join(dir, 'f');
  writeFileSync(path, 'old');
  chmodSync(path, 0o640);
  writeFileAtomic(path, 'new');
  assert.equal(readFileSync(path, 'utf8'), 'new');
  assert.equal(lstatSync(path).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(dir), ['f']);
  assert.deepEqual(registeredTemps(), []);
});

test(
  'checking --log before training creates nothing: a run ' + 'interrupted later leaves not even an empty directory',
  () => {
    const dir = tempDir();
    const log = new AtomicLineWriter(join(dir, 'runs', 'deep', 'run.ndjson'));
    assert.deepEqual(readdirSync(dir), [], 'the check made directories or files');
    log.writeLine('{}');
    log.close();
    assert.equal(readFileSync(join(dir, 'runs', 'deep', 'run.ndjson'), 'utf8'), '{}\n');
    writeFileSync(join(dir, 'file'), '');
    assert.throws(
      () => new AtomicLineWriter(join(dir, 'file', 'x', 'run.ndjson')),
      (e: Error) => e instanceof UserError && /\(ENOTDIR\)/.test(e.message),
    );
  },
);
