// npm run bench: the same benchmarks as `edlearn bench`, through the public API; writes bench/results.json.
// npm run bench:readme then prints the README's speed section from that file into README.md.
import { writeFileSync } from 'node:fs';
import { formatBenchReport, runBench } from '../src/index.js';

const report = await runBench({
  quick: process.argv.includes('--quick'),
  log: (line) => process.stderr.write(`${line}\n`),
});
console.log(formatBenchReport(report));
writeFileSync('bench/results.json', JSON.stringify(report, null, 2) + '\n');
console.log('\nnumbers written to bench/results.json');
