/**
 * model.summary(), `edlearn summary --model FILE` and `train --verbose`: the shape of what was built, as a text
 * table — each class network's layers (inputs, units, excitatory / inhibitory split, parameters), the options
 * that shape the rule, and the parameter counts. Browser-safe.
 */
import type { BackpropOptions } from '../options/backprop.js';
import type { EdOptions } from '../options/ed.js';
import { backpropParameterShapes } from '../rules/backprop.js';
import { edLayerShapes, edNetworkCount } from '../rules/ed.js';
import type { Rule } from '../rules/rule.js';
import { ruleChoiceOf } from '../train/build.js';
import type { RunConfig } from '../train/config.js';

export interface SummaryInput {
  rule: 'ed' | 'backprop';
  preset?: string;
  ed?: EdOptions;
  backprop?: BackpropOptions;
  inputs: number;
  classes: number;
  classNames: string[];
  backend?: string;
}

/** What a summary needs from a config and its rule (the rule's own options: a loaded file's take defaults). */
export function summaryInput(
  config: Pick<RunConfig, 'preset'>,
  rule: Rule,
  inputs: number,
  classes: number,
  classNames: string[],
): SummaryInput {
  const common = { preset: config.preset, inputs, classes, classNames, backend: rule.backend.name };
  const choice = ruleChoiceOf(rule, 'summary');
  return choice.rule === 'ed'
    ? { ...common, rule: 'ed', ed: choice.ed }
    : { ...common, rule: 'backprop', backprop: choice.backprop };
}

/** The summary table as lines of text. */
export function summaryLines(m: SummaryInput): string[] {
  return m.rule === 'backprop' ? backpropSummary(m, m.backprop!) : edSummary(m, m.ed!);
}

function edSummary(m: SummaryInput, o: EdOptions): string[] {
  const shapes = edLayerShapes(o, m.inputs);
  const K = edNetworkCount(o, m.classes);
  const last = shapes.length - 1;
  const rows = shapes.map((L, l) => {
    const params = (L.srcExc + L.srcInh) * L.out + 2 * L.out;
    const inputs = L.paired ? `${L.srcExc} × 2 (E/I copies)` : `${L.srcExc + L.srcInh} (${L.srcExc} E + ${L.srcInh} I)`;
    const act = l < last || o.output === 'sigmoid' ? 'sigmoid' : 'linear';
    return [
      l === last ? 'output' : `hidden ${l + 1}`,
      inputs,
      String(L.out),
      String(L.outExc),
      String(L.out - L.outExc),
      `${act}${l < last && o.rmsNorm ? ' + rms' : ''}`,
      count(params),
    ];
  });
  const perNetwork = shapes.reduce((n, L) => n + (L.srcExc + L.srcInh) * L.out + 2 * L.out, 0);
  const networks =
    K === 1
      ? `1 network: its output is P(class ${m.classNames[1]}), class ${m.classNames[0]} gets 1 − that`
      : `${K} networks, one per class (${listNames(m.classNames)})` +
        (o.output === 'softmax' ? ', outputs coupled by a softmax' : ', arg-max of their outputs');
  const rule = [
    'lr',
    'beta',
    'u0',
    'u1',
    'updateScale',
    'batchReduce',
    'derivative',
    'weightDecrement',
    'lowering',
    'output',
    'unitTypes',
    'connectivity',
    'ternary',
    'rmsNorm',
    'gainSpread',
  ]
    .map((k) => `${k} ${String(o[k as keyof EdOptions])}`)
    .join(', ');
  return [
    `ED model${m.preset ? ` (preset ${m.preset})` : ''}: ${m.inputs} inputs, ${m.classes} ` +
      `classes${m.backend ? `, backend ${m.backend}` : ''}`,
    `${networks}; every network has these layers (each layer also has 2 bias units, one E and one I, of value β):`,
    ...table(['layer', 'inputs', 'units', 'excitatory', 'inhibitory', 'activation', 'parameters'], rows),
    `rule: ${rule}`,
    `parameters: ${count(perNetwork)} per network × ${K} = ${count(perNetwork * K)}`,
  ];
}

function backpropSummary(m: SummaryInput, o: BackpropOptions): string[] {
  const shapes = backpropParameterShapes(o, m.inputs, m.classes);
  const outputs = m.classes === 2 ? 1 : m.classes;
  const rows: string[][] = [];
  let fanIn = m.inputs;
  for (let l = 0; l <= o.layers; l++) {
    const out = l === o.layers ? outputs : o.units;
    const act = l < o.layers ? o.activation : outputs === 1 ? 'sigmoid' : 'softmax';
    rows.push([
      l === o.layers ? 'output' : `hidden ${l + 1}`,
      String(fanIn),
      String(out),
      act,
      count(shapes[2 * l] + shapes[2 * l + 1]),
    ]);
    fanIn = out;
  }
  const total = shapes.reduce((a, b) => a + b, 0);
  return [
    `backprop model: ${m.inputs} inputs, ${m.classes} classes${m.backend ? `, backend ${m.backend}` : ''}; ` +
      `one network, ${o.optimizer}, loss ${outputs === 1 ? o.loss : 'cross-entropy'}`,
    ...table(['layer', 'inputs', 'units', 'activation', 'parameters'], rows),
    `parameters: ${count(total)}`,
  ];
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  // Text columns left-aligned, numbers right-aligned.
  const cell = (v: string, c: number) => (/^[\d,]+$/.test(v) ? v.padStart(widths[c]) : v.padEnd(widths[c]));
  const line = (r: string[]) => `  ${r.map(cell).join('  ')}`.trimEnd();
  return [line(head), `  ${widths.map((w) => '─'.repeat(w)).join('  ')}`, ...rows.map(line)];
}

function listNames(names: string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 10).join(', ')}, …, ${names[names.length - 1]}`;
}

const count = (n: number): string => n.toLocaleString('en-US');
