/** Model files on disk (Node): save atomically, read with the checks of decodeModel. */
import { readInputFile } from '../io.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import type { Backend } from '../kernels/backend.js';
import type { Rule } from '../rules/rule.js';
import { encodeModel } from './format.js';
import type { ModelHeader } from './header.js';
import { loadRule } from './load.js';

/** Writes the rule's parameters under `header`; a failed save leaves any file already at `path` as it was. */
export function saveModel(path: string, rule: Rule, header: ModelHeader): void {
  writeFileAtomic(path, encodeModel(header, rule.parameters()));
}

export function readModelFile(path: string, backend?: Backend): { header: ModelHeader; rule: Rule } {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(path, '--model');
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UserError(`--model: cannot read ${path} (${code}); give the file written by edlearn train --save`);
  }
  return loadRule(bytes, path, backend);
}
