/** `edlearn bench`: runs the benchmarks and prints their tables; --json writes the numbers. */
import { formatBenchReport, runBench } from '../bench/index.js';
import { writeFileAtomic } from '../io.js';

export interface BenchCommandOptions {
  json?: string;
  quick?: boolean;
}

export function benchCommand(options: BenchCommandOptions, out: (text: string) => void = console.log): void {
  const report = runBench({ quick: options.quick, log: (line) => process.stderr.write(`${line}\n`) });
  out(formatBenchReport(report));
  if (options.json) {
    writeFileAtomic(options.json, JSON.stringify(report, null, 2) + '\n');
    out(`\nnumbers written to ${options.json}`);
  }
}
