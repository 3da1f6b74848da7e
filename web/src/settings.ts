/**
 * The training form, built from the library's option specs (label, range, help) and presets, and read back into
 * Settings. Each field is checked with the library's validation, so the page's messages state the same ranges
 * as the CLI's; the worker's resolveConfig checks the whole run again.
 */
import {
  ED_OPTIONS,
  expected,
  type OptionSpec,
  PRESET_NAMES,
  PRESETS,
  type PresetName,
  RUN_DEFAULTS,
  RUN_OPTIONS,
  validateGiven,
} from 'edlearn/browser';
import { isPointTask, POINT_TASKS } from './points';
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
  ensemble: RUN_OPTIONS.ensemble,
} as const;
type NumberKey = keyof typeof NUMBER_FIELDS;

/** The training options beyond the rule's (MNIST only): the library's --augment and --schedule options. */
const AUGMENT = RUN_OPTIONS.augment;
const SCHEDULE = RUN_OPTIONS.schedule;
type Schedule = Settings['schedule'];

/** The values a preset gives the form. */
function presetValues(name: PresetName): Pick<Settings, 'units' | 'layers' | 'batch' | 'lr' | 'initMax'> {
  const { rule, batch } = PRESETS[name];
  return { units: rule.units, layers: rule.layers, batch, lr: rule.lr, initMax: rule.initMax };
}

/** Epochs, seed and ensemble are not the preset's: the library's defaults, as the CLI's. */
const FORM_DEFAULTS = { epochs: RUN_DEFAULTS.epochs, seed: RUN_DEFAULTS.seed, ensemble: RUN_DEFAULTS.ensemble };

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const select = (id: string) => document.getElementById(id) as HTMLSelectElement;
const labelOf = (key: NumberKey) => NUMBER_FIELDS[key].label ?? key;

/** Fills the preset select and creates the number fields in `container`, with the first preset's values. */
export function buildForm(container: HTMLElement): void {
  const presets = select('preset');
  presets.replaceChildren(
    ...PRESET_NAMES.map((name) => {
      const option = new Option(name, name);
      option.title = PRESETS[name].description;
      return option;
    }),
  );
  container.replaceChildren(
    ...(Object.keys(NUMBER_FIELDS) as NumberKey[]).map((key) => field(key, NUMBER_FIELDS[key])),
  );
  for (const [key, value] of Object.entries(FORM_DEFAULTS)) input(key).value = String(value);
  buildTrainingFields();
  fillPreset(PRESET_NAMES[0]);
}

/** --augment as a text box and --schedule as a select, with the specs' help on the page. */
function buildTrainingFields(): void {
  const augment = document.createElement('input');
  augment.id = 'augment';
  augment.type = 'text';
  augment.size = 16;
  augment.value = RUN_DEFAULTS.augment;
  const schedule = document.createElement('select');
  schedule.id = 'schedule';
  schedule.append(...SCHEDULE.choices.map((c) => new Option(c, c)));
  schedule.value = RUN_DEFAULTS.schedule;
  document
    .getElementById('training-fields')!
    .replaceChildren(
      labelled('Augment', augment, `${AUGMENT.help}. Accepts ${AUGMENT.expected}.`),
      labelled(
        SCHEDULE.label ?? 'schedule',
        schedule,
        `${SCHEDULE.help} (step: × ${RUN_DEFAULTS.stepFactor} every ${RUN_DEFAULTS.stepEvery} epochs).`,
      ),
    );
}

function labelled(text: string, box: HTMLInputElement | HTMLSelectElement, helpText: string): HTMLLabelElement {
  const label = document.createElement('label');
  const help = document.createElement('small');
  help.id = `${box.id}-help`;
  help.className = 'help';
  help.textContent = helpText;
  box.setAttribute('aria-describedby', help.id);
  label.append(text, ' ', box, help);
  return label;
}

/** --augment as the CLI checks it (the transforms' own ranges are checked when the run is built). */
function readAugment(): string {
  const box = input('augment');
  const text = box.value.trim();
  try {
    validateGiven({ augment: AUGMENT }, { augment: text }, 'Augment');
  } catch {
    box.setAttribute('aria-invalid', 'true');
    throw new Error(`Augment: expected ${AUGMENT.expected}; got '${text}'`);
  }
  box.removeAttribute('aria-invalid');
  return text;
}

function readSchedule(): Schedule {
  const value = select('schedule').value;
  if (!(SCHEDULE.choices as readonly string[]).includes(value))
    throw new Error(`α schedule: expected ${expected(SCHEDULE)}; got '${value}'`);
  return value as Schedule;
}

function field(key: NumberKey, spec: OptionSpec): HTMLLabelElement {
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.id = key;
  box.type = 'number';
  box.inputMode = spec.kind === 'integer' ? 'numeric' : 'decimal';
  // The help is on the page (not only in a tooltip): a short line under the field, read with it by screen readers.
  const help = document.createElement('small');
  help.id = `${key}-help`;
  help.className = 'help';
  help.textContent = spec.help;
  box.setAttribute('aria-describedby', help.id);
  if (spec.kind === 'integer' || spec.kind === 'number') {
    box.min = String(spec.min);
    if (spec.max !== Number.MAX_VALUE) box.max = String(spec.max);
    box.step = spec.kind === 'integer' ? '1' : 'any';
  }
  // Arrow keys on a real-valued field move it by one step of its last significant digit, never to 0 or below:
  // the browser's own step ('any' counts as 1) turned 0.01 into 1.01 or 0.
  if (spec.kind === 'number') box.addEventListener('keydown', (e) => nudge(e, box));
  label.append(labelOf(key), ' ', box, help);
  return label;
}

function nudge(e: KeyboardEvent, box: HTMLInputElement): void {
  if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
  const v = Number(box.value);
  if (!Number.isFinite(v) || v <= 0) return;
  e.preventDefault();
  // A tenth of the leading digit's place: 0.01 → 0.011 / 0.009, 0.5 → 0.51 / 0.49; never below 0.9 × v.
  const unit = 10 ** (Math.floor(Math.log10(v)) - 1);
  const next = e.key === 'ArrowUp' ? v + unit : v - unit;
  box.value = String(Number(next.toPrecision(6)));
  box.dispatchEvent(new Event('input', { bubbles: true }));
  box.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Puts a preset's values into the form and shows its description. */
export function fillPreset(name: PresetName): void {
  for (const [key, value] of Object.entries(presetValues(name))) input(key).value = String(value);
  describePreset();
}

/** The preset's description, and which of its values the form overrides. */
export function describePreset(): void {
  const note = document.getElementById('preset-note');
  const name = select('preset').value as PresetName;
  if (!note || !PRESETS[name]) return;
  const changed = Object.entries(presetValues(name))
    .filter(([key, value]) => input(key).value.trim() !== String(value))
    .map(
      ([key, value]) =>
        `${labelOf(key as NumberKey).toLowerCase()} ${input(key).value.trim() || '(empty)'} instead of ${value}`,
    );
  note.textContent = PRESETS[name].description + (changed.length ? ` — overridden here: ${changed.join(', ')}.` : '');
}

export function presetName(value: string): PresetName {
  if (!(PRESET_NAMES as string[]).includes(value))
    throw new Error(`Preset: unknown preset '${value}'; expected one of ${PRESET_NAMES.join(', ')}`);
  return value as PresetName;
}

/**
 * The form as Settings; throws an Error whose message names the field and what it accepts. `classes`: how many
 * classes the loaded data has (digits must be below it), when known.
 */
export function readSettings(classes = 10): Settings {
  const task = select('task').value;
  if (task !== 'pair' && task !== 'all' && !isPointTask(task)) throw new Error(`Task: unknown task '${task}'`);
  const preset = presetName(select('preset').value);
  const digits = input('digits').value.trim();
  if (task === 'pair') {
    const parts = digits.split(',').map((d) => d.trim());
    const ok =
      parts.length === 2 &&
      parts.every((d) => /^\d+$/.test(d) && Number(d) < classes) &&
      Number(parts[0]) !== Number(parts[1]);
    if (!ok)
      throw new Error(
        `Digits: expected two different classes 0…${classes - 1} separated by a comma, e.g. 4,9; got '${digits}'`,
      );
  }
  const numbers = {} as Record<NumberKey, number>;
  for (const key of Object.keys(NUMBER_FIELDS) as NumberKey[]) numbers[key] = readNumber(key);
  const pace = select('pace').value === 'full' ? 'full' : 'watch';
  const noise = readShare('noise', 'Noise', 0, 0.5);
  const validation = readShare('validation', 'Validation share', 0.1, 0.9);
  const augment = readAugment();
  const schedule = readSchedule();
  return {
    task,
    digits,
    preset,
    ...numbers,
    compareBp: input('compare-bp').checked,
    pace,
    noise,
    validation,
    augment,
    schedule,
  };
}

/** One number field, checked as the CLI checks the option; throws naming the field, and marks it invalid. */
function readNumber(key: NumberKey): number {
  const box = input(key);
  const spec = NUMBER_FIELDS[key];
  const text = box.value.trim();
  // A number box that holds something unparsable reports '' as its value: say what was typed instead.
  const shown = box.validity.badInput ? 'text that is not a number' : text === '' ? 'nothing' : `'${text}'`;
  // Integers as the CLI reads them: digits only (it refuses 1e2 and 2.0).
  const value = text === '' || (spec.kind === 'integer' && !/^\d+$/.test(text)) ? NaN : Number(text);
  try {
    validateGiven({ [key]: spec }, { [key]: value }, labelOf(key));
  } catch {
    box.setAttribute('aria-invalid', 'true');
    throw new Error(`${labelOf(key)}: expected ${expected(spec)}; got ${shown}`);
  }
  box.removeAttribute('aria-invalid');
  return value;
}

/** Marks every invalid field and returns the first message, or null when the form is valid. */
export function checkForm(classes = 10): string | null {
  let first: string | null = null;
  for (const key of Object.keys(NUMBER_FIELDS) as NumberKey[]) {
    try {
      readNumber(key);
    } catch (err) {
      first ??= (err as Error).message;
    }
  }
  try {
    readSettings(classes);
  } catch (err) {
    first ??= (err as Error).message;
  }
  return first;
}

/** The URL parameters of a form (`?task=all&preset=kaneko-mnist&units=64&…&seed=7`). */
const URL_KEYS = [
  'task',
  'digits',
  'preset',
  ...Object.keys(NUMBER_FIELDS),
  'bp',
  'pace',
  'noise',
  'validation',
  'augment',
  'schedule',
] as const;

export function settingsToQuery(s: Settings): string {
  const params = new URLSearchParams();
  params.set('task', s.task);
  if (s.task === 'pair') params.set('digits', s.digits);
  if (isPointTask(s.task)) {
    params.set('noise', String(s.noise));
    params.set('validation', String(s.validation));
  }
  params.set('preset', s.preset);
  for (const key of Object.keys(NUMBER_FIELDS) as NumberKey[]) params.set(key, String(s[key]));
  if (s.augment !== RUN_DEFAULTS.augment && !isPointTask(s.task)) params.set('augment', s.augment);
  if (s.schedule !== RUN_DEFAULTS.schedule) params.set('schedule', s.schedule);
  if (s.compareBp) params.set('bp', '1');
  if (s.pace === 'full') params.set('pace', 'full');
  return params.toString();
}

/**
 * Fills the form from a query string (the preset first, as it fills other fields); unknown keys are named in the
 * returned message, values are checked when the form is read.
 */
export function applyQuery(query: string): string | null {
  const params = new URLSearchParams(query);
  const unknown: string[] = [];
  params.forEach((_, k) => {
    if (!(URL_KEYS as readonly string[]).includes(k) && !unknown.includes(k)) unknown.push(k);
  });
  const preset = params.get('preset');
  if (preset !== null) {
    select('preset').value = presetName(preset);
    fillPreset(preset as PresetName);
  }
  const task = params.get('task');
  if (task !== null) {
    if (task !== 'pair' && task !== 'all' && !isPointTask(task))
      throw new Error(`link: task '${task}' is not one of pair, all, ${POINT_TASKS.join(', ')}`);
    select('task').value = task;
  }
  if (params.has('digits')) input('digits').value = params.get('digits') ?? '';
  for (const key of Object.keys(NUMBER_FIELDS)) if (params.has(key)) input(key).value = params.get(key) ?? '';
  if (params.has('bp')) input('compare-bp').checked = params.get('bp') === '1';
  for (const key of ['noise', 'validation']) if (params.has(key)) input(key).value = params.get(key) ?? '';
  if (params.has('pace')) select('pace').value = params.get('pace') === 'full' ? 'full' : 'watch';
  // A link without them means the CLI's defaults (links leave them out when they are the defaults).
  input('augment').value = params.get('augment') ?? RUN_DEFAULTS.augment;
  const schedule = params.get('schedule') ?? RUN_DEFAULTS.schedule;
  if (!(SCHEDULE.choices as readonly string[]).includes(schedule))
    throw new Error(`link: schedule '${schedule}' is not one of ${SCHEDULE.choices.join(', ')}`);
  select('schedule').value = schedule;
  showTaskFields();
  describePreset();
  return unknown.length
    ? `link: ignored unknown setting(s) ${unknown.join(', ')}; known: ${URL_KEYS.join(', ')}`
    : null;
}

/** A share field (noise, validation share): a number lo…hi; throws naming the field, and marks it invalid. */
function readShare(id: string, label: string, lo: number, hi: number): number {
  const box = input(id);
  const text = box.value.trim();
  const value = text === '' ? NaN : Number(text);
  if (!(value >= lo && value <= hi)) {
    box.setAttribute('aria-invalid', 'true');
    throw new Error(
      `${label}: expected a number ${lo}…${hi}; ` +
        `got ${box.validity.badInput ? 'text that is not a number' : `'${text}'`}`,
    );
  }
  box.removeAttribute('aria-invalid');
  return value;
}

/** Digits apply to a pair only; noise and the validation share to the 2-D datasets only. */
export function showTaskFields(): void {
  const task = select('task').value;
  input('digits').disabled = task !== 'pair';
  const points = isPointTask(task);
  // Augmentation redraws images; a 2-D point is not one (its run ignores the field).
  input('augment').disabled = points;
  for (const id of ['noise-field', 'validation-field']) (document.getElementById(id) as HTMLElement).hidden = !points;
}

/** Switching to a 2-D dataset fills what learns it well (kaneko preset, 16 units, 20 epochs: see the page's note). */
export function fillPointDefaults(): void {
  select('preset').value = 'kaneko';
  fillPreset('kaneko');
  input('units').value = '16';
  input('epochs').value = '20';
  describePreset();
}
