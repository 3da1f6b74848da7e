/**
 * Argument checks for the public API (createModel, loadModel, save, fit, …): one helper so that every function
 * refuses a wrong type or an unknown option key the same way, with a UserError naming the function, the argument
 * and what was expected ("did you mean epochs?" for a misspelt key). Browser-safe.
 */
import { UserError } from './errors.js';

/** What `value` is, in words for a message: "null", "the number 42", "an ArrayBuffer", "a function". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `the ${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}` : 'an object';
}

/** Edit distance (insertions, deletions, substitutions), for suggesting the known name nearest a misspelt one. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** The known name nearest `name` (case-insensitive, at most a third of its letters off), if any. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(1, Math.floor(Math.max(name.length, 3) / 3)) ? best : undefined;
}

/** The message for a key that is not one of `known`: the nearest name, or the whole list. */
export function unknownKeyMessage(what: string, key: string, known: readonly string[]): string {
  const near = nearestName(key, known);
  return (
    `${what}: unknown option '${key}'${near ? ` — did you mean ${near}?` : ''}; expected one ` +
    `of ${known.join(', ')}`
  );
}

/**
 * Checks that `value` is an options object (undefined is {}) whose own keys are all in `known`; `elsewhere` maps
 * keys that belong to another call to where they go (createModel's "epochs" → "fit(x, y, { epochs })").
 */
export function checkOptions(
  what: string,
  value: unknown,
  known: readonly string[],
  elsewhere: Record<string, string> = {},
): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isBinary(value)) {
    throw new UserError(`${what}: expected an object of options, got ${describeValue(value)}`);
  }
  for (const key of Reflect.ownKeys(value)) {
    const name = String(key);
    if (known.includes(name)) continue;
    if (Object.hasOwn(elsewhere, name))
      throw new UserError(`${what}: option ${name} is not ${what}'s; give it to ${elsewhere[name]}`);
    throw new UserError(unknownKeyMessage(what, name, known));
  }
  return value as Record<string, unknown>;
}

/** Throws `what: argName: expected …, got …` unless `ok`. */
export function checkArgument(what: string, argName: string, value: unknown, expected: string, ok: boolean): void {
  if (!ok) throw new UserError(`${what}: ${argName}: expected ${expected}, got ${describeValue(value)}`);
}

/** Checks the type of each option of `options` that is set: 'function', 'boolean', or a predicate and its words. */
export function checkOptionTypes(
  what: string,
  options: Record<string, unknown>,
  types: Record<string, 'function' | 'boolean' | [string, (v: unknown) => boolean]>,
): void {
  for (const [key, type] of Object.entries(types)) {
    const value = options[key];
    if (value === undefined) continue;
    if (Array.isArray(type)) checkArgument(what, `option ${key}`, value, type[0], type[1](value));
    else
      checkArgument(
        what,
        `option ${key}`,
        value,
        type === 'function' ? 'a function' : 'true or false',
        typeof value === type,
      );
  }
}

/** Bytes as the API takes them: a Uint8Array (a Node Buffer is one), any other typed array view, or an ArrayBuffer. */
export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** The bytes of an ArrayBuffer or typed array view, without copying. */
export function bytesOf(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  return value instanceof ArrayBuffer
    ? new Uint8Array(value)
    : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
