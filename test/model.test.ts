// Model files: a saved model predicts exactly as the trained one on every backend; every damaged file is a
// one-line UserError naming it; saving is atomic; the format code runs without Node.
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { toSparseRows } from '../src/data/sparse.js';
import type { Task } from '../src/data/tasks.js';
import { UserError } from '../src/errors.js';
import type { Backend } from '../src/kernels/backend.js';
import { getBackend, referenceBackend } from '../src/kernels/index.js';
import { crc32 } from '../src/crc32.js';
import { saveModel } from '../src/model/file.js';
import { decodeModel, encodeModel } from '../src/model/format.js';
import { classNames, modelHeader, type ModelHeader } from '../src/model/header.js';
import { loadRule } from '../src/model/load.js';
import { buildRule, buildRun } from '../src/train/build.js';
import { evaluateRows, predictRows } from '../src/train/predict.js';
import { train } from '../src/train/trainer.js';
import type { Rule } from '../src/rules/rule.js';
import { resolveConfig, type TrainInput } from '../src/train/config.js';
import { loadDataset } from '../src/data/cache.js';
import { loadTask, resolveRunConfig, runTraining } from '../src/train/run.js';
import { assertAllClose, ROOT, tempDir } from './helpers.js';

interface Trained {
  rule: Rule;
  header: ModelHeader;
  task: Task;
  bytes: Uint8Array;
}

function trainAndEncode(input: TrainInput): Trained {
  const { header: run, result, rule } = runTraining({ threads: 1, ...input });
  const header = modelHeader(run, result, rule);
  return { rule, header, task: loadTask(run.config), bytes: encodeModel(header, rule.parameters()) };
}

/** Scores of the first n test images, with the rows in the rule's own backend memory. */
function scores(rule: Rule, task: Task, n = 600): Float32Array {
  const split = { x: task.test.x.subarray(0, n * task.inputs), labels: task.test.labels.subarray(0, n), count: n };
  return predictRows(rule, toSparseRows(split, task.inputs, task.scale, rule.backend)).scores;
}

const trained = new Map<string, Trained>();
const RUNS: Record<'ed' | 'ed-online' | 'backprop', TrainInput> = {
  ed: { task: 'all', layers: 2, units: 8, batch: 128, updates: 20, backend: 'wasm' },
  // Online updates on sparse inputs keep W⁺ + W⁻ incrementally: the path where it drifted from W.
  'ed-online': { preset: 'kaneko-mnist', digits: '4,9', updates: 3000, evalEvery: 1000, backend: 'wasm-simd' },
  backprop: { rule: 'backprop', digits: '4,9', layers: 1, units: 6, batch: 64, updates: 20, backend: 'reference' },
};
const model = (which: keyof typeof RUNS): Trained => {
  if (!trained.has(which)) trained.set(which, trainAndEncode(RUNS[which]));
  return trained.get(which)!;
};

const BACKENDS: [string, () => Backend][] = [
  ['reference', () => referenceBackend],
  ['wasm', () => getBackend('wasm')],
];

for (const which of ['ed', 'ed-online', 'backprop'] as const) {
  for (const [backendName, backend] of BACKENDS) {
    test(`${which} model saved and loaded on the ${backendName} backend predicts as the trained one`, () => {
      const m = model(which);
      const { header, rule } = loadRule(m.bytes, `${which}.edlearn`, backend());
      assert.deepEqual(header, JSON.parse(JSON.stringify(m.header)));
      assert.equal(rule.classes, m.task.classes);
      const expected = scores(m.rule, m.task);
      const got = scores(rule, m.task);
      // Same kernels: bit for bit. Another backend rounds differently (FMA, summation order).
      if (rule.backend.name === m.rule.backend.name) assert.deepEqual(got, expected);
      else assertAllClose(got, expected, { rtol: 1e-4, atol: 1e-5 });
    });
  }
}

test('the header records format, version, config, seed, backend, task and accuracy', () => {
  const { header } = model('ed');
  assert.equal(header.format, 'edlearn-model');
  assert.equal(header.formatVersion, 1);
  assert.match(header.version, /^\d+\.\d+\.\d+/);
  assert.equal(header.config.ed!.units, 8);
  assert.equal(header.seed, 1);
  assert.match(header.backend, /^wasm/);
  assert.deepEqual(header.task.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(header.task.inputs, 784);
  // The accuracies recorded are the ones the stored (final) weights give: the loaded model, on the same splits.
  const m = model('ed');
  const loaded = loadRule(m.bytes, 'ed.edlearn', getBackend('wasm')).rule;
  const accuracy = (split: Task['test']) =>
    evaluateRows(loaded, toSparseRows(split, m.task.inputs, m.task.scale, loaded.backend)).accuracy;
  assert.equal(accuracy(m.task.validation), header.accuracy.final);
  assert.equal(accuracy(m.task.test), header.accuracy.testAtFinal);
  assert.ok(header.accuracy.final > 0.3, `final ${header.accuracy.final}`);
});

test('online ED: at every evaluation during training, the weights in memory predict exactly as reloaded ones', () => {
  const config = resolveRunConfig({ ...RUNS['ed-online'], threads: 1 });
  const backend = getBackend(config.backend);
  const { task, rule, train: options } = buildRun(config, loadDataset(config), backend);
  const spec = { config, inputs: task.inputs, classes: task.classes, maxBatch: rule.maxBatch };
  let checked = 0;
  train(rule, task, {
    ...options,
    onEval: (e) => {
      // What loadRule does with a model file's arrays: a fresh rule, the parameters, then parametersChanged().
      const reloaded = buildRule(spec, backend);
      reloaded.parameters().forEach((p, i) => p.set(rule.parameters()[i]));
      reloaded.parametersChanged();
      assert.deepEqual(scores(rule, task), scores(reloaded, task), `update ${e.update}`);
      checked++;
    },
  });
  assert.equal(checked, 3);
});

test('class names in the header are the ones the task builder gives', () => {
  for (const input of [
    { task: 'pair', digits: '7,2' },
    { task: 'one-vs-rest', digits: '3' },
    { task: 'all' },
    { task: 'xor' },
  ] as TrainInput[]) {
    const task = loadTask(resolveConfig(input));
    assert.deepEqual(classNames(resolveConfig(input).task, task.classes), task.classNames, input.task);
  }
});

/** The pieces of a model file, to build damaged ones whose checksum still holds. */
function split(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const paramsAt = Math.ceil((16 + headerLength) / 4) * 4;
  return {
    header: new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)),
    params: bytes.subarray(paramsAt, bytes.length - 4),
  };
}

function assemble(version: number, headerText: string, params: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const paramsAt = Math.ceil((16 + json.length) / 4) * 4;
  const out = new Uint8Array(paramsAt + params.length + 4);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('EDLEARN\0'));
  view.setUint32(8, version, true);
  view.setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(params, paramsAt);
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

function assertBadModel(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => loadRule(bytes, 'runs/m.edlearn'),
    (err: unknown) => {
      assert.ok(err instanceof UserError, `not a UserError: ${String(err)}`);
      assert.match(err.message, pattern);
      assert.match(err.message, /runs\/m\.edlearn/, 'the file is not named');
      assert.doesNotMatch(err.message, /\n/);
      return true;
    },
  );
}

test('damaged model files give one-line errors that name the file, the problem and the fix', () => {
  const { bytes } = model('backprop');
  const { header, params } = split(bytes);
  assert.ok(decodeModel(assemble(1, header, params), 'same').params.length > 0, 'assemble() rebuilds a valid file');

  assertBadModel(bytes.subarray(0, 10), /is 10 bytes long, too short for a model file/);
  assertBadModel(
    bytes.subarray(0, 40),
    /is truncated: 40 bytes, but its header alone needs \d+; save or copy it again/,
  );
  assertBadModel(
    bytes.subarray(0, bytes.length - 64),
    /is truncated: \d+ bytes, its header says \d+; save or copy it again/,
  );

  const flipped = bytes.slice();
  flipped[bytes.length - 100] ^= 0x10;
  assertBadModel(
    flipped,
    /is corrupted or was modified \(checksum 0x[0-9a-f]{8}, file says 0x[0-9a-f]{8}\); re-save it/,
  );

  const magic = bytes.slice();
  magic.set(new TextEncoder().encode('PK\x03\x04'), 0);
  assertBadModel(magic, /runs\/m\.edlearn is not an edlearn model file/);

  assertBadModel(
    assemble(2, header, params),
    /written by a newer edlearn \(format 2\); this edlearn reads format 1 — upgrade edlearn/,
  );
  assertBadModel(assemble(1, '{' + header.slice(2), params), /has a header that is not JSON .*re-save it/);
  // Found by fuzzing: the parser quotes the bytes around the error, a line break among them (one line, still).
  assertBadModel(
    assemble(1, '{"format":\n\u2028x' + header.slice(12), params),
    /has a header that is not JSON .*\\u000a.*re-save it/,
  );

  const parsed = JSON.parse(header);
  // biome-ignore lint/suspicious/noExplicitAny: the test edits the header as free JSON
  const edit = (change: (h: any) => void) => {
    const h = structuredClone(parsed);
    change(h);
    return assemble(1, JSON.stringify(h), params);
  };
  assertBadModel(
    edit((h) => delete h.task),
    /has a header without a valid task; re-save it/,
  );
  assertBadModel(
    edit((h) => (h.task.classes = 'two')),
    /without a valid task\.classes/,
  );
  assertBadModel(
    edit((h) => (h.parameterShapes[0] += 1)),
    /holds \d+ bytes, but the parameter sizes in its header need \d+/,
  );
  assertBadModel(
    edit((h) => (h.config.backprop.units = 5)),
    /does not match this edlearn's network layout .*re-save it/,
  );
  assertBadModel(
    edit((h) => (h.config.backprop.layers = 0)),
    /model runs\/m\.edlearn: config\.backprop: option layers: expected an integer 1…256, got 0; re-save it/,
  );
  // Hostile headers (the checksum resealed): refused before anything is allocated (else 1e7 layers would abort V8).
  assertBadModel(
    edit((h) => (h.config.backprop.layers = 1e7)),
    /option layers: expected an integer 1…256, got 10000000/,
  );
  assertBadModel(
    edit((h) => (h.config.backprop.units = 2 ** 32)),
    /option units: expected an integer 1…8192, got 4294967296/,
  );
  assertBadModel(
    edit((h) => (h.task.inputs = 2 ** 32)),
    /without a valid task\.inputs/,
  );
  assertBadModel(
    edit((h) => (h.config.task.kind = 'mnist')),
    /without a valid config\.task\.kind/,
  );
  assertBadModel(
    edit((h) => (h.config.backprop.lerningRate = 1)),
    /config\.backprop: unknown option 'lerningRate'/,
  );
  const nan = params.slice();
  new DataView(nan.buffer, nan.byteOffset).setFloat32(8, NaN, true);
  assertBadModel(assemble(1, header, nan), /holds weights that are not finite numbers \(NaN or ±Infinity\)/);
});

test('a save that fails leaves every existing model as it was; a save that succeeds replaces the file', () => {
  const ed = model('ed');
  const bp = model('backprop');
  const dir = tempDir();
  const kept = join(dir, 'kept.edlearn');
  saveModel(kept, ed.rule, ed.header);
  assert.deepEqual(new Uint8Array(readFileSync(kept)), ed.bytes);

  // The parent of the target is a regular file.
  writeFileSync(join(dir, 'plain.txt'), 'not a directory');
  assert.throws(
    () => saveModel(join(dir, 'plain.txt', 'm.edlearn'), bp.rule, bp.header),
    (err: unknown) =>
      err instanceof UserError && /cannot write .*plain\.txt\/m\.edlearn \(E(NOTDIR|EXIST)\)/.test(err.message),
  );
  assert.deepEqual(new Uint8Array(readFileSync(kept)), ed.bytes);

  // Writing over a model: replaced when the save works…
  saveModel(kept, bp.rule, bp.header);
  assert.deepEqual(new Uint8Array(readFileSync(kept)), bp.bytes);
  // …untouched when it fails (a directory squats on the temp name writeFileAtomic uses).
  const squat = `${kept}.${process.pid}.tmp`;
  mkdirSync(squat);
  assert.throws(
    () => saveModel(kept, ed.rule, ed.header),
    (err: unknown) => err instanceof UserError && /cannot write .*kept\.edlearn \((EISDIR|EEXIST)\)/.test(err.message),
  );
  assert.deepEqual(new Uint8Array(readFileSync(kept)), bp.bytes);
  rmdirSync(squat);
  assert.ok(!existsSync(join(dir, 'plain.txt', 'm.edlearn')));
});

test('the format, loader, prediction and PNG modules import nothing from Node (they run in a browser)', () => {
  const node = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, typeOnly, spec] of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)';/gm)) {
      if (typeOnly) continue;
      assert.ok(!node.has(spec), `${file.slice(ROOT.length + 1)} imports ${spec}`);
      // valibot (the option schemas) runs anywhere; every other import must be the project's own.
      if (spec === 'valibot') continue;
      assert.ok(spec.startsWith('.'), `${file.slice(ROOT.length + 1)} imports the package ${spec}`);
      visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  for (const f of ['model/format.ts', 'model/load.ts', 'train/predict.ts', 'data/png.ts']) visit(join(ROOT, 'src', f));
  assert.ok(seen.has(join(ROOT, 'src/rules/ed.ts')) && seen.has(join(ROOT, 'src/kernels/reference.ts')));
});
