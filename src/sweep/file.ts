/**
 * Sweep files (YAML or JSON) → a checked SweepSpec. A sweep is a base config, the cells to run (explicit cells,
 * the product of axes, seeded random draws, or all three multiplied), the seeds every cell runs, the protocol
 * (validation share, split seed, retrain-full) and what the report shows. The run options themselves are checked
 * later, against the option schemas, when each run is resolved (plan.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import type { TrainInput } from '../train/config.js';

const value = v.union([v.number(), v.string(), v.boolean()]);
const options = v.record(v.string(), v.unknown());
const range = v.pipe(
  v.tuple([v.number(), v.number()]),
  v.check(([a, b]) => a < b, 'expected [low, high] with low < high'),
);

/** One random draw per option: uniform or log-uniform in [low, high), an integer in [low, high], or one of a list. */
const draw = v.union([
  v.strictObject({ uniform: range }),
  v.strictObject({
    log: v.pipe(
      range,
      v.check(([a]) => a > 0, 'a log range needs low > 0'),
    ),
  }),
  v.strictObject({
    int: v.pipe(
      range,
      v.check(([a, b]) => Number.isInteger(a) && Number.isInteger(b), 'expected integer bounds'),
    ),
  }),
  v.strictObject({ choice: v.pipe(v.array(value), v.minLength(1)) }),
]);

const seedList = v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), v.minLength(1));
const seedCount = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(1000),
  v.transform((n) => Array.from({ length: n }, (_, i) => i + 1)),
);

const SCHEMA = v.strictObject({
  /** The sweep's id: the experiment id in logs and reports (default: the file name without its extension). */
  sweep: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, . _ -'))),
  title: v.optional(v.string()),
  /** For the article's experiments: the conclusion conclusions.ts judges, and our settings where it is silent. */
  claim: v.optional(v.string()),
  note: v.optional(v.string()),
  /** Part of `edlearn experiment all` (default true). */
  all: v.optional(v.boolean()),
  base: v.optional(options),
  cells: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          label: v.pipe(v.string(), v.minLength(1)),
          panel: v.optional(v.string()),
          param: v.optional(v.strictObject({ name: v.string(), value: v.union([v.number(), v.string()]) })),
          set: v.optional(options),
        }),
      ),
      v.minLength(1),
    ),
  ),
  axes: v.optional(v.record(v.string(), v.pipe(v.array(value), v.minLength(1)))),
  random: v.optional(
    v.strictObject({
      count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10000)),
      seed: v.pipe(v.number(), v.integer(), v.minValue(0)),
      draw: v.record(v.string(), draw),
    }),
  ),
  /** A list of seeds, or a count n (seeds 1…n). */
  seeds: v.union([seedList, seedCount]),
  /** At most this many runs at once on the local executor: timed sweeps say 1, so that runs do not slow each other. */
  workers: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** Options that take the run's seed too (the experiments draw unit types and masks anew per seed). */
  seedFollows: v.optional(v.array(v.string())),
  protocol: v.optional(
    v.strictObject({
      validation: v.optional(v.union([v.number(), v.literal('none')])),
      splitSeed: v.optional(v.number()),
      retrainFull: v.optional(v.boolean()),
    }),
  ),
  report: v.optional(
    v.strictObject({
      /** The two axes of the heatmap (default: the first two axes). */
      heatmap: v.optional(v.tuple([v.string(), v.string()])),
    }),
  ),
});

export type Draw = v.InferOutput<typeof draw>;
type Parsed = v.InferOutput<typeof SCHEMA>;

export interface SweepCellSpec {
  label: string;
  panel?: string;
  param?: { name: string; value: number | string };
  set: TrainInput;
}

export interface SweepSpec extends Omit<Parsed, 'sweep' | 'base' | 'cells' | 'seeds' | 'protocol'> {
  id: string;
  base: TrainInput;
  cells: SweepCellSpec[];
  seeds: number[];
  /** Where the file is: relative data directories are resolved against it. */
  file: string;
}

/** Runs in one sweep file, and the size of the file itself. */
export const MAX_POINTS = 100_000;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Reads and checks a sweep file; every mistake is one UserError naming the file, the key and the fix. */
export function readSweepFile(path: string): SweepSpec {
  if (path.trim() === '')
    throw new UserError("sweep: the sweep file's path is empty; give a sweep file, e.g. sweeps/quick.yaml");
  if (!existsSync(path))
    throw new UserError(
      `sweep: ${path}: no such file; give a sweep file (.yaml, .yml or .json), e.g. sweeps/quick.yaml`,
    );
  const st = statSync(path);
  if (st.isDirectory())
    throw new UserError(
      `sweep: ${path} is a directory; give a sweep file in it (.yaml, .yml or .json), e.g. sweeps/quick.yaml`,
    );
  if (!st.isFile()) throw new UserError(`sweep: ${path} is not a regular file (a device or a pipe); give a sweep file`);
  if (st.size > MAX_FILE_BYTES)
    throw new UserError(
      `sweep: ${path}: ${(st.size / 1048576).toFixed(0)} MB; a sweep file is at ` +
        `most ${MAX_FILE_BYTES / 1048576} MB — use axes and random draws rather than listing cells`,
    );
  const ext = extname(path).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(ext))
    throw new UserError(`sweep: ${path}: expected a .yaml, .yml or .json sweep file, got '${ext || 'no extension'}'`);
  const bytes = readFileSync(path);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0)) {
    throw new UserError(`sweep: ${path}: not UTF-8 text (UTF-16, or binary); save the sweep file as UTF-8`);
  }
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UserError(
      `sweep: ${path}: not valid ${ext === '.json' ? 'JSON' : 'YAML'} (${(err as Error).message.split('\n')[0]})`,
    );
  }
  return checkSweep(raw, path, basename(path, ext));
}

/** checkSweep without the file system: `raw` is the parsed file, `name` its default id. */
export function checkSweep(raw: unknown, path: string, name: string): SweepSpec {
  const proto = protoKey(raw, '');
  if (proto !== null)
    throw new UserError(
      `sweep: ${path}: ${proto}: the key __proto__ is not an option (and would be dropped silently); remove it`,
    );
  const r = v.safeParse(SCHEMA, raw);
  if (!r.success) {
    const issue = r.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    const got = issue.received === 'undefined' ? 'nothing' : issue.received;
    const unknown = issue.type === 'strict_object' && where;
    throw new UserError(
      unknown
        ? `sweep: ${path}: unknown key '${where}'; expected sweep, title, base, cells, axes, random, seeds, ` +
            `seedFollows, protocol, report, workers (or claim, note, all)`
        : `sweep: ${path}: ${where || 'the file'}: ` +
            (issue.expected && !issue.message.includes('expected [') && !issue.message.includes('needs')
              ? `expected ${issue.expected}, got ${got}`
              : issue.message),
    );
  }
  const { sweep, base, cells, seeds, protocol, ...rest } = r.output;
  const repeated = seeds.find((x, i) => seeds.indexOf(x) !== i);
  if (repeated !== undefined)
    throw new UserError(
      `sweep: ${path}: seeds: ${repeated} is listed twice; each seed runs once per cell — remove the repeat`,
    );
  // Counted before anything is expanded: a product of a million cells would fill the memory before a run starts.
  const points =
    (cells?.length ?? 1) *
    Object.values(rest.axes ?? {}).reduce((n, xs) => n * xs.length, 1) *
    (rest.random?.count ?? 1) *
    seeds.length;
  if (points > MAX_POINTS) {
    throw new UserError(
      `sweep: ${path}: ${points.toLocaleString('en')} runs (cells × axes × draws × seeds); at ` +
        `most ${MAX_POINTS.toLocaleString('en')} in one sweep file — split it into several sweeps`,
    );
  }
  if (rest.report?.heatmap) {
    const missing = rest.report.heatmap.find((a) => !rest.axes || !(a in rest.axes));
    if (missing)
      throw new UserError(
        `sweep: ${path}: report.heatmap names '${missing}', which is not an axis; give two keys of axes`,
      );
  }
  return {
    ...rest,
    id: sweep ?? name,
    base: { ...(base as TrainInput), ...(protocol as TrainInput | undefined) },
    cells: (cells ?? [{ label: '' }]).map((c) => ({ ...c, set: (c.set ?? {}) as TrainInput })),
    seeds,
    file: path,
  };
}

/** The path of the first own `__proto__` key in a parsed file, or null. */
function protoKey(value: unknown, at: string): string | null {
  if (value === null || typeof value !== 'object') return null;
  for (const [k, x] of Object.entries(value)) {
    const here = at ? `${at}.${k}` : k;
    if (k === '__proto__') return here;
    const inner = protoKey(x, here);
    if (inner !== null) return inner;
  }
  return null;
}
