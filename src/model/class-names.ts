/**
 * Class names as model files store them and `edlearn predict` prints them: printable text only, so that a model
 * file cannot forge output lines or send terminal escapes (control characters and bidirectional overrides are
 * refused when a model is made and when a file is read).
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** What is wrong with `name` as a class name, or null. */
export function classNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'expected a string';
  if (name.length === 0 || name.length > 200) return 'expected 1 to 200 characters';
  if (CONTROL.test(name)) return `${JSON.stringify(name)} holds a control character; class names are printable text`;
  return null;
}
