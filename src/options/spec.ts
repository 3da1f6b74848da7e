/**
 * Options declared once. Each option is a small record — its kind, range or choices, help text and a short label —
 * from which the rest is derived: the TypeScript type of a set of options (Values), their validation (valibot
 * schemas built here; one message per mistake, naming the option and what it accepts), the CLI's flags
 * (cli/flags.ts) and the lab's form fields. Browser-safe.
 */
import { unknownKeyMessage } from '../args.js';
import * as v from 'valibot';
import { UserError } from '../errors.js';

interface Common {
  /** What the option does, for --help and the docs. */
  help: string;
  /** A short name for a form field. */
  label?: string;
}
export interface IntegerSpec extends Common {
  kind: 'integer';
  min: number;
  max: number;
}
export interface NumberSpec extends Common {
  kind: 'number' /** Values must be above min (exclusive) or at least min. */;
  min: number;
  exclusiveMin: boolean;
  max: number;
}
export interface ChoiceSpec<C extends string = string> extends Common {
  kind: 'choice';
  choices: readonly C[];
}
export interface FlagSpec extends Common {
  kind: 'flag';
}
export interface TextSpec extends Common {
  kind: 'text' /** What a valid value looks like, for messages. */;
  expected: string;
  pattern?: RegExp;
}
/** A share of a set: a fraction in (0, 1), a count ≥ 1, or 'none' (0). */
export interface ShareSpec extends Common {
  kind: 'share';
}
export type OptionSpec = IntegerSpec | NumberSpec | ChoiceSpec | FlagSpec | TextSpec | ShareSpec;
export type OptionSpecs = Record<string, OptionSpec>;

export const integer = (min: number, max: number, help: string, label?: string): IntegerSpec => ({
  kind: 'integer',
  min,
  max,
  help,
  label,
});
/** A finite number above `min` (exclusive) up to `max`. */
export const positive = (help: string, max = Number.MAX_VALUE, label?: string): NumberSpec => ({
  kind: 'number',
  min: 0,
  exclusiveMin: true,
  max,
  help,
  label,
});
export const nonNegative = (help: string, max = Number.MAX_VALUE, label?: string): NumberSpec => ({
  kind: 'number',
  min: 0,
  exclusiveMin: false,
  max,
  help,
  label,
});
export const fraction = (help: string, label?: string): NumberSpec => ({
  kind: 'number',
  min: 0,
  exclusiveMin: true,
  max: 1,
  help,
  label,
});
export const choice = <const C extends string>(choices: readonly C[], help: string, label?: string): ChoiceSpec<C> => ({
  kind: 'choice',
  choices,
  help,
  label,
});
export const flag = (help: string, label?: string): FlagSpec => ({ kind: 'flag', help, label });
export const share = (help: string, label?: string): ShareSpec => ({ kind: 'share', help, label });
export const text = (expected: string, help: string, pattern?: RegExp): TextSpec => ({
  kind: 'text',
  expected,
  pattern,
  help,
});

type ValueOf<S> = S extends IntegerSpec | NumberSpec
  ? number
  : S extends ShareSpec
    ? number | 'none'
    : S extends ChoiceSpec<infer C>
      ? C
      : S extends FlagSpec
        ? boolean
        : string;

/** The type of a complete set of options. */
export type Values<T extends OptionSpecs> = { -readonly [K in keyof T]: ValueOf<T[K]> };

/** "an integer 1…64", "a number > 0", "one of a, b": what an option accepts, in words. */
export function expected(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'integer':
      return `an integer ${spec.min}…${spec.max}`;
    case 'number': {
      const low = spec.exclusiveMin ? `> ${spec.min}` : `≥ ${spec.min}`;
      return spec.max === Number.MAX_VALUE ? `a number ${low}` : `a number ${low} and ≤ ${spec.max}`;
    }
    case 'choice':
      return `one of ${spec.choices.join(', ')}`;
    case 'flag':
      return 'true or false';
    case 'text':
      return spec.expected;
    case 'share':
      return "a fraction in (0, 1), a count ≥ 1, or 'none'";
  }
}

/** A share as a number: 0 for 'none', else the fraction or the count. */
export const shareValue = (v: number | 'none'): number => (v === 'none' ? 0 : v);

function schemaOf(spec: OptionSpec): v.GenericSchema {
  switch (spec.kind) {
    case 'integer':
      return v.pipe(v.number(), v.integer(), v.minValue(spec.min), v.maxValue(spec.max));
    case 'number':
      return v.pipe(
        v.number(),
        v.finite(),
        spec.exclusiveMin ? v.gtValue(spec.min) : v.minValue(spec.min),
        v.maxValue(spec.max),
      );
    case 'choice':
      return v.picklist(spec.choices);
    case 'flag':
      return v.boolean();
    case 'text':
      return spec.pattern ? v.pipe(v.string(), v.regex(spec.pattern)) : v.string();
    case 'share':
      return v.union([
        v.literal('none'),
        v.pipe(
          v.number(),
          v.finite(),
          v.gtValue(0),
          v.check((x) => x < 1 || Number.isInteger(x)),
        ),
      ]);
  }
}

const schemas = new WeakMap<OptionSpecs, { complete: v.GenericSchema; partial: v.GenericSchema }>();

/** The valibot schemas of a closed set of options (unknown keys are refused): every option, or any of them. */
function schemasOf(specs: OptionSpecs): { complete: v.GenericSchema; partial: v.GenericSchema } {
  let found = schemas.get(specs);
  if (!found) {
    const entries = Object.entries(specs);
    found = {
      complete: v.strictObject(Object.fromEntries(entries.map(([k, s]) => [k, schemaOf(s)]))),
      partial: v.strictObject(Object.fromEntries(entries.map(([k, s]) => [k, v.optional(schemaOf(s))]))),
    };
    schemas.set(specs, found);
  }
  return found;
}

/**
 * Checks a complete set of options; the first mistake is a UserError naming the option, what it accepts and what
 * it got. `what` says whose options they are ("ED options", "model file x: config.ed").
 */
export function validate<T extends OptionSpecs>(specs: T, values: unknown, what: string): Values<T> {
  return parseWith(schemasOf(specs).complete, specs, values, what) as Values<T>;
}

/** Checks the options that are set (undefined means "not given"); unknown keys are refused too. */
export function validateGiven<T extends OptionSpecs>(specs: T, values: unknown, what: string): Partial<Values<T>> {
  return parseWith(schemasOf(specs).partial, specs, values, what) as Partial<Values<T>>;
}

function parseWith(schema: v.GenericSchema, specs: OptionSpecs, values: unknown, what: string): unknown {
  const result = v.safeParse(schema, values);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const key = String(issue.path?.[0]?.key ?? '');
  if (!Object.hasOwn(specs, key)) {
    if (issue.kind === 'schema' && issue.type === 'strict_object' && key) {
      throw new UserError(unknownKeyMessage(what, key, Object.keys(specs)));
    }
    throw new UserError(`${what}: expected an object of options, got ${show(values)}`);
  }
  const value = (values as Record<string, unknown>)[key];
  throw new UserError(
    `${what}: option ${key}: expected ${expected(specs[key])}, got ${value === undefined ? 'nothing' : show(value)}`,
  );
}

/** The fields of `values` that `specs` declares and that are set. */
export function pick<T extends OptionSpecs>(specs: T, values: Record<string, unknown>): Partial<Values<T>> {
  return Object.fromEntries(
    Object.keys(specs)
      .filter((k) => values[k] !== undefined)
      .map((k) => [k, values[k]]),
  ) as Partial<Values<T>>;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
