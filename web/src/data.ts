/**
 * IDX data for the lab: the bundled MNIST subset fetched next to the page, or the four standard files picked
 * from disk (raw or gzipped). Every failure is a UserError naming the file, so the page can show it and keep
 * the data it already has.
 */
import { crc32, type Dataset, datasetFromIdx, type IdxArray, parseIdx, type Part, UserError } from 'edlearn/browser';

/** The standard file names, as the CLI's locateIdxFiles knows them (EMNIST says "test" for "t10k"). */
const PARTS: Record<Part, { stems: string[]; kind: string; bundled: string }> = {
  trainImages: { stems: ['train-images'], kind: 'idx3-ubyte', bundled: 'train-images-idx3-ubyte.gz' },
  trainLabels: { stems: ['train-labels'], kind: 'idx1-ubyte', bundled: 'train-labels-idx1-ubyte.gz' },
  testImages: { stems: ['t10k-images', 'test-images'], kind: 'idx3-ubyte', bundled: 't10k-images-idx3-ubyte.gz' },
  testLabels: { stems: ['t10k-labels', 'test-labels'], kind: 'idx1-ubyte', bundled: 't10k-labels-idx1-ubyte.gz' },
};
const PART_NAMES = Object.keys(PARTS) as Part[];

/** The bundled subset (10,000 training and 2,000 test images), from `base` (the page's data/ folder). */
export async function fetchDataset(base: URL): Promise<Dataset> {
  const blobs = await Promise.all(PART_NAMES.map(async (part) => {
    const url = new URL(PARTS[part].bundled, base);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new UserError(`data: cannot fetch ${url.pathname} (${(err as Error).message}); load the IDX files from disk instead`);
    }
    if (!response.ok) throw new UserError(`data: ${url.pathname}: HTTP ${response.status}; the bundled subset is missing — load the IDX files from disk instead`);
    return response.blob();
  }));
  const named = Object.fromEntries(PART_NAMES.map((p, i) => [p, { name: PARTS[p].bundled, blob: blobs[i] }]));
  return readDataset(named as Record<Part, NamedBlob>, 'mnist (browser subset)');
}

/** The four files chosen in the file input, matched to their parts by name. */
export async function datasetFromFiles(files: File[]): Promise<Dataset> {
  const found: Partial<Record<Part, NamedBlob>> = {};
  for (const part of PART_NAMES) {
    const { stems, kind } = PARTS[part];
    const pattern = new RegExp(`(^|[-_.])(${stems.join('|')})[-.]${kind}(\\.gz)?$`);
    const matches = files.filter((f) => pattern.test(f.name));
    if (matches.length > 1) throw new UserError(`data: several ${stems[0]} files chosen (${matches.map((f) => f.name).join(', ')}); choose one of each`);
    if (matches.length === 1) found[part] = { name: matches[0].name, blob: matches[0] };
  }
  const missing = PART_NAMES.filter((p) => !found[p]).map((p) => `${PARTS[p].stems[0]}-${PARTS[p].kind}`);
  if (missing.length > 0) {
    throw new UserError(`data: missing ${missing.join(', ')} (raw or .gz); choose the four standard IDX files together`);
  }
  return readDataset(found as Record<Part, NamedBlob>, 'local IDX files');
}

interface NamedBlob {
  name: string;
  blob: Blob;
}

async function readDataset(files: Record<Part, NamedBlob>, name: string): Promise<Dataset> {
  const bytes = await Promise.all(PART_NAMES.map((p) => readBytes(files[p])));
  const arrays = {} as Record<Part, IdxArray>;
  const names = {} as Record<Part, string>;
  let crc = 0;
  PART_NAMES.forEach((p, i) => {
    names[p] = files[p].name;
    arrays[p] = parseIdx(bytes[i], files[p].name);
    crc = crc32(bytes[i], crc);
  });
  // The browser has no cheap synchronous SHA-256; a CRC-32 over the four files still tells datasets apart.
  const sha256 = { trainImages: '', trainLabels: '', testImages: '', testLabels: '' };
  return datasetFromIdx(arrays, names, name, sha256, crc.toString(16).padStart(8, '0'));
}

/** The file's bytes, gunzipped when it starts with the gzip magic 0x1f 0x8b (whatever its name says). */
async function readBytes({ name, blob }: NamedBlob): Promise<Uint8Array> {
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  if (head[0] !== 0x1f || head[1] !== 0x8b) return new Uint8Array(await blob.arrayBuffer());
  try {
    const stream = blob.stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    // The browser's own message here is unhelpful ("Failed to fetch"); say what it means.
    throw new UserError(`readIdx: ${name}: starts like gzip but does not decompress (truncated or corrupt); download it again`);
  }
}
