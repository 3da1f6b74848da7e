/**
 * `edlearn bench`: runs the benchmarks and prints their tables; --json writes the
 * numbers, --markdown prints the README's.
 */
import { readFileSync } from 'node:fs';
import { type BenchReport, formatBenchReport, formatSpeedMarkdown, runBench } from '../bench/index.js';
import { benchTargets } from '../bench/targets.js';
import { check, UserError } from '../errors.js';
import { checkOutputPath, writeFileAtomic } from '../io.js';

export interface BenchCommandOptions {
  json?: string;
  quick?: boolean;
  markdown?: string;
}

export async function benchCommand(
  options: BenchCommandOptions,
  out: (text: string) => void = console.log,
): Promise<void> {
  if (options.markdown) {
    out(formatSpeedMarkdown(readBenchReport(options.markdown)));
    return;
  }
  // Checked before the minutes of measuring, not after them.
  if (options.json !== undefined) checkOutputPath(options.json);
  const report = await runBench({ quick: options.quick, log: (line) => process.stderr.write(`${line}\n`) });
  out(formatBenchReport(report));
  if (options.json) {
    writeFileAtomic(options.json, JSON.stringify(report, null, 2) + '\n');
    out(`\nnumbers written to ${options.json}`);
  }
}

/** A results file written by `npm run bench` (or `edlearn bench --json`), checked before use. */
export function readBenchReport(path: string): BenchReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(
      `bench --markdown ${path}: cannot read the file ` +
        `(${(err as NodeJS.ErrnoException).code ?? String(err)}); run npm run bench first, which writes ` +
        `bench/results.json`,
    );
  }
  let report: Partial<BenchReport>;
  try {
    report = JSON.parse(text) as Partial<BenchReport>;
  } catch {
    throw new UserError(
      `bench --markdown ${path}: not JSON; expected the results file npm run bench writes (bench/results.json)`,
    );
  }
  check(
    report?.format === 'edlearn-bench' &&
      Array.isArray(report.training) &&
      Array.isArray(report.ceilings) &&
      Array.isArray(report.evaluation),
    `bench --markdown ${path}: not a results file of this edlearn's bench (format edlearn-bench with ` +
      `training, ceilings and evaluation); re-run npm run bench`,
  );
  // The targets are judged again from the measurements, by this edlearn's rules (src/bench/targets.ts).
  return { ...(report as BenchReport), targets: benchTargets(report as BenchReport) };
}
