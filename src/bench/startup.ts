/**
 * Start-up, as a user meets it: the wall time of fresh `edlearn` processes — `--help`, `train --epochs 1` and
 * `npm start`'s train (4 vs 9, seed preset, 10 epochs) — beside `node -e 0`, the runtime's own start. The
 * commands are run in turn, round after round, so that load on the machine falls on all of them alike; each row
 * is the median of its rounds. The train runs (--json) also give their training time per sample: the whole run's,
 * its first epoch's and its last epochs' (the steady state a fresh process reaches).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

export interface StartupRow {
  /** What a user types (node -e 0: the runtime alone). */
  command: string;
  /** Median wall milliseconds of a fresh process, from spawn to exit. */
  wallMs: number;
  /** Each round's wall milliseconds, in order. */
  allMs: number[];
  /** Train commands: median µs of training per sample over the run, in its first epoch and in its last epochs. */
  training?: {
    epochs: number;
    samplesPerEpoch: number;
    usPerSample: number;
    firstEpochUsPerSample: number;
    steadyUsPerSample: number;
  };
}

export interface StartupResult {
  rounds: number;
  rows: StartupRow[];
}

/** The CLI compiled by npm run build: start-up is measured on what `edlearn` runs, never through tsx. */
export const CLI_BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

export const STARTUP_COMMANDS: { command: string; args: string[] }[] = [
  { command: 'node -e 0', args: ['-e', '0'] },
  { command: 'edlearn --help', args: [CLI_BIN, '--help'] },
  { command: 'edlearn train --epochs 1', args: [CLI_BIN, 'train', '--epochs', '1', '--json'] },
  { command: 'npm start (edlearn train: 4 vs 9, 10 epochs)', args: [CLI_BIN, 'train', '--json'] },
];

interface Summary {
  result: { trainSeconds: number; samples: number; epochs: number };
  history: { samples: number; trainSeconds: number }[];
}

/**
 * Per-sample times of one train run's summary: the whole run, its first evaluation interval (an
 * epoch) and the median of its last half.
 */
function perSample(s: Summary): NonNullable<StartupRow['training']> {
  const h = s.history;
  const steps = h.map((e, i) => ({
    seconds: e.trainSeconds - (h[i - 1]?.trainSeconds ?? 0),
    samples: e.samples - (h[i - 1]?.samples ?? 0),
  }));
  const us = (x: { seconds: number; samples: number }) => (x.seconds / x.samples) * 1e6;
  const last = steps.slice(Math.floor(steps.length / 2));
  return {
    epochs: s.result.epochs,
    samplesPerEpoch: steps[0].samples,
    usPerSample: (s.result.trainSeconds / s.result.samples) * 1e6,
    firstEpochUsPerSample: us(steps[0]),
    steadyUsPerSample: median(last.map(us)),
  };
}

export function benchStartup(rounds = 9, log: (line: string) => void = () => {}): StartupResult | null {
  if (!existsSync(CLI_BIN)) {
    log(`start-up: ${CLI_BIN} is missing (run npm run build); not measured`);
    return null;
  }
  const walls = STARTUP_COMMANDS.map(() => [] as number[]);
  const summaries = STARTUP_COMMANDS.map(() => [] as Summary[]);
  for (let r = 0; r < rounds; r++) {
    STARTUP_COMMANDS.forEach(({ command, args }, i) => {
      const t0 = performance.now();
      const p = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
      walls[i].push(performance.now() - t0);
      if (p.status !== 0)
        throw new Error(`bench: start-up: ${command} exited with ${p.status}: ${p.stderr.trim().split('\n')[0]}`);
      if (args.includes('--json')) summaries[i].push(JSON.parse(p.stdout) as Summary);
    });
    log(`start-up: round ${r + 1} of ${rounds}`);
  }
  const rows = STARTUP_COMMANDS.map(({ command }, i): StartupRow => {
    const row: StartupRow = { command, wallMs: median(walls[i]), allMs: walls[i].map((v) => Number(v.toFixed(1))) };
    if (summaries[i].length === 0) return row;
    const each = summaries[i].map(perSample);
    const med = (f: (t: NonNullable<StartupRow['training']>) => number) => median(each.map(f));
    return {
      ...row,
      training: {
        epochs: each[0].epochs,
        samplesPerEpoch: each[0].samplesPerEpoch,
        usPerSample: med((t) => t.usPerSample),
        firstEpochUsPerSample: med((t) => t.firstEpochUsPerSample),
        steadyUsPerSample: med((t) => t.steadyUsPerSample),
      },
    };
  });
  return { rounds, rows };
}
