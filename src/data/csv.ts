/**
 * Labelled images as CSV in the common "label, pixel0, pixel1, …" layout (the Kaggle MNIST files): an optional
 * header row whose first column is "label", then one row per image, the class first and then every pixel as an
 * integer 0…255. Bytes only, so that a browser can use it; files are read by data/formats.ts. Every refusal is one
 * line naming the file, the line and column, what was expected and the fix.
 */
import { UserError } from '../errors.js';

export interface CsvImages {
  /** count × inputs bytes. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  inputs: number;
}

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/** Parses a labelled-images CSV file; `name` appears in every error. */
export function parseCsv(bytes: Uint8Array, name: string): CsvImages {
  const fail = (line: number, what: string) => new UserError(`readCsv: ${name}: line ${line}: ${what}`);
  let at = 0;
  let line = 1;
  // A header row: anything whose first character is not a digit.
  const first = bytes.findIndex((b) => b !== SPACE && b !== CR && b !== LF);
  if (first < 0)
    throw new UserError(`readCsv: ${name}: the file is empty; expected rows of "label, pixel0, pixel1, …"`);
  if (bytes[first] < 0x30 || bytes[first] > 0x39) {
    const end = bytes.indexOf(LF);
    const header = new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end)).replace(/\r$/, '');
    const firstColumn = header.split(',')[0].trim().replace(/^"|"$/g, '').toLowerCase();
    if (firstColumn !== 'label') {
      const hint = firstColumn.startsWith('pixel')
        ? " (an unlabelled file, like Kaggle's competition test.csv: hold out part of train.csv instead)"
        : '';
      throw fail(1, `the header's first column is "${shown(firstColumn)}", expected "label"${hint}`);
    }
    at = end < 0 ? bytes.length : end + 1;
    line = 2;
  }
  const labels: number[] = [];
  let pixels = new Uint8Array(1 << 16);
  let filled = 0;
  let inputs = -1;
  while (at < bytes.length) {
    // One row: fields separated by commas, ended by \n (or \r\n, or the end of the file).
    let column = 0;
    let blank = true;
    for (;;) {
      while (at < bytes.length && bytes[at] === SPACE) at++;
      let value = 0;
      let digits = 0;
      while (at < bytes.length && bytes[at] >= 0x30 && bytes[at] <= 0x39) {
        value = value * 10 + (bytes[at++] - 0x30);
        if (++digits > 3) break;
      }
      while (at < bytes.length && bytes[at] === SPACE) at++;
      const next = at < bytes.length ? bytes[at] : LF;
      const ends = next === COMMA || next === LF || next === CR;
      if (digits === 0 && column === 0 && (next === LF || next === CR)) break; // an empty line
      blank = false;
      if (digits === 0 || digits > 3 || !ends || value > 255) {
        const text = new TextDecoder()
          .decode(bytes.subarray(at - digits, Math.min(bytes.length, at - digits + 12)))
          .split(/[,\r\n]/)[0];
        throw fail(
          line,
          `column ${column + 1} is "${shown(text)}", ` +
            `expected ${column === 0 ? 'a class label 0…255' : 'a pixel value, an integer 0…255'}`,
        );
      }
      if (column === 0) labels.push(value);
      else {
        if (filled === pixels.length) {
          const grown = new Uint8Array(pixels.length * 2);
          grown.set(pixels);
          pixels = grown;
        }
        pixels[filled++] = value;
      }
      column++;
      if (next !== COMMA) break;
      at++;
    }
    if (at < bytes.length && bytes[at] === CR) at++;
    if (at < bytes.length && bytes[at] === LF) at++;
    else if (at < bytes.length) throw fail(line, 'expected the end of the row after the last value');
    if (!blank) {
      if (column < 2) throw fail(line, `the row has ${column} column; expected the label then the pixels`);
      if (inputs < 0) inputs = column - 1;
      else if (column - 1 !== inputs)
        throw fail(
          line,
          `the row has ${column - 1} pixels, the first row had ${inputs}; every row must hold the same number`,
        );
    }
    line++;
  }
  if (labels.length === 0)
    throw new UserError(`readCsv: ${name}: no rows of data; expected rows of "label, pixel0, pixel1, …"`);
  return { images: pixels.slice(0, filled), labels: Uint8Array.from(labels), count: labels.length, inputs };
}

/** Text as an error message may show it: one line, printable, short. */
function shown(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
