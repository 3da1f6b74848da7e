/**
 * IDX data for the lab: the bundled MNIST subset fetched next to the page, or the four standard files picked
 * from disk (raw or gzipped). Every failure is a UserError naming the file, so the page can show it and keep
 * the data it already has.
 */
import {
  crc32,
  type Dataset,
  datasetFromIdx,
  type IdxArray,
  matchIdxNames,
  PART_NAMES,
  parseIdx,
  type Part,
  standardName,
  UserError,
} from 'edlearn/browser';

/** The bundled subset's files (web/scripts/make-assets.ts writes them). */
const bundled = (part: Part) => `${standardName(part)}.gz`;

/**
 * The bundled subset (10,000 training and 2,000 test images), from `base` (the page's data/ folder); `progress`
 * hears the bytes received so far and the total the server announced (0 while unknown).
 */
export async function fetchDataset(
  base: URL,
  progress: (loaded: number, total: number) => void = () => {},
): Promise<Dataset> {
  const received = PART_NAMES.map(() => 0);
  const sizes = PART_NAMES.map(() => 0);
  const report = () =>
    progress(
      received.reduce((a, b) => a + b, 0),
      sizes.every((n) => n > 0) ? sizes.reduce((a, b) => a + b, 0) : 0,
    );
  const blobs = await Promise.all(
    PART_NAMES.map(async (part, i) => {
      const url = new URL(bundled(part), base);
      let response: Response;
      try {
        response = await fetch(url);
      } catch (err) {
        throw new UserError(
          `data: cannot fetch ${url.pathname} (${(err as Error).message}); load the IDX files from disk instead`,
        );
      }
      if (!response.ok)
        throw new UserError(
          `data: ${url.pathname}: HTTP ${response.status}; the bundled subset is missing — load the IDX files ` +
            `from disk instead`,
        );
      sizes[i] = Number(response.headers.get('content-length')) || 0;
      if (!response.body) return response.blob();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received[i] += value.byteLength;
        report();
      }
      return new Blob(chunks);
    }),
  );
  const named = Object.fromEntries(PART_NAMES.map((p, i) => [p, { name: bundled(p), blob: blobs[i] }]));
  return readDataset(named as Record<Part, NamedBlob>, 'mnist (browser subset)');
}

/** The four files chosen in the file input, matched to their parts by name as the CLI matches a directory's. */
export async function datasetFromFiles(files: File[]): Promise<Dataset> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const matched = matchIdxNames([...byName.keys()]);
  const found = {} as Record<Part, NamedBlob>;
  const missing: string[] = [];
  for (const part of PART_NAMES) {
    const { matches, ambiguous, chosen } = matched[part];
    if (ambiguous)
      throw new UserError(
        `data: several ${standardName(part)} files chosen (${matches.join(', ')}); choose one of each`,
      );
    if (chosen) found[part] = { name: chosen, blob: byName.get(chosen)! };
    else missing.push(standardName(part));
  }
  if (missing.length > 0) {
    throw new UserError(
      `data: missing ${missing.join(', ')} (raw or .gz); choose the four standard IDX files together`,
    );
  }
  return readDataset(found, 'local IDX files');
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
    throw new UserError(
      `readIdx: ${name}: starts like gzip but does not decompress (truncated or corrupt); download it again`,
    );
  }
}
