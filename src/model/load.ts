/**
 * From model-file bytes to a rule ready to predict, on any backend. Browser-safe: give it the bytes (fetch,
 * file input, readFileSync) and a backend; nothing here touches the file system. The header's options are
 * checked against the option schemas and the parameter count against the stored arrays before anything is
 * allocated, so a hostile header cannot make the loader build a huge network.
 */
import { UserError } from '../errors.js';
import type { Backend } from '../kernels/backend.js';
import { referenceBackend } from '../kernels/reference.js';
import { BACKPROP_DEFAULTS, validateBackpropOptions } from '../options/backprop.js';
import { validateEdOptions } from '../options/ed.js';
import { getPreset } from '../options/presets.js';
import type { Rule } from '../rules/rule.js';
import { buildRule, parameterShapes, type RuleSpec } from '../train/build.js';
import type { RuleChoice } from '../train/config.js';
import { decodeModel } from './format.js';
import { EnsembleRule } from './ensemble.js';
import type { ModelHeader } from './header.js';

/** Largest batch the loaded rule predicts at once. */
const MAX_BATCH = 512;

/** The header and the rule of a model file (the public API's loadModel wraps this in a Model). */
export function loadRule(
  bytes: Uint8Array,
  name: string,
  backend: Backend = referenceBackend,
): { header: ModelHeader; rule: Rule } {
  const { header, params } = decodeModel(bytes, name);
  const spec = ruleSpec(header, name);
  const members = header.ensemble?.size ?? 1;
  const one = parameterShapes(spec);
  const need = Array.from({ length: members }, () => one).flat();
  const fits = need.length === params.length && need.every((n, i) => n === params[i].length);
  if (!fits) {
    throw new UserError(
      `model ${name} does not match this edlearn's network layout (${params.length} arrays of ` +
        `[${shapesText(params.map((p) => p.length))}] ` +
        `stored; its config needs ${need.length} of [${shapesText(need)}]); re-save it with this edlearn`,
    );
  }
  for (const p of params) {
    if (!p.every(Number.isFinite))
      throw new UserError(
        `model ${name} holds weights that are not finite numbers (NaN or ±Infinity): the run that saved it ` +
          `diverged; train it again with a lower learning rate`,
      );
  }
  const rules = Array.from({ length: members }, () => buildRule(spec, backend));
  const rule = header.ensemble ? new EnsembleRule(rules) : rules[0];
  rule.parameters().forEach((p, i) => p.set(params[i]));
  rule.parametersChanged();
  return { header, rule };
}

/** The rule the header describes; options added after the file was written take their defaults. */
function ruleSpec(header: ModelHeader, name: string): RuleSpec {
  const { config, task } = header;
  const what = `model ${name}: config`;
  try {
    const rule: RuleChoice =
      config.rule === 'backprop'
        ? {
            rule: config.rule,
            backprop: validateBackpropOptions({ ...BACKPROP_DEFAULTS, ...config.backprop }, `${what}.backprop`),
          }
        : {
            rule: config.rule,
            ed: validateEdOptions({ ...getPreset(config.preset).rule, ...config.ed }, `${what}.ed`),
          };
    return { config: { ...rule, seed: 0 }, inputs: task.inputs, classes: task.classes, maxBatch: MAX_BATCH };
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${err.message}; re-save it with this edlearn`);
    throw err;
  }
}

function shapesText(lengths: number[]): string {
  const text = lengths.slice(0, 6).join(', ');
  return lengths.length > 6 ? `${text}, …` : text;
}
