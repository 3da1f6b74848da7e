/**
 * The training form: filled from the library's presets, read and checked into Settings. Checking here gives
 * messages in the form's own words; the worker checks again with the library's rules.
 */
import { PRESETS } from 'edlearn/browser';
import type { Settings } from './protocol';

type PresetKey = Settings['preset'];
type Numbers = Pick<Settings, 'units' | 'layers' | 'batch' | 'lr' | 'initMax'>;

/**
 * Form values per preset. Kaneko's published 8 units, α 0.8, U[0, 1) saturate on 784 inputs (README, 10-class
 * MNIST); 64 units, α 0.05 and U[0, 0.01) are the setting that learns MNIST.
 */
export const PRESET_FORM: Record<PresetKey, Numbers> = {
  seed: {
    units: PRESETS.seed.rule.units, layers: PRESETS.seed.rule.layers, batch: PRESETS.seed.batch,
    lr: PRESETS.seed.rule.lr, initMax: PRESETS.seed.rule.initMax,
  },
  kaneko: { units: 64, layers: PRESETS.kaneko.rule.layers, batch: PRESETS.kaneko.batch, lr: 0.05, initMax: 0.01 },
};

const NUMBER_FIELDS: { key: keyof Numbers; id: string; label: string; integer: boolean; min: number; max: number }[] = [
  { key: 'units', id: 'units', label: 'Units', integer: true, min: 1, max: 1024 },
  { key: 'layers', id: 'layers', label: 'Layers', integer: true, min: 1, max: 16 },
  { key: 'batch', id: 'batch', label: 'Batch', integer: true, min: 1, max: 4096 },
  { key: 'lr', id: 'lr', label: 'Learning rate', integer: false, min: 0, max: 100 },
  { key: 'initMax', id: 'init-max', label: 'Initial weight range', integer: false, min: 0, max: 100 },
];

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const select = (id: string) => document.getElementById(id) as HTMLSelectElement;

export function fillPreset(name: PresetKey): void {
  const values = PRESET_FORM[name];
  for (const f of NUMBER_FIELDS) input(f.id).value = String(values[f.key]);
}

/**
 * The form as Settings; throws an Error whose message names the field and what it accepts. `classes`: how many
 * classes the loaded data has (digits must be below it), when known.
 */
export function readSettings(classes = 10): Settings {
  const task = select('task').value;
  if (task !== 'pair' && task !== 'all') throw new Error(`Task: unknown task '${task}'`);
  const preset = select('preset').value;
  if (preset !== 'seed' && preset !== 'kaneko') throw new Error(`Preset: unknown preset '${preset}'`);
  const digits = input('digits').value.trim();
  if (task === 'pair') {
    const parts = digits.split(',').map((d) => d.trim());
    const ok = parts.length === 2 && parts.every((d) => /^\d+$/.test(d) && Number(d) < classes) && Number(parts[0]) !== Number(parts[1]);
    if (!ok) throw new Error(`Digits: expected two different classes 0…${classes - 1} separated by a comma, e.g. 4,9; got '${digits}'`);
  }
  const numbers = {} as Numbers;
  for (const f of NUMBER_FIELDS) {
    const text = input(f.id).value.trim();
    const v = Number(text);
    const fits = text !== '' && Number.isFinite(v) && (f.integer ? Number.isInteger(v) && v >= f.min : v > f.min) && v <= f.max;
    if (!fits) {
      const range = f.integer ? `an integer ${f.min}…${f.max}` : `a number above ${f.min} and at most ${f.max}`;
      throw new Error(`${f.label}: expected ${range}; got '${text}'`);
    }
    numbers[f.key] = v;
  }
  return { task, digits, preset, ...numbers, compareBp: input('compare-bp').checked, seed: 1 };
}
