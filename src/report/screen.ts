/**
 * A screen of single runs (`edlearn train --log` files, no experiment tag), such as the levers tried on one
 * validation seed before an experiment: what each run changed and its validation accuracy at its selected epoch,
 * the number a choice is made on (`edlearn report DIR --markdown`).
 */
import { basename } from 'node:path';
import type { ExperimentData, RunRecord } from './types.js';

const p = (v: number) => (v * 100).toFixed(2);

interface Trained {
  rule: string;
  preset?: string;
  seed: number;
  ed?: { units: number; gainSpread?: number };
  backprop?: { layers: number; units: number };
  train: { epochs?: number; augment?: string; schedule?: { kind: string } };
}

/** One row per run of the untagged runs, in the order read, or null when there are none. */
export function screenMarkdown(experiments: ExperimentData[]): string | null {
  const runs = experiments.find((e) => e.id === 'train')?.curves.flatMap((c) => c.runs) ?? [];
  if (runs.length === 0) return null;
  const rows = [
    '| log | rule, network | training | seed | validation accuracy at the selected epoch (epoch) |',
    '|---|---|---|---|---|',
  ];
  for (const r of runs) rows.push(row(r));
  return rows.join('\n');
}

function row(r: RunRecord): string {
  const c = (r.start as unknown as { config: Trained }).config;
  const gain = c.ed?.gainSpread ?? 1;
  const net =
    c.rule === 'ed'
      ? `ED ${c.preset ?? ''} ${c.ed?.units ?? '?'} per class${gain === 1 ? '' : `, gain spread ${gain}`}`
      : `backprop ${c.backprop?.layers ?? '?'} × ${c.backprop?.units ?? '?'}`;
  const t = c.train;
  const training = `${t.epochs ?? '?'} epochs, α ${t.schedule?.kind ?? 'constant'}, augment ${t.augment ?? 'none'}`;
  const s = r.end?.selected;
  const value = s && Number.isFinite(s.validationAccuracy) ? `${p(s.validationAccuracy)} % (${s.epoch})` : '—';
  return `| ${basename(r.source)} | ${net} | ${training} | ${c.seed} | ${value} |`;
}
