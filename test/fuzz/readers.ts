// The readers under fuzz: how to make inputs (valid seeds, mutated) and what "parsed consistently" means for each.
// A case passes when the reader returns something consistent or throws UserError; anything else is a defect.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync, inflateSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { decodeIdxFile, parseIdx } from '../../src/data/idx.js';
import { decodePng, MAX_PNG_PIXELS, MAX_PNG_SIDE } from '../../src/data/png.js';
import { encodeNpy, parseNpy } from '../../src/data/npy.js';
import { parseCsv } from '../../src/data/csv.js';
import { npyImages, npyLabels } from '../../src/data/formats.js';
import { UserError } from '../../src/errors.js';
import { conclude } from '../../src/experiments/conclusions.js';
import { crc32 } from '../../src/crc32.js';
import { decodeModel, encodeModel } from '../../src/model/format.js';
import { loadRule } from '../../src/model/load.js';
import { BACKPROP_DEFAULTS } from '../../src/options/backprop.js';
import { PRESETS } from '../../src/options/presets.js';
import { parameterShapes } from '../../src/train/build.js';
import { INPUT_OPTIONS, resolveConfig } from '../../src/train/config.js';
import { MODEL_FORMAT, type ModelHeader } from '../../src/model/header.js';
import { provenance, seedOf, summarizeExperiment } from '../../src/report/aggregate.js';
import { figuresFor } from '../../src/report/figures.js';
import { buildHtml } from '../../src/report/html.js';
import { isJson } from '../../src/log/read.js';
import { parseLog, readLogTexts } from '../../src/report/read.js';
import { idxBytes } from '../helpers.js';
import { chunk, encodePng, type PngSpec } from '../png-writer.js';
import { concat, mutate, mutations } from './mutate.js';

export interface Reader {
  name: string;
  inputs: fc.Arbitrary<Uint8Array>;
  /** Reads one input; throws UserError when refused, an AssertionError when the result is inconsistent. */
  read: (input: Uint8Array) => void;
}

/**
 * Seeds mutated (most cases), random bytes or the seeds themselves (a few: the consistency checks must hold on them).
 */
function mutated(seeds: Uint8Array[], fields: number[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
    {
      weight: 9,
      arbitrary: fc
        .tuple(fc.nat({ max: seeds.length - 1 }), mutations(fields, seeds.length))
        .map(([i, m]) => mutate(seeds[i], m, seeds)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
  );
}

// IDX: header fields are the magic (0) and up to four sizes (4, 8, 12, 16).
const IDX_SEEDS = [idxBytes([4, 3, 2]), idxBytes([7]), idxBytes([2, 2, 2, 2]), idxBytes([1, 1, 1]), idxBytes([3, 5])];
const IDX_FIELDS = [0, 4, 8, 12, 16];

function checkIdx(r: ReturnType<typeof parseIdx>): void {
  assert.ok(r.dims.length >= 1 && r.dims.length <= 4);
  assert.ok(r.dims.every((d) => d >= 1));
  assert.equal(
    r.data.length,
    r.dims.reduce((a, b) => a * b, 1),
  );
  assert.deepEqual(
    idxBytes(r.dims, r.data),
    new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length),
    're-encodes to the same bytes',
  );
}

const idx: Reader = {
  name: 'IDX',
  inputs: mutated(IDX_SEEDS, IDX_FIELDS),
  read: (input) => {
    const r = parseIdx(input, 'fuzz-idx3-ubyte');
    assert.equal(r.bytes, input);
    checkIdx(r);
  },
};

// gzip IDX: mutate the IDX then compress (reaches the header and size checks), or mutate the gzip stream itself.
const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));
// 1 MB of zeros behind a 24-byte header
const BOMB = concat(idxBytes([2, 2, 2]).subarray(0, 16), new Uint8Array(1 << 20));
const idxGzip: Reader = {
  name: 'IDX gzip',
  inputs: fc.oneof(
    fc
      .tuple(fc.nat({ max: IDX_SEEDS.length - 1 }), mutations(IDX_FIELDS, IDX_SEEDS.length))
      .map(([i, m]) => gz(mutate(IDX_SEEDS[i], m, IDX_SEEDS))),
    mutated([...IDX_SEEDS, BOMB].map(gz), [4, 10]),
    mutations(IDX_FIELDS, 1).map((m) => gz(mutate(BOMB, m, [BOMB]))),
  ),
  read: (input) => {
    const r = decodeIdxFile(input, 'fuzz-idx3-ubyte.gz');
    assert.deepEqual(new Uint8Array(r.bytes), new Uint8Array(gunzipSync(input)), 'what was parsed is the whole stream');
    checkIdx(r);
  },
};

// PNG: whole files mutated (CRCs then resealed or not), or IHDR fields and scanlines mutated inside a well-formed file.
const samples = (n: number, k: number) => Uint8Array.from({ length: n }, (_, i) => (i * k + 11) % 256);
const PNG_SPECS: PngSpec[] = [
  { width: 5, height: 4, colour: 0, samples: samples(20, 37), filter: [0, 1, 2, 3] },
  { width: 3, height: 3, colour: 2, samples: samples(27, 53), filter: [4, 1, 2] },
  { width: 2, height: 5, colour: 6, samples: samples(40, 17), filter: 4 },
  { width: 4, height: 2, colour: 4, samples: samples(16, 91), filter: 3 },
  { width: 1, height: 1, colour: 0, samples: samples(1, 1) },
];
const PNG_SEEDS = PNG_SPECS.map(encodePng);
const SIGNATURE = PNG_SEEDS[0].subarray(0, 8);
/** Byte offsets in a seed: IHDR length, width, height, the first IDAT length. */
const PNG_FIELDS = [8, 16, 20, 33];

/** Recomputes every chunk's CRC, so that mutations reach past the CRC check. */
function resealPng(b: Uint8Array): Uint8Array {
  const out = b.slice();
  const view = new DataView(out.buffer);
  for (let at = 8; at + 12 <= out.length; ) {
    const end = at + 8 + view.getUint32(at);
    if (end + 4 > out.length) break;
    view.setUint32(end, crc32(out.subarray(at + 4, end)));
    at = end + 4;
  }
  return out;
}

/** A well-formed file around any IHDR body and any scanline bytes. */
function assemblePng(ihdr: Uint8Array, raw: Uint8Array): Uint8Array {
  return concat(
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  );
}

const PNG_INNER = PNG_SPECS.map((s) => {
  const png = decodePng(encodePng(s), 'seed', (b) => inflateSync(b)); // only to be sure the seeds are valid
  assert.equal(png.width, s.width);
  const bpp = { 0: 1, 2: 3, 4: 2, 6: 4 }[s.colour];
  const stride = s.width * bpp;
  const raw = new Uint8Array(s.height * (stride + 1));
  // filter 0
  for (let y = 0; y < s.height; y++) raw.set(s.samples.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = encodePng(s).subarray(16, 29);
  return { ihdr, raw };
});

const png: Reader = {
  name: 'PNG',
  inputs: fc.oneof(
    fc.tuple(mutated(PNG_SEEDS, PNG_FIELDS), fc.boolean()).map(([b, reseal]) => (reseal ? resealPng(b) : b)),
    fc
      .tuple(fc.nat({ max: PNG_INNER.length - 1 }), mutations([0, 4], 1, 2, 0), mutations([], 1, 3, 0))
      .map(([i, mh, mr]) =>
        assemblePng(
          mutate(PNG_INNER[i].ihdr, mh, [PNG_INNER[i].ihdr]),
          mutate(
            PNG_INNER[i].raw,
            mr,
            PNG_INNER.map((p) => p.raw),
          ),
        ),
      ),
  ),
  read: (input) => {
    const img = decodePng(input, 'fuzz.png', (b, maxOutputLength) => inflateSync(b, { maxOutputLength }));
    assert.ok(
      img.width >= 1 &&
        img.height >= 1 &&
        img.width <= MAX_PNG_SIDE &&
        img.height <= MAX_PNG_SIDE &&
        img.width * img.height <= MAX_PNG_PIXELS,
    );
    assert.equal(img.pixels.length, img.width * img.height);
    const again = decodePng(
      encodePng({ width: img.width, height: img.height, colour: 0, samples: img.pixels, filter: 4 }),
      're-encoded',
      (b) => inflateSync(b),
    );
    assert.deepEqual(again.pixels, img.pixels, 're-encodes to the same pixels');
  },
};

// Model files: resealed (the CRC recomputed) so that hostile headers reach the header checks, as in issue 10.
const modelHeader = (rule: 'ed' | 'backprop', shapes: number[]) =>
  ({
    format: MODEL_FORMAT,
    version: '0.1.0',
    config: {
      rule,
      task: { kind: 'pair', digits: '4,9', data: 'mnist' },
      preset: 'seed',
      train: { batch: 32, epochs: 1 },
      seed: 1,
      ...(rule === 'ed' ? { ed: { layers: 1, units: 2 } } : { backprop: { layers: 1, units: 2 } }),
    },
    task: { name: 'mnist 4 vs 9', kind: 'pair', inputs: 4, classes: 2, classNames: ['4', '9'] },
    accuracy: { final: 0.5, best: 0.5 },
    parameterShapes: shapes,
  }) as unknown as ModelHeader;
const floats = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k) / 7);
/** The layout the loader expects for a 1 × 2 network on 4 inputs and 2 classes, so that valid seeds load. */
const layout = (rule: 'ed' | 'backprop') =>
  parameterShapes({
    config:
      rule === 'ed'
        ? { rule, ed: { ...PRESETS.seed.rule, layers: 1, units: 2 }, seed: 1 }
        : { rule, backprop: { ...BACKPROP_DEFAULTS, layers: 1, units: 2 }, seed: 1 },
    inputs: 4,
    classes: 2,
    maxBatch: 8,
  });
const seedModel = (rule: 'ed' | 'backprop') =>
  encodeModel(
    modelHeader(rule, layout(rule)),
    layout(rule).map((n, i) => floats(n, i + 1)),
  );
const MODEL_SEEDS = [seedModel('ed'), seedModel('backprop'), encodeModel(modelHeader('ed', []), [])];
const EXTREME_JSON: unknown[] = [
  0,
  -1,
  1,
  2,
  1e7,
  2 ** 32,
  2 ** 53,
  1e308,
  -1e308,
  0.5,
  null,
  true,
  '',
  'mnist',
  '__proto__',
  [],
  {},
  [1e9],
  [-1],
  ['x'],
];
const MODEL_PATHS = [
  'format',
  'version',
  'config',
  'config.rule',
  'config.task',
  'config.task.kind',
  'config.ed',
  'config.ed.layers',
  'config.ed.units',
  'config.backprop',
  'task',
  'task.inputs',
  'task.classes',
  'task.classNames',
  'accuracy',
  'parameterShapes',
  'parameterShapes.0',
  'parameterShapes.1',
  '__proto__',
  'constructor',
];

function resealModel(b: Uint8Array): Uint8Array {
  if (b.length < 4) return b;
  const out = b.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

/** Sets `path` (dot-separated) in a JSON copy of `header` to `value`. */
function setPath(header: unknown, path: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(header));
  const keys = path.split('.');
  let o = copy;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k];
  }
  Object.defineProperty(o, keys[keys.length - 1], { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * A model file with any header JSON text: the format written by hand (magic,
 * version, length, JSON, padding, floats, CRC).
 */
function assembleModel(json: string, params: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(json);
  const prefix = new Uint8Array(16);
  prefix.set(MODEL_SEEDS[0].subarray(0, 8));
  new DataView(prefix.buffer).setUint32(8, 1, true);
  new DataView(prefix.buffer).setUint32(12, text.length, true);
  const pad = new Uint8Array((4 - ((16 + text.length) % 4)) % 4);
  return resealModel(concat(prefix, text, pad, params, new Uint8Array(4)));
}

const SEED_PARAMS = MODEL_SEEDS.map((b) => {
  const { header, params } = decodeModel(b, 'seed');
  return { header, bytes: concat(...params.map((p) => new Uint8Array(p.buffer))) };
});

const model: Reader = {
  name: 'model',
  inputs: fc.oneof(
    fc.tuple(mutated(MODEL_SEEDS, [8, 12]), fc.boolean()).map(([b, reseal]) => (reseal ? resealModel(b) : b)),
    fc
      .tuple(
        fc.nat({ max: SEED_PARAMS.length - 1 }),
        fc.array(fc.tuple(fc.constantFrom(...MODEL_PATHS), fc.constantFrom(...EXTREME_JSON)), {
          minLength: 1,
          maxLength: 3,
        }),
        mutations([], 1, 2),
        fc.boolean(),
      )
      .map(([i, edits, m, touchParams]) => {
        const header = edits.reduce<unknown>((h, [path, value]) => setPath(h, path, value), SEED_PARAMS[i].header);
        const params = touchParams ? mutate(SEED_PARAMS[i].bytes, m, [SEED_PARAMS[i].bytes]) : SEED_PARAMS[i].bytes;
        return assembleModel(JSON.stringify(header), params);
      }),
  ),
  read: (input) => {
    const { header, params } = decodeModel(input, 'fuzz.edlearn');
    assert.deepEqual(
      params.map((p) => p.length),
      header.parameterShapes,
    );
    const again = decodeModel(encodeModel(header, params), 're-encoded');
    assert.deepEqual(again.header, JSON.parse(JSON.stringify(header)), 're-encodes to the same header');
    for (const [k, p] of params.entries())
      assert.ok(
        p.every((v, i) => Object.is(v, again.params[k][i]) || (Number.isNaN(v) && Number.isNaN(again.params[k][i]))),
      );
    // The loader checks the header against the option schemas and the parameter count before allocating.
    const { rule } = loadRule(input, 'fuzz.edlearn');
    assert.deepEqual(
      rule.parameters().map((p) => p.length),
      header.parameterShapes,
    );
  },
};

// NDJSON logs: bytes mutated, or lines dropped, duplicated, cut, and their JSON values replaced with extremes.
const encoder = new TextEncoder();
const decoder = new TextDecoder(); // replaces invalid UTF-8, as readFileSync(…, 'utf8') does
const FIXTURE_TEXT = readFileSync(new URL('../fixtures/report-small.ndjson', import.meta.url), 'utf8');
const LOG_SEEDS = [FIXTURE_TEXT, FIXTURE_TEXT.split('\n').slice(0, 12).join('\n') + '\n'].map((t) => encoder.encode(t));
const LOG_VALUES: unknown[] = [
  ...EXTREME_JSON,
  'constructor',
  'start',
  'eval',
  'end',
  'edlearn-log',
  -0.5,
  1.5,
  { id: '__proto__', curve: 'c', rule: 'ed', seed: 1 },
];

type LineEdit = { line: number; op: 'drop' | 'duplicate' | 'cut' | 'value'; at: number; value: unknown };
function editLines(text: string, edits: LineEdit[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    const i = e.line % lines.length;
    if (e.op === 'drop') lines.splice(i, 1);
    else if (e.op === 'duplicate') lines.splice(i, 0, lines[i]);
    else if (e.op === 'cut') lines[i] = lines[i].slice(0, e.at % (lines[i].length + 1));
    else {
      try {
        const event = JSON.parse(lines[i]);
        const paths = leafPaths(event);
        if (paths.length > 0) lines[i] = JSON.stringify(setPath(event, paths[e.at % paths.length], e.value));
      } catch {
        // not JSON (already cut): leave it
      }
    }
    if (lines.length === 0) break;
  }
  return lines.join('\n');
}

function leafPaths(value: unknown, prefix = '', depth = 0): string[] {
  if (typeof value !== 'object' || value === null || depth > 3) return prefix ? [prefix] : [];
  return Object.keys(value).flatMap((k) => [
    ...(prefix ? [prefix] : []),
    ...leafPaths((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, depth + 1),
  ]);
}

const lineEdit: fc.Arbitrary<LineEdit> = fc.record({
  line: fc.nat({ max: 1000 }),
  op: fc.constantFrom('drop' as const, 'duplicate' as const, 'cut' as const, 'value' as const, 'value' as const),
  at: fc.nat({ max: 10000 }),
  value: fc.constantFrom(...LOG_VALUES),
});

const ndjson: Reader = {
  name: 'NDJSON log',
  inputs: fc.oneof(
    mutated(LOG_SEEDS, []),
    fc
      .tuple(fc.nat({ max: LOG_SEEDS.length - 1 }), fc.array(lineEdit, { minLength: 1, maxLength: 4 }))
      .map(([i, edits]) => encoder.encode(editLines(decoder.decode(LOG_SEEDS[i]), edits))),
  ),
  read: (input) => {
    const text = decoder.decode(input);
    let error: unknown = null;
    for (const allowPartial of [false, true]) {
      try {
        const runs = parseLog(text, 'fuzz.ndjson', { allowPartial });
        const lines = text.split('\n');
        const cut =
          allowPartial &&
          !text.endsWith('\n') &&
          lines[lines.length - 1].trim() !== '' &&
          !isJson(lines[lines.length - 1]);
        const events = lines.filter((l) => l.trim() !== '').length - (cut ? 1 : 0);
        assert.equal(
          runs.length + runs.reduce((n, r) => n + r.evals.length + (r.end ? 1 : 0), 0),
          events,
          'every line is one event of one run',
        );
        // The rest of the report, short of drawing: grouping, statistics, verdicts, figure specs, the page.
        const experiments = readLogTexts([{ text, name: 'fuzz.ndjson' }], { allowPartial });
        const sections = experiments.map((e) => ({
          id: e.id,
          figures: [],
          summaries: summarizeExperiment(e),
          configs: e.curves.map((c) => ({ curve: c.curve, seed: seedOf(c.runs[0]), config: c.runs[0].start.config })),
          conclusion: conclude(e),
        }));
        for (const e of experiments) figuresFor(e);
        buildHtml(sections, provenance(experiments), 'fuzz');
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        error ??= err;
      }
    }
    if (error) throw error;
  },
};

// Run options as JSON (what the API, a sweep file or a model header would hold): resolved or refused with a
// UserError; a resolved config must resolve again to itself.
const OPTION_KEYS = [...Object.keys(INPUT_OPTIONS), 'lerningRate', '__proto__', 'constructor'];
const OPTION_VALUES = fc.oneof(
  fc.constantFrom(...EXTREME_JSON, 'none', 'all', 'xor', 'kaneko-mnist', 'softmax', '4,9', '0x4,9', 'reference', 1 / 6),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
);
const options: Reader = {
  name: 'options',
  inputs: fc
    .dictionary(fc.constantFrom(...OPTION_KEYS), OPTION_VALUES, { maxKeys: 6 })
    .map((o) => encoder.encode(JSON.stringify(o))),
  read: (input) => {
    const config = resolveConfig(JSON.parse(decoder.decode(input)));
    // Outside the reader's try: re-resolving a resolved config must not be refused.
    const { kind, validation, ...task } = config.task;
    // The resolved schedule is one object; as options it is three flat keys.
    const { schedule, ...train } = config.train;
    const flatSchedule = schedule && {
      schedule: schedule.kind,
      stepEvery: schedule.stepEvery,
      stepFactor: schedule.stepFactor,
    };
    const again = (() => {
      try {
        return resolveConfig({
          ...config.ed,
          ...config.backprop,
          ...task,
          task: kind,
          rule: config.rule,
          preset: config.preset,
          ...train,
          ...flatSchedule,
          seed: config.seed,
          ensemble: config.ensemble,
          backend: config.backend as never,
          threads: config.threads,
          validation: validation === 0 ? 'none' : validation,
        });
      } catch (err) {
        throw new assert.AssertionError({
          message: `a resolved config does not resolve again: ${(err as Error).message}`,
        });
      }
    })();
    assert.deepEqual(again, config);
  },
};

// NPY: header length (8), the dict's text (descr, shape) and the data mutated; the
// array then read as images and as labels.
const NPY_SEEDS = [
  encodeNpy(
    [3, 2, 2],
    Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  ),
  encodeNpy(
    [2, 4],
    Float32Array.from({ length: 8 }, (_, i) => i / 8),
  ),
  encodeNpy([5], Int32Array.of(0, 1, 2, 1, 0)),
  encodeNpy([3], Float64Array.of(1, 2, 3)),
  encodeNpy([4, 1], Uint8Array.of(1, 0, 1, 0)),
];
const NPY_FIELDS = [6, 8];

const npy: Reader = {
  name: 'NPY',
  inputs: mutated(NPY_SEEDS, NPY_FIELDS),
  read: (input) => {
    const r = parseNpy(input, 'fuzz.npy');
    const count = r.shape.reduce((a, b) => a * b, 1);
    assert.equal(r.data.length, count);
    assert.ok(r.shape.every((d) => Number.isSafeInteger(d) && d >= 0));
    const again = parseNpy(encodeNpy(r.shape, r.data), 're-encoded');
    assert.deepEqual(Array.from(again.data), Array.from(r.data), 're-encodes to the same values');
    for (const read of [() => npyImages(r, 'fuzz.npy'), () => npyLabels(r, 'fuzz.npy')]) {
      try {
        const out = read();
        if (out instanceof Uint8Array) assert.equal(out.length, count);
        else assert.equal(out.images.length, out.count * out.inputs);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
      }
    }
  },
};

// CSV: text seeds (header or not, CRLF, blank lines) mutated bytewise, or with CSV's own characters inserted.
const CSV_SEEDS = [
  'label,pixel0,pixel1,pixel2,pixel3\n1,0,255,3,4\n0,9,8,7,6\n',
  '5,1,2\r\n3,4,5\r\n\r\n',
  '2,0,0,0,0,0,0,0,0,0\n',
  'label,a\n7,255\n',
].map((t) => new TextEncoder().encode(t));
const CSV_CHARS = [...',\n\r-. 0123456789label"'].map((c) => c.charCodeAt(0));
const csv: Reader = {
  name: 'CSV',
  inputs: fc.oneof(
    mutated(CSV_SEEDS, []),
    fc
      .tuple(
        fc.nat({ max: CSV_SEEDS.length - 1 }),
        fc.array(fc.tuple(fc.nat({ max: 200 }), fc.constantFrom(...CSV_CHARS)), { minLength: 1, maxLength: 6 }),
      )
      .map(([i, edits]) => {
        const b = Array.from(CSV_SEEDS[i]);
        for (const [at, c] of edits) b.splice(at % (b.length + 1), 0, c);
        return Uint8Array.from(b);
      }),
  ),
  read: (input) => {
    const r = parseCsv(input, 'fuzz.csv');
    assert.ok(r.count >= 1 && r.inputs >= 1);
    assert.equal(r.labels.length, r.count);
    assert.equal(r.images.length, r.count * r.inputs);
    const rows = Array.from({ length: r.count }, (_, s) =>
      [r.labels[s], ...r.images.subarray(s * r.inputs, (s + 1) * r.inputs)].join(','),
    );
    const again = parseCsv(new TextEncoder().encode(`label\n${rows.join('\n')}`), 're-encoded');
    assert.deepEqual([again.labels, again.images], [r.labels, r.images], 're-encodes to the same values');
  },
};

export const READERS: Reader[] = [idx, idxGzip, png, model, ndjson, options, npy, csv];
