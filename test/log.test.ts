// The log module: one writer (start, events, end; a file appears whole or not at all) and one reader (a cut last
// line refused or dropped), shared by train, rl, sweep and report.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../src/errors.js';
import { LOG_FORMAT, RL_LOG_FORMAT } from '../src/log/events.js';
import { logFormat, readEvents } from '../src/log/read.js';
import { startFields, withRunLog } from '../src/log/write.js';
import { readRlLogs } from '../src/report/rl.js';
import { tempDir } from './helpers.js';

const options = { where: 'test: a.ndjson', fix: 're-run it', events: ['start', 'eval', 'end'] };

test('withRunLog writes the start event, the events with their run id, and the end event, in order', () => {
  const path = join(tempDir(), 'run.ndjson');
  const header = { ...startFields(LOG_FORMAT, { runId: 'r1' }, 'train'), backend: 'reference', parameters: 3 };
  const value = withRunLog({ log: path }, header, (log) => {
    log.event('eval', { update: 1 });
    return { end: { updates: 1 }, value: 42 };
  });
  assert.equal(value, 42);
  const { events } = readEvents(readFileSync(path, 'utf8'), options);
  assert.deepEqual(
    events.map((e) => [e.fields.event, e.fields.run, e.line]),
    [
      ['start', 'r1', 1],
      ['eval', 'r1', 2],
      ['end', 'r1', 3],
    ],
  );
  assert.deepEqual(Object.keys(events[0].fields).slice(0, 8), [
    'event',
    'format',
    'formatVersion',
    'version',
    'time',
    'run',
    'machine',
    'backend',
  ]);
  assert.equal(logFormat(readFileSync(path, 'utf8')), LOG_FORMAT);
});

test('a run that throws leaves no log file behind, and a shared stream keeps what was written', () => {
  const path = join(tempDir(), 'run.ndjson');
  const lines: string[] = [];
  for (const target of [{ log: path }, { writer: { writeLine: (l: string) => lines.push(l) } }]) {
    assert.throws(
      () =>
        withRunLog(target, { run: 'x' }, (log) => {
          log.event('eval', {});
          throw new Error('diverged');
        }),
      /diverged/,
    );
  }
  assert.equal(existsSync(path), false);
  assert.equal(lines.length, 2);
});

test('readEvents: a cut last line is refused with the fix, or dropped and reported with allowPartial', () => {
  const text = '{"event":"start","run":"a"}\n{"event":"eval","run":"a"}\n{"event":"end","ru';
  assert.throws(
    () => readEvents(text, { ...options, partialFix: 'or pass --allow-partial' }),
    (e: unknown) =>
      e instanceof UserError &&
      e.message ===
        'test: a.ndjson:3: the last line is cut off mid-way: the log is incomplete (an interrupted run or a ' +
          'truncated copy); or pass --allow-partial',
  );
  const { events, cut } = readEvents(text, { ...options, allowPartial: true });
  assert.equal(cut, 3);
  assert.deepEqual(
    events.map((e) => e.fields.event),
    ['start', 'eval'],
  );
  // A whole last line without its newline is not cut.
  assert.equal(readEvents('{"event":"start"}', options).cut, null);
});

test('readEvents names the line of anything that is not an event of this kind of log', () => {
  const bad = (text: string, pattern: RegExp) =>
    assert.throws(
      () => readEvents(text, options),
      (e: unknown) => e instanceof UserError && pattern.test(e.message),
    );
  bad('{"event":"start"}\n{"event":\n{"event":"end"}\n', /^test: a\.ndjson:2: not JSON \(.+\); re-run it$/);
  bad(
    '{"event":"start"}\n[1]\n',
    /^test: a\.ndjson:2: not an edlearn log event \(expected "event": "start", "eval", "end"\)/,
  );
  bad('{"event":"episode"}\n', /a\.ndjson:1: not an edlearn log event/);
});

test('the RL report refuses a cut RL log unless allowed, and then reports the finished runs only', () => {
  const path = join(tempDir(), 'rl-cut.ndjson');
  const start = (run: string) =>
    JSON.stringify({ event: 'start', format: RL_LOG_FORMAT, run, config: { agent: 'ed-dqn', env: 'cartpole' } });
  writeFileSync(
    path,
    [
      start('a'),
      '{"event":"episode","run":"a","episode":1}',
      '{"event":"end","run":"a","episodes":1}',
      start('b'),
      '{"event":"epis',
    ].join('\n'),
  );
  assert.throws(() => readRlLogs([path]), /rl-cut\.ndjson:5: the last line is cut off mid-way.*--allow-partial/);
  const runs = readRlLogs([path], { allowPartial: true });
  assert.deepEqual(
    runs.map((r) => [r.start.run, r.episodes.length]),
    [['a', 1]],
  );
});
