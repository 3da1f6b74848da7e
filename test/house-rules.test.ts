// House rules that the linters cannot see: source lines within 120 characters (biome formats code to that width;
// this holds strings and comments to it too), and rules constructed only by the run builder (dependency-cruiser
// sees imports, not `new`). Both read the files git tracks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.js';

const tracked = (...patterns: string[]) =>
  execFileSync('git', ['ls-files', ...patterns], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const WIDTH = 120;
/** Known exceptions to the width, by path, with the reason. */
const WIDE_FILES = new Map([['assembly/kernels.ts', 'AssemblyScript: no formatter parses it']]);

test(`every source line is at most ${WIDTH} characters, URLs and one-regex lines excepted`, () => {
  const long: string[] = [];
  for (const file of tracked('*.ts', '*.mjs')) {
    if (WIDE_FILES.has(file)) continue;
    read(file).split('\n').forEach((line, i) => {
      // Characters, not UTF-16 units: ⁺ and − count one each, as biome counts them.
      const width = [...line].length;
      // A test's expected message as one regular expression cannot be wrapped without changing what it matches.
      if (width <= WIDTH || line.includes('://') || /^\s*\/.+\/[a-z]*[,;)]*$/.test(line)) return;
      long.push(`${file}:${i + 1}: ${width} characters`);
    });
  }
  assert.deepEqual(long, [], `wrap these lines (npm run lint:fix formats code, not strings or comments):\n${long.join('\n')}`);
});

test('nothing but train/build.ts constructs a rule', () => {
  const sources = tracked('src/*.ts', 'web/src/*.ts', 'bench/*.ts');
  const rules = sources.flatMap((f) => [...read(f).matchAll(/\bclass (\w+)\b[^{]*\bimplements\b[^{]*\bRule\b/g)].map((m) => m[1]));
  assert.ok(rules.length >= 2, `expected the rule classes (found ${rules.join(', ') || 'none'})`);
  const built = sources.filter((f) => f !== 'src/train/build.ts').flatMap((f) =>
    rules.filter((name) => new RegExp(`\\bnew ${name}\\(`).test(read(f))).map((name) => `${f}: new ${name}(`));
  assert.deepEqual(built, [], 'build rules with buildRule (train/build.ts), so that one config gives one model everywhere');
});
