/**
 * What a sweep's report adds: the best cell, chosen on validation (the mean over seeds of each run's
 * validation accuracy at its selected point), with that cell's test accuracy beside it; and one figure of the
 * cells: a heatmap over two axes, else a strip per numeric axis. The test split never chooses anything here.
 */
import type { TopLevelSpec } from 'vega-lite';
import { summarize, type Summary } from './stats.js';
import { CONFIG, HEIGHT, WIDTH } from './style.js';
import type { CurveData, ExperimentData } from './types.js';

const validation = (c: CurveData) =>
  c.runs.map((r) => r.end?.selected?.validationAccuracy ?? NaN).filter(Number.isFinite);
const test = (c: CurveData) => c.runs.map((r) => r.end?.selected?.testAccuracy ?? NaN).filter(Number.isFinite);

export interface BestCell {
  curve: string;
  cell: Record<string, number | string | boolean>;
  validation: Summary;
  test: Summary;
}

const cellsOf = (e: ExperimentData) => e.curves.filter((c) => c.cell && validation(c).length > 0);

/**
 * The cell with the highest mean validation accuracy (ties: the first in the sweep's order), or null if not a sweep.
 */
export function bestCell(e: ExperimentData): BestCell | null {
  let best: BestCell | null = null;
  for (const c of cellsOf(e)) {
    const v = summarize(validation(c));
    if (!best || v.mean > best.validation.mean)
      best = { curve: c.curve, cell: c.cell!, validation: v, test: summarize(test(c)) };
  }
  return best;
}

/** The axes of a sweep's cells, in the order they appear in the cell values. */
function axesOf(curves: CurveData[]): string[] {
  return [...new Set(curves.flatMap((c) => Object.keys(c.cell!)))];
}

export function sweepFigure(e: ExperimentData): { caption: string; spec: TopLevelSpec } | null {
  const curves = cellsOf(e);
  if (curves.length < 2) return null;
  const best = bestCell(e)!;
  const axes = axesOf(curves);
  const rows: Record<string, unknown>[] = curves.map((c) => ({
    ...Object.fromEntries(axes.map((a) => [a, c.cell![a] ?? null])),
    curve: c.curve,
    validation: summarize(validation(c)).mean,
    best: c.curve === best.curve ? '★' : '',
  }));
  if (axes.length === 2) return heatmap(rows, axes as [string, string]);
  const numeric = axes.filter((a) => rows.every((r) => typeof r[a] === 'number'));
  if (numeric.length === 0) return null;
  return {
    caption:
      `Each cell's mean validation accuracy (over seeds, at each run's validation-selected point) ` +
      `against each of its settings; the best cell on validation is the star.`,
    spec: {
      config: CONFIG,
      vconcat: numeric.map((a) => ({
        width: WIDTH,
        height: HEIGHT / 2,
        data: { values: rows },
        layer: [
          {
            mark: { type: 'point', filled: true, opacity: 0.7 },
            encoding: {
              x: { field: a, type: 'quantitative', scale: { zero: false } },
              y: {
                field: 'validation',
                type: 'quantitative',
                title: 'validation accuracy',
                scale: { zero: false },
                axis: { format: '.1%' },
              },
            },
          },
          {
            mark: { type: 'text', dy: -10, fontSize: 14 },
            encoding: {
              x: { field: a, type: 'quantitative' },
              y: { field: 'validation', type: 'quantitative' },
              text: { field: 'best' },
            },
          },
        ],
      })),
    },
  };
}

function heatmap(rows: Record<string, unknown>[], [x, y]: [string, string]): { caption: string; spec: TopLevelSpec } {
  const values = rows.map((r) => r.validation as number);
  // Dark text on the light end of the colour scale.
  const light = (Math.min(...values) + Math.max(...values)) / 2;
  const ordinal = (a: string) => ({
    field: a,
    type: 'ordinal' as const,
    axis: { labelAngle: 0 },
    sort: [...new Set(rows.map((r) => r[a]))].sort(
      (p, q) => Number(p) - Number(q) || String(p).localeCompare(String(q)),
    ) as never,
  });
  return {
    caption:
      `Mean validation accuracy of each cell (${x} × ${y}) over seeds, at each run's ` +
      `validation-selected point; the star marks the best cell on validation. Test accuracies with their 95 % ` +
      `intervals are in the table.`,
    spec: {
      config: CONFIG,
      width: WIDTH * 0.7,
      height: HEIGHT * 0.8,
      data: { values: rows },
      encoding: { x: ordinal(x), y: ordinal(y) },
      layer: [
        {
          mark: 'rect',
          encoding: {
            color: {
              field: 'validation',
              type: 'quantitative',
              title: 'validation',
              scale: { scheme: 'viridis' },
              legend: { format: '.1%' },
            },
          },
        },
        {
          mark: { type: 'text', fontSize: 12 },
          transform: [{ calculate: `format(datum.validation, '.2%') + ' ' + datum.best`, as: 'label' }],
          encoding: {
            text: { field: 'label' },
            color: { condition: { test: `datum.validation > ${light}`, value: 'black' }, value: 'white' },
          },
        },
      ],
    },
  };
}
