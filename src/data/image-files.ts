/** Image files a user hands to `edlearn predict` (Node): a PNG, or an IDX images file holding many images. */
import { readInputFile } from '../io.js';
import { inflateSync } from 'node:zlib';
import { UserError } from '../errors.js';
import { readIdxFile } from './idx.js';
import { decodePng } from './png.js';

export interface ImageFile {
  kind: 'png' | 'idx';
  width: number;
  height: number;
  count: number;
  /** count × height × width grey bytes. */
  pixels: Uint8Array;
}

export function readImageFile(path: string): ImageFile {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(path, 'image');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `cannot read image ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}); give a PNG or an ` +
        `IDX images file`,
    );
  }
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = decodePng(bytes, path, (b, maxOutputLength) => inflateSync(b, { maxOutputLength }));
    return { kind: 'png', width: png.width, height: png.height, count: 1, pixels: png.pixels };
  }
  // IDX starts with two zero bytes; gzip with 1f 8b (readIdxFile gunzips it).
  const idxLike = (bytes[0] === 0 && bytes[1] === 0) || (bytes[0] === 0x1f && bytes[1] === 0x8b);
  if (!idxLike)
    throw new UserError(
      `${path} is neither a PNG nor an IDX images file; give grayscale PNGs of the model's image size or an ` +
        `IDX images file such as t10k-images-idx3-ubyte`,
    );
  const idx = readIdxFile(path);
  if (idx.dims.length !== 3) {
    throw new UserError(
      `readIdx: ${path}: holds a ${idx.dims.length}-dimensional array; predict needs an images file (count × ` +
        `rows × cols), not a labels file`,
    );
  }
  const [count, height, width] = idx.dims;
  return { kind: 'idx', width, height, count, pixels: idx.data };
}
