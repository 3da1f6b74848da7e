// The PNG reader against a PNG writer built from the spec: every supported colour type and row filter, and a
// one-line UserError for what it does not read; predict refuses an image of the wrong size.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { predictCommand } from '../src/cli/model.js';
import { decodePng } from '../src/data/png.js';
import { UserError } from '../src/errors.js';
import { crc32 } from '../src/crc32.js';
import { saveModel } from '../src/model/file.js';
import { modelHeader } from '../src/model/header.js';
import { Random } from '../src/random.js';
import { runTraining } from '../src/train/run.js';
import { tempDir } from './helpers.js';
import { CHANNELS, type ColourType, chunk, encodePng, greyPng, slowCrc32 } from './png-writer.js';

const inflate = (b: Uint8Array) => zlib.inflateSync(b);
/** zlib.crc32 exists from Node 20.15 on; a namespace import keeps older Node 20 able to load this file. */
const zlibCrc32 = (zlib as { crc32?: (b: Uint8Array) => number }).crc32;

test('crc32 matches the check value, a bitwise CRC and zlib', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  const rng = new Random(7);
  const bytes = Uint8Array.from({ length: 1000 }, () => rng.int(256));
  assert.equal(crc32(bytes), slowCrc32(bytes));
  if (zlibCrc32) assert.equal(crc32(bytes), zlibCrc32(bytes));
  assert.equal(crc32(bytes.subarray(400), crc32(bytes.subarray(0, 400))), crc32(bytes), 'continued CRC');
});

/** The grey value the reader must give each pixel: grey as is, colour by luminance, alpha ignored. */
function expectedGrey(samples: Uint8Array, colour: ColourType, pixels: number): Uint8Array {
  const n = CHANNELS[colour];
  return Uint8Array.from({ length: pixels }, (_, i) => {
    const s = samples.subarray(i * n, i * n + n);
    return n <= 2 ? s[0] : Math.round(0.299 * s[0] + 0.587 * s[1] + 0.114 * s[2]);
  });
}

for (const colour of [0, 2, 4, 6] as ColourType[]) {
  for (const filter of [0, 1, 2, 3, 4, 'mixed'] as const) {
    test(`colour type ${colour}, filter ${filter}: pixels decode exactly`, () => {
      const rng = new Random(colour * 10 + (filter === 'mixed' ? 9 : filter));
      const width = 7;
      const height = 5; // odd sizes: no row or pixel count a multiple of 4
      const samples = Uint8Array.from({ length: width * height * CHANNELS[colour] }, () => rng.int(256));
      const filters = filter === 'mixed' ? [0, 1, 2, 3, 4] : filter;
      const png = decodePng(encodePng({ width, height, colour, samples, filter: filters }), 'x.png', inflate);
      assert.equal(png.width, width);
      assert.equal(png.height, height);
      assert.deepEqual(png.pixels, expectedGrey(samples, colour, width * height));
    });
  }
}

function assertPngError(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => decodePng(bytes, 'drawings/d.png', inflate),
    (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.match(err.message, /^png: drawings\/d\.png: /);
      assert.match(err.message, pattern);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    },
  );
}

test('unsupported and damaged PNGs give one-line errors naming the file and what is supported', () => {
  const samples = new Uint8Array(16);
  const supported = /edlearn reads non-interlaced 8-bit grey, grey\+alpha, RGB or RGBA PNGs/;
  assertPngError(encodePng({ width: 4, height: 4, colour: 3 as ColourType, samples }), /palette/);
  assertPngError(encodePng({ width: 4, height: 4, colour: 0, samples, depth: 16 }), /16-bit samples/);
  assertPngError(encodePng({ width: 4, height: 4, colour: 0, samples, depth: 1 }), supported);
  assertPngError(encodePng({ width: 4, height: 4, colour: 0, samples, interlace: 1 }), /interlaced/);

  const good = greyPng(samples, 4, 4);
  assert.equal(decodePng(good, 'ok.png', inflate).pixels.length, 16);
  assertPngError(new TextEncoder().encode('GIF89a'), /is not a PNG file/);
  assertPngError(good.subarray(0, good.length - 20), /truncated/);
  const flipped = good.slice();
  flipped[40] ^= 1;
  assertPngError(flipped, /chunk fails its CRC check: the file is corrupted/);
  const badFilter = encodePng({ width: 4, height: 4, colour: 0, samples, filter: [0, 0, 7, 0] });
  assertPngError(badFilter, /row 2 has filter type 7/);
  // A critical chunk the reader does not know, placed before IEND.
  const withChunk = new Uint8Array([
    ...good.subarray(0, good.length - 12),
    ...chunk('ZZZZ', new Uint8Array(1)),
    ...good.subarray(good.length - 12),
  ]);
  assertPngError(withChunk, /critical ZZZZ chunk/);
});

test('predict refuses a PNG that is not the size the model takes', () => {
  const { header, result, rule } = runTraining({
    rule: 'backprop',
    layers: 1,
    units: 4,
    batch: 32,
    updates: 2,
    backend: 'reference',
    threads: 1,
  });
  const dir = tempDir();
  const model = join(dir, 'tiny.edlearn');
  saveModel(model, rule, modelHeader(header, result, rule));
  const image = join(dir, 'big.png');
  writeFileSync(image, greyPng(new Uint8Array(32 * 40), 32, 40));
  assert.throws(
    () => predictCommand([image], { model }, () => {}),
    (err: unknown) =>
      err instanceof UserError &&
      err.message === `${image} is 32×40; this model takes 28×28 grayscale images — resize it first`,
  );
});
