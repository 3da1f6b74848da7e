import { check } from '../errors.js';

/**
 * Every knob of the ED rule. Symbols follow Kaneko (docs/ed-method.md maps them): α = lr, β = beta, u0, u1.
 * Presets are plain objects of these; any field can be overridden.
 */
export interface EdOptions {
  /** Number of hidden layers (Kaneko: 1). */
  layers: number;
  /** Units per hidden layer, types alternating (Kaneko: first inhibitory): units = 16 is 8 + 8. */
  units: number;
  /** Learning rate α. */
  lr: number;
  /** Value β of the two bias units (one excitatory, one inhibitory) feeding every layer. */
  beta: number;
  /** Sigmoid temperature: f(u) = 1 / (1 + exp(−2u / u0)). */
  u0: number;
  /** Diffusion factor: hidden units receive u1·d⁺ and u1·d⁻, the output unit d⁺ and d⁻. */
  u1: number;
  /** Initial |w| ~ U[0, initMax), or U[0, initMax / units) when initPerUnit. */
  initMax: number;
  /** Divide the initial range by the layer's unit count (the seed article: 0 … 1/units). */
  initPerUnit: boolean;
  /** Initial range of the input layer's weights alone, when set (> 0); 0 means initMax (e.g. 0.01 keeps 1,568 inputs from saturating every unit). */
  inputInitMax: number;
  /** Divide every update by this (seed article: units + layers; it found units × layers too small to learn). */
  updateScale: 'none' | 'units+layers' | 'units*layers';
  /** Learning derivative: Kaneko's y(1 − y), or the true derivative of f, y(1 − y)·2/u0. */
  derivative: 'kaneko' | 'true';
  /** Kaneko's optional weight-decrement mode: both sign families learn from every sample; weights may shrink and flip. */
  weightDecrement: boolean;
  /** Type of the first hidden unit; the rest alternate (Kaneko: −, +, −, …). */
  firstHidden: 'inhibitory' | 'excitatory';

  // The article's open questions, each off by default (docs/ed-method.md, "Options").
  /** Output of each class network: Kaneko's sigmoid, or linear outputs coupled by a softmax across the K networks (e_k = onehot_k − softmax_k). */
  output: 'sigmoid' | 'softmax';
  /** Hidden unit types: alternating, or each unit excitatory with probability ½ (drawn once from typeSeed). */
  unitTypes: 'alternate' | 'random';
  typeSeed: number;
  /** Fraction of connections that exist: 1 is full; below 1, a fixed random mask drawn from maskSeed. */
  connectivity: number;
  maskSeed: number;
  /** How the output is lowered when e < 0: strengthen synapses from inhibitory sources (Kaneko), or weaken those from excitatory ones (never past zero). */
  lowering: 'strengthen-inhibitory' | 'weaken-excitatory';
  /** Initial weights: |w| ~ U[0, r) with the sign s_m·s_k (typed), or w ~ U(−r, r) regardless of type (any). */
  initSign: 'typed' | 'any';
  /** Forward pass with ternary weights: s_m·s_k if |w| / mean|w| > 0.5, else 0; updates act on the float weights. */
  ternary: boolean;
  /** Divide each hidden layer's pre-activations by their root mean square, per sample. */
  rmsNorm: boolean;
}

/** A preset: the rule's options plus how it is fed (batch size, pattern order). */
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
  beta: 0.8,
  u0: 0.4,
  u1: 1,
  initMax: 1,
  initPerUnit: false,
  inputInitMax: 0,
  updateScale: 'none',
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
  rmsNorm: false,
};

export const PRESETS = {
  kaneko: {
    description: "Kaneko's 1999 original: one hidden layer, online updates, α 0.8, β 0.8, u0 0.4, init U[0,1)",
    rule: kanekoRule,
    batch: 1,
    order: 'shuffle',
  },
  'kaneko-mnist': {
    description: "Kaneko's rule tuned for MNIST: 64 hidden, α 0.01, init U[0, 0.01) — 98 % on 10-class in ≈ 1 minute",
    rule: { ...kanekoRule, units: 64, lr: 0.01, initMax: 0.01 },
    batch: 1,
    order: 'shuffle',
  },
  seed: {
    description: 'the seed article: 3 hidden layers of 16, batch 64 summed, lr 0.01, init 0…1/units, update ÷ (units + layers)',
    rule: { ...kanekoRule, layers: 3, units: 16, lr: 0.01, initPerUnit: true, updateScale: 'units+layers' },
    batch: 64,
    order: 'shuffle',
  },
} satisfies Record<string, EdPreset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function getPreset(name: string): EdPreset {
  check(name in PRESETS, `--preset: unknown preset '${name}'; expected one of ${PRESET_NAMES.join(', ')}`);
  return PRESETS[name as PresetName];
}

/** Checks that options describe a network that can exist; the message names the flag to fix. */
export function validateEdOptions(o: EdOptions): EdOptions {
  const int = (v: number, flag: string, min: number) =>
    check(Number.isInteger(v) && v >= min, `${flag}: expected an integer ≥ ${min}, got ${v}`);
  const pos = (v: number, flag: string) =>
    check(Number.isFinite(v) && v > 0, `${flag}: expected a positive number, got ${v}`);
  const nonNeg = (v: number, flag: string) =>
    check(Number.isFinite(v) && v >= 0, `${flag}: expected a number ≥ 0, got ${v}`);
  int(o.layers, '--layers', 1);
  int(o.units, '--units', 1);
  pos(o.lr, '--lr');
  nonNeg(o.beta, '--beta');
  pos(o.u0, '--u0');
  nonNeg(o.u1, '--u1');
  pos(o.initMax, '--init-max');
  nonNeg(o.inputInitMax, '--input-init-max');
  check(['none', 'units+layers', 'units*layers'].includes(o.updateScale),
    `--update-scale: expected none, units+layers or units*layers, got '${o.updateScale}'`);
  check(['kaneko', 'true'].includes(o.derivative), `--derivative: expected kaneko or true, got '${o.derivative}'`);
  check(['inhibitory', 'excitatory'].includes(o.firstHidden),
    `--first-hidden: expected inhibitory or excitatory, got '${o.firstHidden}'`);
  check(['sigmoid', 'softmax'].includes(o.output), `--output: expected sigmoid or softmax, got '${o.output}'`);
  check(['alternate', 'random'].includes(o.unitTypes), `--unit-types: expected alternate or random, got '${o.unitTypes}'`);
  check(Number.isFinite(o.connectivity) && o.connectivity > 0 && o.connectivity <= 1,
    `--connectivity: expected a fraction in (0, 1], got ${o.connectivity}`);
  check(['strengthen-inhibitory', 'weaken-excitatory'].includes(o.lowering),
    `--lowering: expected strengthen-inhibitory or weaken-excitatory, got '${o.lowering}'`);
  check(['typed', 'any'].includes(o.initSign), `--init-sign: expected typed or any, got '${o.initSign}'`);
  int(o.typeSeed, '--type-seed', 0);
  int(o.maskSeed, '--mask-seed', 0);
  return o;
}

/** The number every update is divided by. */
export function updateDivisor(o: EdOptions): number {
  switch (o.updateScale) {
    case 'none': return 1;
    case 'units+layers': return o.units + o.layers;
    case 'units*layers': return o.units * o.layers;
  }
}
