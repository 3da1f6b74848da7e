/**
 * What the page draws of a model: the ED network shown (a loaded ED model file, else the ED rule in training)
 * and the effective input weights of one of its first-layer units. A rule is taken as ED by what its config or
 * file header says (rule 'ed'), never by its class.
 */
import type { EdClassifier, Rule } from 'edlearn/browser';
import type { ViewInfo } from '../protocol';
import { post, state } from './state';

/** The ED network whose weights are drawn: a loaded ED model, else the one in training. */
export function weightsRule(): { rule: EdClassifier; from: 'training' | 'file'; classNames: string[] } | null {
  const { loaded, run } = state;
  // An ensemble file holds several ED rules whose scores are averaged: no one network to draw.
  if (loaded && loaded.header.config.rule === 'ed' && !loaded.header.ensemble)
    return { rule: asEd(loaded.rule), from: 'file', classNames: loaded.header.task.classNames };
  if (run && run.ed.config.rule === 'ed')
    return { rule: asEd(run.ed.rule), from: 'training', classNames: run.task.classNames };
  return null;
}

/** A rule built from a config (or file) whose rule is 'ed' is the library's ED classifier. */
const asEd = (rule: Rule) => rule as EdClassifier;

export function postView(): void {
  const w = weightsRule();
  const { loaded, run } = state;
  const view: ViewInfo = {
    predictFrom: loaded ? 'file' : 'training',
    classNames: loaded ? loaded.header.task.classNames : (run?.task.classNames ?? []),
    weights: w && {
      from: w.from,
      networkNames: networkNames(w.rule, w.classNames),
      units: w.rule.shapes[0].out,
      outExc: w.rule.shapes[0].outExc,
      side: Math.round(Math.sqrt(w.rule.inputs)),
    },
  };
  post({ type: 'view', view });
}

/** One network decides two classes (its output is the probability of the second); otherwise one per class. */
function networkNames(rule: EdClassifier, classNames: string[]): string[] {
  if (rule.networks === 1) {
    const [a = '0', b = '1'] = classNames;
    return [`${a} vs ${b} (output: P(${b}))`];
  }
  return Array.from({ length: rule.networks }, (_, k) => classNames[k] ?? String(k));
}

/** Effective input weights (W⁺ + W⁻) of hidden unit `unit` of network `net`, as the rule gives them. */
export function sendWeights(net: number, unit: number): void {
  const w = weightsRule();
  if (!w) return;
  const { rule } = w;
  const shape = rule.shapes[0];
  const k = Math.min(Math.max(0, Math.trunc(net)), rule.networks - 1);
  const u = Math.min(Math.max(0, Math.trunc(unit)), shape.out - 1);
  const values = rule.unitInputWeights(k, u);
  post(
    {
      type: 'weights',
      net: k,
      unit: u,
      unitType: u < shape.outExc ? 'excitatory' : 'inhibitory',
      side: Math.round(Math.sqrt(rule.inputs)),
      values,
    },
    [values.buffer],
  );
}

/** At most this many units in the receptive-field grid (the first ones; a wide layer would be a wall of noise). */
export const GRID_UNITS = 64;

/** The receptive fields of network `net`'s first-layer units (the first GRID_UNITS of them). */
export function sendFields(net: number): void {
  const w = weightsRule();
  if (!w) return;
  const { rule } = w;
  const shape = rule.shapes[0];
  const k = Math.min(Math.max(0, Math.trunc(net)), rule.networks - 1);
  const units = Math.min(shape.out, GRID_UNITS);
  const values = new Float32Array(units * rule.inputs);
  for (let u = 0; u < units; u++) values.set(rule.unitInputWeights(k, u), u * rule.inputs);
  post({ type: 'fields', net: k, units, outExc: shape.outExc, side: Math.round(Math.sqrt(rule.inputs)), values }, [
    values.buffer,
  ]);
}
