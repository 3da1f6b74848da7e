/**
 * From model-file bytes to a rule ready to predict, on any backend. Browser-safe: give it the bytes (fetch,
 * file input, readFileSync) and a backend; nothing here touches the file system.
 */
import { UserError } from '../errors.js';
import type { Backend } from '../kernels/backend.js';
import { referenceBackend } from '../kernels/reference.js';
import { Random } from '../random.js';
import { BACKPROP_DEFAULTS, BackpropClassifier } from '../rules/backprop.js';
import { EdClassifier } from '../rules/ed.js';
import { getPreset } from '../rules/ed-options.js';
import type { Rule } from '../rules/rule.js';
import { decodeModel } from './format.js';
import type { ModelHeader } from './header.js';

/** Largest batch the loaded rule predicts at once. */
const MAX_BATCH = 512;

export function loadModel(bytes: Uint8Array, name: string, backend: Backend = referenceBackend): { header: ModelHeader; rule: Rule } {
  const { header, params } = decodeModel(bytes, name);
  const rule = buildRule(header, name, backend);
  const target = rule.parameters();
  const fits = target.length === params.length && target.every((p, i) => p.length === params[i].length);
  if (!fits) {
    throw new UserError(`model ${name} does not match this edlearn's network layout (${params.length} arrays of [${shapesText(params)}] `
      + `stored; its config needs ${target.length} of [${shapesText(target)}]); re-save it with this edlearn`);
  }
  target.forEach((p, i) => p.set(params[i]));
  rule.parametersChanged();
  return { header, rule };
}

/** The rule the header describes, with throw-away initial weights (they are overwritten). */
function buildRule(header: ModelHeader, name: string, backend: Backend): Rule {
  const { config, task } = header;
  try {
    if (config.rule === 'backprop') {
      // Options added after the file was written take their defaults, so older files still load.
      const options = { ...BACKPROP_DEFAULTS, ...config.backprop };
      return new BackpropClassifier(options, task.inputs, task.classes, backend, new Random(0), MAX_BATCH);
    }
    const options = { ...getPreset(config.preset).rule, ...config.ed };
    return new EdClassifier(options, task.inputs, task.classes, backend, new Random(0), MAX_BATCH);
  } catch (err) {
    // A bad option (UserError) or a layout too large to allocate (RangeError) in a file whose checksum holds.
    if (err instanceof UserError || err instanceof RangeError) {
      throw new UserError(`model ${name}: its config cannot be built (${err.message}); re-save it with this edlearn`);
    }
    throw err;
  }
}

function shapesText(arrays: Float32Array[]): string {
  const text = arrays.slice(0, 6).map((p) => p.length).join(', ');
  return arrays.length > 6 ? `${text}, …` : text;
}
