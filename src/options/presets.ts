/** The ED presets, as data: every option of the rule plus how it is fed (batch size, pattern order). */
import { UserError } from '../errors.js';
import type { EdOptions } from './ed.js';

export interface EdPreset {
  description: string;
  rule: EdOptions;
  batch: number;
  order: 'shuffle' | 'fixed';
}

const kanekoRule: EdOptions = {
  layers: 1,
  units: 8,
  lr: 0.8,
  lrDecay: 1,
  beta: 0.8,
  u0: 0.4,
  u1: 1,
  initMax: 1,
  initPerUnit: false,
  initScale: 'none',
  inputInitMax: 0,
  updateScale: 'none',
  batchReduce: 'sum',
  derivative: 'kaneko',
  weightDecrement: false,
  firstHidden: 'inhibitory',
  output: 'sigmoid',
  unitTypes: 'alternate',
  typeSeed: 1,
  connectivity: 1,
  maskSeed: 1,
  lowering: 'strengthen-inhibitory',
  initSign: 'typed',
  ternary: false,
  ternaryBias: false,
  rmsNorm: false,
  gainSpread: 1,
};

export const PRESETS = {
  seed: {
    description:
      'the seed article: 3 hidden layers of 16, batch 64 summed, lr 0.01, init 0…1/units, update ÷ (units + layers)',
    rule: { ...kanekoRule, layers: 3, units: 16, lr: 0.01, initPerUnit: true, updateScale: 'units+layers' },
    batch: 64,
    order: 'shuffle',
  },
  kaneko: {
    description: "Kaneko's 1999 original: one hidden layer of 8, online updates, α 0.8, β 0.8, u0 0.4, init U[0,1)",
    rule: kanekoRule,
    batch: 1,
    order: 'shuffle',
  },
  'kaneko-mnist': {
    description:
      "Kaneko's rule for MNIST, chosen on validation (experiment kaneko-mnist-search): 64 hidden, α 0.005, " +
      'init U[0, 0.01), online',
    rule: { ...kanekoRule, units: 64, lr: 0.005, initMax: 0.01 },
    batch: 1,
    order: 'shuffle',
  },
} satisfies Record<string, EdPreset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function getPreset(name: string): EdPreset {
  if (!Object.hasOwn(PRESETS, name))
    throw new UserError(`option preset: unknown preset '${name}'; expected one of ${PRESET_NAMES.join(', ')}`);
  return PRESETS[name as PresetName];
}
