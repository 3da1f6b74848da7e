/**
 * A SweepSpec → its runs. Cells are the explicit cells × the product of the axes × the random draws; every cell
 * runs every seed. Each (cell, seed) is a point with a label (its `run` in the log) and a TrainInput resolved into
 * a RunConfig; points with the same config share one content-addressed run id and are trained once.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { BACKPROP_OPTIONS } from '../options/backprop.js';
import { ED_OPTIONS } from '../options/ed.js';
import { Random } from '../random.js';
import type { ExperimentTag } from '../log/events.js';
import type { RunConfig, TrainInput } from '../train/config.js';
import { loadDataset } from '../data/cache.js';
import { resolveRunConfig } from '../train/run.js';
import type { Draw, SweepSpec } from './file.js';
import { runId } from './run-id.js';

export type CellValues = Record<string, number | string | boolean>;

export interface SweepPoint {
  /** The run's label in the log: "<sweep>/<cell>/seed <n>". */
  run: string;
  runId: string;
  /** What the worker trains: the cell's options with this seed and one thread. */
  input: TrainInput;
  config: RunConfig;
  experiment: ExperimentTag;
}

export interface SweepPlan {
  spec: SweepSpec;
  points: SweepPoint[];
  /** The distinct runs, in first-point order: what the executors train. */
  jobs: SweepJob[];
}

/** One run to train: everything a worker on any machine needs. */
export interface SweepJob {
  runId: string;
  input: TrainInput;
  /** The dataset's fingerprint the run was planned with; a worker whose copy differs refuses it. */
  fingerprint: string;
  /** The first point's label, for progress lines. */
  label: string;
}

interface Cell {
  label: string;
  panel?: string;
  param?: { name: string; value: number | string };
  values: CellValues;
  set: TrainInput;
}

const show = (x: number | string | boolean) => (typeof x === 'number' ? String(Number(x.toPrecision(4))) : String(x));
const describe = (values: CellValues) =>
  Object.entries(values)
    .map(([k, x]) => `${k} ${show(x)}`)
    .join(' · ');

const rank = (first: string[], axis: string) => (first.includes(axis) ? first.indexOf(axis) : first.length);

/** The product of the axes, in file order (the last axis varies fastest). */
function product(axes: Record<string, (number | string | boolean)[]>): CellValues[] {
  return Object.entries(axes).reduce<CellValues[]>(
    (acc, [k, xs]) => acc.flatMap((c) => xs.map((x) => ({ ...c, [k]: x }))),
    [{}],
  );
}

function drawOne(d: Draw, r: Random): number | string | boolean {
  if ('uniform' in d) return d.uniform[0] + r.next() * (d.uniform[1] - d.uniform[0]);
  if ('log' in d) return Math.exp(Math.log(d.log[0]) + r.next() * (Math.log(d.log[1]) - Math.log(d.log[0])));
  if ('int' in d) return d.int[0] + r.int(d.int[1] - d.int[0] + 1);
  return d.choice[r.int(d.choice.length)];
}

/** Draw i takes its values from the sweep's random seed forked by i: adding draws keeps the earlier ones. */
function draws(spec: SweepSpec): CellValues[] {
  if (!spec.random) return [{}];
  const root = new Random(spec.random.seed);
  const keys = Object.keys(spec.random.draw);
  return Array.from({ length: spec.random.count }, (_, i) => {
    const r = root.fork(i);
    return Object.fromEntries(keys.map((k) => [k, drawOne(spec.random!.draw[k], r)]));
  });
}

function cellsOf(spec: SweepSpec): Cell[] {
  // The heatmap's axes first: the report draws a cell's first two values as x and y.
  const first = spec.report?.heatmap ?? [];
  const ordered = Object.fromEntries(
    Object.entries(spec.axes ?? {}).sort(([a], [b]) => rank(first, a) - rank(first, b)),
  );
  const axes = product(ordered);
  const random = draws(spec);
  const single = Object.keys(spec.axes ?? {}).length === 1 && !spec.random ? Object.keys(spec.axes!)[0] : undefined;
  return spec.cells.flatMap((c) =>
    axes.flatMap((a) =>
      random.map((d, i) => {
        const values = { ...a, ...d };
        const drawn = spec.random ? `draw ${i + 1}` : '';
        const label = [c.label, drawn, describe(values)].filter(Boolean).join(' · ') || spec.id;
        const param = c.param ?? (single ? { name: single, value: a[single] as number | string } : undefined);
        return { label, panel: c.panel, param, values, set: { ...c.set, ...values } as TrainInput };
      }),
    ),
  );
}

/** The options of the rule a run uses (seedFollows applies only to those). */
const ruleOptions = (input: TrainInput) =>
  (input.rule === 'backprop' ? BACKPROP_OPTIONS : ED_OPTIONS) as Record<string, unknown>;

/** Expands and resolves every run; a bad option is a UserError naming the sweep file and the cell. */
export function planSweep(spec: SweepSpec): SweepPlan {
  const points: SweepPoint[] = [];
  const jobs = new Map<string, SweepJob>();
  const fingerprints = new Map<string, string>();
  const labels = new Set<string>();
  for (const cell of cellsOf(spec)) {
    if (labels.has(cell.label))
      throw new UserError(`sweep: ${spec.file}: two cells are labelled '${cell.label}'; give each cell its own label`);
    labels.add(cell.label);
    for (const seed of spec.seeds) {
      const merged: TrainInput = { ...spec.base, ...cell.set };
      const follows = Object.fromEntries(
        (spec.seedFollows ?? []).filter((k) => k in ruleOptions(merged)).map((k) => [k, seed]),
      );
      const input: TrainInput = { ...follows, ...merged, seed, threads: 1, ...dataOf(merged, spec.file) };
      let config: RunConfig;
      let fingerprint: string;
      try {
        config = resolveRunConfig(input);
        fingerprint = fingerprints.get(config.task.data) ?? loadDataset(config)?.fingerprint ?? 'generated';
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        throw new UserError(`sweep: ${spec.file}: cell '${cell.label}', seed ${seed}: ${err.message}`);
      }
      fingerprints.set(config.task.data, fingerprint);
      const id = runId(config, fingerprint);
      const run = `${spec.id}/${cell.label}/seed ${seed}`;
      const experiment: ExperimentTag = {
        id: spec.id,
        curve: cell.label,
        rule: config.rule,
        seed,
        ...(cell.param ? { param: cell.param } : {}),
        ...(cell.panel ? { panel: cell.panel } : {}),
        ...(Object.keys(cell.values).length ? { cell: cell.values } : {}),
      };
      points.push({ run, runId: id, input, config, experiment });
      if (!jobs.has(id)) jobs.set(id, { runId: id, input, fingerprint, label: run });
    }
  }
  return { spec, points, jobs: [...jobs.values()] };
}

/** A relative data directory is relative to the sweep file, not to wherever the command runs. */
function dataOf(input: TrainInput, file: string): TrainInput {
  const { data } = input;
  if (data === undefined || data === 'mnist' || isAbsolute(data)) return {};
  return { data: resolve(dirname(file), data) };
}
