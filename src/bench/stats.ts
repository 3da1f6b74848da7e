/** Timing helpers for the benchmarks: medians over repeats, and the machine's load next to the numbers. */
import { loadavg } from 'node:os';
import { machine as logMachine } from '../log/machine.js';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median seconds of `fn` over `repeats` runs after `warmup` runs; each run repeats fn until ≥ minSeconds. */
export function timeIt(
  fn: () => void,
  { repeats = 7, warmup = 2, minSeconds = 0.05 } = {},
): { seconds: number; all: number[] } {
  for (let i = 0; i < warmup; i++) fn();
  let inner = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    if ((performance.now() - t0) / 1000 >= minSeconds) break;
    inner *= 2;
  }
  const all: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    all.push((performance.now() - t0) / 1000 / inner);
  }
  return { seconds: median(all), all };
}

/** The machine as every log records it, with its load averages. */
export function machine() {
  const { cpu, cores, node } = logMachine();
  return { cpu, cores, load: loadavg().map((v) => Number(v.toFixed(2))), node };
}

export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]);
  const cell = (v: string | number) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1)) : v;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? '').length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ');
  return [
    line(cols),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(cols.map((c) => cell(r[c] ?? '')))),
  ].join('\n');
}
