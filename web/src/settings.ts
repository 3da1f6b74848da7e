/**
 * The training form, built from the library's option specs (label, range, help) and presets, and read back into
 * Settings. Each field is checked with the library's validation, so the page's messages state the same ranges
 * as the CLI's; the worker's resolveConfig checks the whole run again.
 */
import {
  ED_OPTIONS, expected, type OptionSpec, PRESET_NAMES, PRESETS, type PresetName, RUN_DEFAULTS, RUN_OPTIONS, validateGiven,
} from 'edlearn/browser';
import type { Settings } from './protocol';

/** The number fields, each one of the library's options; the first five come from the preset. */
const NUMBER_FIELDS = {
  units: ED_OPTIONS.units,
  layers: ED_OPTIONS.layers,
  batch: RUN_OPTIONS.batch,
  lr: ED_OPTIONS.lr,
  initMax: ED_OPTIONS.initMax,
  epochs: RUN_OPTIONS.epochs,
  seed: RUN_OPTIONS.seed,
} as const;
type NumberKey = keyof typeof NUMBER_FIELDS;

/** The values a preset gives the form. */
function presetValues(name: PresetName): Pick<Settings, 'units' | 'layers' | 'batch' | 'lr' | 'initMax'> {
  const { rule, batch } = PRESETS[name];
  return { units: rule.units, layers: rule.layers, batch, lr: rule.lr, initMax: rule.initMax };
}

/** Epochs and seed are not the preset's: the library's defaults, as the CLI's. */
const FORM_DEFAULTS = { epochs: RUN_DEFAULTS.epochs, seed: RUN_DEFAULTS.seed };

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const select = (id: string) => document.getElementById(id) as HTMLSelectElement;
const labelOf = (key: NumberKey) => NUMBER_FIELDS[key].label ?? key;

/** Fills the preset select and creates the number fields in `container`, with the first preset's values. */
export function buildForm(container: HTMLElement): void {
  const presets = select('preset');
  presets.replaceChildren(...PRESET_NAMES.map((name) => {
    const option = new Option(name, name);
    option.title = PRESETS[name].description;
    return option;
  }));
  container.replaceChildren(...(Object.keys(NUMBER_FIELDS) as NumberKey[]).map((key) => field(key, NUMBER_FIELDS[key])));
  for (const [key, value] of Object.entries(FORM_DEFAULTS)) input(key).value = String(value);
  fillPreset(PRESET_NAMES[0]);
}

function field(key: NumberKey, spec: OptionSpec): HTMLLabelElement {
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.id = key;
  box.type = 'number';
  box.title = spec.help;
  if (spec.kind === 'integer' || spec.kind === 'number') {
    box.min = String(spec.min);
    if (spec.max !== Number.MAX_VALUE) box.max = String(spec.max);
    box.step = spec.kind === 'integer' ? '1' : 'any';
  }
  label.append(labelOf(key), ' ', box);
  return label;
}

/** Puts a preset's values into the form and shows its description. */
export function fillPreset(name: PresetName): void {
  for (const [key, value] of Object.entries(presetValues(name))) input(key).value = String(value);
  const note = document.getElementById('preset-note');
  if (note) note.textContent = PRESETS[name].description;
}

export function presetName(value: string): PresetName {
  if (!(PRESET_NAMES as string[]).includes(value)) throw new Error(`Preset: unknown preset '${value}'; expected one of ${PRESET_NAMES.join(', ')}`);
  return value as PresetName;
}

/**
 * The form as Settings; throws an Error whose message names the field and what it accepts. `classes`: how many
 * classes the loaded data has (digits must be below it), when known.
 */
export function readSettings(classes = 10): Settings {
  const task = select('task').value;
  if (task !== 'pair' && task !== 'all') throw new Error(`Task: unknown task '${task}'`);
  const preset = presetName(select('preset').value);
  const digits = input('digits').value.trim();
  if (task === 'pair') {
    const parts = digits.split(',').map((d) => d.trim());
    const ok = parts.length === 2 && parts.every((d) => /^\d+$/.test(d) && Number(d) < classes) && Number(parts[0]) !== Number(parts[1]);
    if (!ok) throw new Error(`Digits: expected two different classes 0…${classes - 1} separated by a comma, e.g. 4,9; got '${digits}'`);
  }
  const numbers = {} as Record<NumberKey, number>;
  for (const key of Object.keys(NUMBER_FIELDS) as NumberKey[]) {
    const text = input(key).value.trim();
    const value = text === '' ? NaN : Number(text);
    try {
      validateGiven({ [key]: NUMBER_FIELDS[key] }, { [key]: value }, labelOf(key));
    } catch {
      throw new Error(`${labelOf(key)}: expected ${expected(NUMBER_FIELDS[key])}; got '${text}'`);
    }
    numbers[key] = value;
  }
  const pace = select('pace').value === 'full' ? 'full' : 'watch';
  return { task, digits, preset, ...numbers, compareBp: input('compare-bp').checked, pace };
}
