/**
 * The model file, byte by byte (all integers little-endian):
 *
 *   "EDLEARN\0"            8 bytes of magic
 *   format version         u32 (this edlearn writes and reads 1)
 *   header length          u32, bytes of the UTF-8 JSON that follows
 *   header                 ModelHeader as UTF-8 JSON
 *   padding                zero bytes up to a multiple of 4
 *   parameters             float32, the arrays of rule.parameters() concatenated; lengths in header.parameterShapes
 *   checksum               u32, CRC-32 of every preceding byte
 *
 * The container holds two kinds of file, told apart by the header's `format`: classifier models (header.ts) and
 * RL agents (rl/agent-file.ts, which brings its own header check). Browser-safe: bytes in, bytes out.
 */
import { UserError } from '../errors.js';
import { crc32 } from '../crc32.js';
import { MODEL_FORMAT_VERSION, missingField, type ModelHeader } from './header.js';

const MAGIC = new TextEncoder().encode('EDLEARN\0');
/** Magic, version and header length. */
const PREFIX = MAGIC.length + 8;
const CHECKSUM = 4;

/** The header's kind: an RL agent's is the one other kind this container holds (rl/agent-file.ts). */
export const AGENT_FORMAT = 'edlearn-agent';
const formatOf = (h: unknown) => (typeof h === 'object' && h !== null ? (h as { format?: unknown }).format : undefined);

/** A model file, or with its kind's version another kind of file (an agent); the header lists the array lengths. */
export function encodeModel(
  header: { parameterShapes: number[] },
  params: Float32Array[],
  version = MODEL_FORMAT_VERSION,
): Uint8Array {
  const shapes = params.map((p) => p.length);
  if (shapes.length !== header.parameterShapes.length || shapes.some((n, i) => n !== header.parameterShapes[i])) {
    throw new Error(
      `encodeModel: header.parameterShapes [${header.parameterShapes.join(', ')}] ≠ the arrays given ` +
        `[${shapes.join(', ')}]`,
    );
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const paramsAt = align4(PREFIX + json.length);
  const floats = shapes.reduce((a, b) => a + b, 0);
  const bytes = new Uint8Array(paramsAt + 4 * floats + CHECKSUM);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(MAGIC.length, version, true);
  view.setUint32(MAGIC.length + 4, json.length, true);
  bytes.set(json, PREFIX);
  let at = paramsAt;
  for (const p of params) {
    for (let i = 0; i < p.length; i++, at += 4) view.setFloat32(at, p[i], true);
  }
  view.setUint32(at, crc32(bytes.subarray(0, at)), true);
  return bytes;
}

/** Reads a model file; `name` (its path) appears in every error, each of which says what to do. */
export function decodeModel(bytes: Uint8Array, name: string): { header: ModelHeader; params: Float32Array[] } {
  const agent = (h: unknown) => {
    const env = (h as { config?: { env?: unknown } }).config?.env;
    return (
      `is an RL agent (written by edlearn rl --save), not a classifier; play it with edlearn ` +
      `rl ${typeof env === 'string' ? env : '<env>'} --load ${name} --greedy`
    );
  };
  return decodeFile(bytes, name, (h) => (formatOf(h) === AGENT_FORMAT ? { refuse: agent(h) } : missingField(h)));
}

/**
 * A model file, or with the caller's header check another kind (an agent): the container's checks, then the
 * header's. `check` gives the first missing field, null, or `{ refuse }` for a file of another kind.
 */
export function decodeFile<H extends { parameterShapes: number[] }>(
  bytes: Uint8Array,
  name: string,
  check: HeaderCheck,
): { header: H; params: Float32Array[] } {
  const fail = (what: string) => new UserError(`model ${name} ${what}`);
  const minimum = PREFIX + CHECKSUM;
  if (bytes.length < minimum)
    throw fail(
      `is ${bytes.length} bytes long, too short for a model file (at least ${minimum}); it was not fully ` +
        `written — save it again`,
    );
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new UserError(
      `${name} is not an edlearn model file (it does not start with "EDLEARN"); give a file written by ` +
        `edlearn train --save`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(MAGIC.length, true);
  if (version > MODEL_FORMAT_VERSION) {
    throw fail(
      `was written by a newer edlearn (format ${version}); this edlearn reads format ${MODEL_FORMAT_VERSION} ` +
        `— upgrade edlearn`,
    );
  }
  if (version < 1) throw fail(`has format version ${version}, which no edlearn writes; save the model again`);
  const headerLength = view.getUint32(MAGIC.length + 4, true);
  const paramsAt = align4(PREFIX + headerLength);
  if (paramsAt + CHECKSUM > bytes.length)
    throw fail(
      `is truncated: ${bytes.length} bytes, but its header alone needs ${PREFIX + headerLength}; save or copy it again`,
    );

  // Read the header before checking the checksum only to tell a truncated file from a corrupted one.
  const header = parseHeader<H>(bytes.subarray(PREFIX, PREFIX + headerLength), check);
  const expected =
    typeof header === 'string' || 'refuse' in header
      ? -1
      : paramsAt + 4 * header.parameterShapes.reduce((a, b) => a + b, 0) + CHECKSUM;
  const stored = view.getUint32(bytes.length - CHECKSUM, true);
  const actual = crc32(bytes.subarray(0, bytes.length - CHECKSUM));
  if (stored !== actual) {
    if (bytes.length < expected)
      throw fail(`is truncated: ${bytes.length} bytes, its header says ${expected}; save or copy it again`);
    throw fail(`is corrupted or was modified (checksum 0x${hex(actual)}, file says 0x${hex(stored)}); re-save it`);
  }
  if (typeof header === 'string') throw fail(`${header}; re-save it with edlearn train --save`);
  if ('refuse' in header) throw new UserError(`${name} ${header.refuse}`);
  if (bytes.length !== expected) {
    throw fail(
      `holds ${bytes.length} bytes, but the parameter sizes in its header need ${expected}; re-save it with ` +
        `edlearn train --save`,
    );
  }
  let at = paramsAt;
  const params = header.parameterShapes.map((n) => {
    const p = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 4) p[i] = view.getFloat32(at, true);
    return p;
  });
  return { header, params };
}

type HeaderCheck = (header: unknown) => string | null | { refuse: string };

/** The header, what is wrong with it, or why it is refused. */
function parseHeader<H>(json: Uint8Array, check: HeaderCheck): H | string | { refuse: string } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (err) {
    // The parser quotes the text around the error, which may hold any byte: keep the message on one line.
    const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    const oneLine = (err as Error).message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, escaped);
    return `has a header that is not JSON (${oneLine})`;
  }
  const missing = check(value);
  if (missing === null) return value as H;
  return typeof missing === 'string' ? `has a header without a valid ${missing}` : missing;
}

const align4 = (n: number) => Math.ceil(n / 4) * 4;
const hex = (v: number) => v.toString(16).padStart(8, '0');
