/**
 * Experiments whose runs are kept as model files (`edlearn experiment mnist-frontier`, `fashion`, `width`): each
 * cell × seed is one `edlearn train … --keep-best --save` in its own process (as many at once as --workers, each
 * nice'd and on one thread), its model and log kept in a work directory so that a rerun resumes; then the cells'
 * logs are gathered into <logs>/<id>.ndjson under the experiment's tags and, for cells with `ensemble`, their
 * members' saved models are combined in disjoint groups (train/ensemble.ts), each group logged as one more run. Node.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { AtomicLineWriter } from '../io.js';
import { getBackend } from '../kernels/index.js';
import type { EndEvent, ExperimentTag, RunHeader } from '../log/events.js';
import { readModelFile } from '../model/file.js';
import type { TrainInput } from '../train/config.js';
import { combineMembers } from '../train/ensemble.js';
import { resolveRunConfig } from '../train/run.js';

export interface MemberCell {
  /** File-name key of the cell (its runs' model and log files). */
  key: string;
  /** The curve's label in the report. */
  label: string;
  input: TrainInput;
  /**
   * Combine this cell's seeds into ensembles of this many members: consecutive groups of the seeds (1–5, 6–10, …),
   * disjoint, so that the ensembles' accuracies are independent samples.
   */
  ensemble?: number;
  param?: { name: string; value: number | string };
}

export interface MemberExperiment {
  id: string;
  title: string;
  seeds: number[];
  cells: MemberCell[];
}

// Under tsx (tests) the entry is TypeScript, and the child needs tsx's --import flag as this process has it.
const TS = import.meta.url.endsWith('.ts');
const BIN = fileURLToPath(new URL(`../cli/bin.${TS ? 'ts' : 'js'}`, import.meta.url));

/** "--flag value" arguments of `edlearn train` for an input (camelCase options become --kebab-case flags). */
export function trainArgs(input: TrainInput): string[] {
  const args: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined || v === false) continue;
    const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (v === true) args.push(flag);
    else args.push(flag, Array.isArray(v) ? v.join(',') : String(v));
  }
  return args;
}

function trainMember(input: TrainInput, model: string, log: string): Promise<void> {
  const args = [
    BIN,
    'train',
    ...trainArgs(input),
    '--threads',
    '1',
    '--keep-best',
    '--save',
    model,
    '--log',
    log,
    '--quiet',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', '10', process.execPath, ...(TS ? process.execArgv : []), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new UserError(
              `experiment: edlearn ${args.slice(1).join(' ')} failed (exit ${code}): ${err.trim().split('\n').pop()}`,
            ),
          ),
    );
  });
}

/** Trains what the work directory lacks, then writes <logs>/<id>.ndjson whole. */
export async function runMemberExperiment(
  e: MemberExperiment,
  o: { logs: string; work: string; workers: number },
  out: (text: string) => void,
): Promise<string> {
  mkdirSync(o.work, { recursive: true });
  const file = (c: MemberCell, seed: number, ext: string) => join(o.work, `${c.key}-${seed}.${ext}`);
  const todo = e.cells
    .flatMap((c) => e.seeds.map((seed) => ({ c, seed })))
    .filter(({ c, seed }) => !(existsSync(file(c, seed, 'edlearn')) && existsSync(file(c, seed, 'ndjson'))));
  out(
    `${e.id}: ${todo.length} of ${e.cells.length * e.seeds.length} runs to train (the others are ` +
      `in ${o.work}), ${o.workers} at a time`,
  );
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const { c, seed } = todo[next++];
      await trainMember({ ...c.input, seed }, file(c, seed, 'edlearn'), file(c, seed, 'ndjson'));
      out(`${e.id}: ${c.label}, seed ${seed} trained`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.workers, todo.length) }, worker));
  const path = join(o.logs, `${e.id}.ndjson`);
  const writer = new AtomicLineWriter(path);
  try {
    for (const c of e.cells) {
      const tag = (seed: number, curve = c.label): ExperimentTag => ({
        id: e.id,
        curve,
        rule: c.input.rule ?? 'ed',
        seed,
        ...(c.param ? { param: c.param } : {}),
      });
      for (const seed of e.seeds) {
        for (const line of readFileSync(file(c, seed, 'ndjson'), 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          const event = JSON.parse(line) as { event: string };
          const run = `${c.key}/seed-${seed}`;
          writer.writeLine(
            JSON.stringify(event.event === 'start' ? { ...event, run, experiment: tag(seed) } : { ...event, run }),
          );
        }
      }
      const size = c.ensemble ?? 0;
      for (let i = 0; size > 1 && i + size <= e.seeds.length; i += size) {
        const seeds = e.seeds.slice(i, i + size);
        combineCell(e, c, seeds, (seed, ext) => file(c, seed, ext), writer, {
          runId: `${c.key}/ensemble-${i / size + 1}`,
          experiment: tag(seeds[0], `${c.label}, ensemble of ${size}`),
        });
      }
    }
    writer.close();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return path;
}

/** Members `seeds` of the cell (model files at their validation-selected epochs) as one ensemble run in the log. */
function combineCell(
  e: MemberExperiment,
  c: MemberCell,
  seeds: number[],
  file: (seed: number, ext: string) => string,
  writer: AtomicLineWriter,
  target: { runId: string; experiment: ExperimentTag },
): void {
  const config = resolveRunConfig({ ...c.input, seed: seeds[0], threads: 1 });
  const backend = getBackend(config.backend);
  const members = seeds.map((seed) => {
    const { rule } = readModelFile(file(seed, 'edlearn'), backend);
    const events = readFileSync(file(seed, 'ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l));
    const header = events.find((v) => v.event === 'start') as RunHeader;
    const end = events.find((v) => v.event === 'end') as EndEvent;
    if (!header || !end)
      throw new UserError(
        `experiment ${e.id}: ${file(seed, 'ndjson')} is not a whole run log; delete it and its model to train it again`,
      );
    return { header, result: end, rule };
  });
  combineMembers(config, members, backend, { writer, ...target });
}
