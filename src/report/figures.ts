/**
 * The report's figures as vega-lite specs (plain data, testable without rendering), and their rendering to SVG
 * and PNG. Specs hold only numbers from the logs, so the same logs give byte-identical figures.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { meanCurve, trainSeconds } from './aggregate.js';
import { BAND_OPACITY, CONFIG, HEIGHT, WIDTH } from './style.js';
import { sweepFigure } from './sweep.js';
import type { CurveData, ExperimentData } from './types.js';

export interface Figure {
  /** One sentence under the figure: what is drawn and what the band means. */
  caption: string;
  spec: TopLevelSpec;
}

type Layered = Extract<TopLevelSpec, { layer: unknown }>;

const RULE_LABEL = { ed: 'ED', backprop: 'BP' } as const;

/**
 * As many legend columns as fit under the plot with the longest label (vega estimates ~7 px per character at 12 px).
 */
function legendColumns(labels: string[]): number {
  const longest = Math.max(...labels.map((l) => l.length));
  return Math.max(1, Math.min(4, Math.floor(WIDTH / (longest * 7 + 40))));
}

/** Every figure of an experiment, in the order the report shows them. */
export function figuresFor(experiment: ExperimentData): Figure[] {
  const figures: Figure[] = [];
  const timed = experiment.curves.filter((c) => trainSeconds(c) !== null);
  if (experiment.id === 'speed-impl' && timed.length > 0) figures.push(backendBars(experiment));
  else if (experiment.id.startsWith('speed-') && timed.some(hasNumericParam)) figures.push(timeVsParam(experiment));
  // A single evaluation per run is no curve; its numbers are in the table.
  if (experiment.curves.some((c) => meanCurve(c).length >= 2)) figures.push(accuracyVsUpdates(experiment));
  const sweep = sweepFigure(experiment);
  if (sweep) figures.push(sweep);
  return figures;
}

const hasNumericParam = (c: CurveData): boolean => typeof c.param?.value === 'number';

/** (a) Validation accuracy against updates: mean over seeds, band min–max; one chart per panel. */
export function accuracyVsUpdates(experiment: ExperimentData): Figure {
  const curves = experiment.curves.filter((c) => meanCurve(c).length > 0);
  const rows = curves.flatMap((c) => meanCurve(c).map((p) => ({ curve: c.curve, panel: c.panel ?? '', ...p })));
  const panels = [...new Set(curves.map((c) => c.panel ?? ''))];
  const caption =
    'Validation accuracy against the number of updates: line = mean over seeds, band = min–max over seeds.';
  if (panels.length === 1)
    return {
      caption,
      spec: {
        ...accuracyLayers(
          rows,
          curves.map((c) => c.curve),
        ),
        config: CONFIG,
      },
    };
  return {
    caption,
    spec: {
      config: CONFIG,
      vconcat: panels.map((panel) => {
        const inPanel = curves.filter((c) => (c.panel ?? '') === panel).map((c) => c.curve);
        return {
          ...accuracyLayers(
            rows.filter((r) => r.panel === panel),
            inPanel,
          ),
          title: panel,
        };
      }),
      resolve: { scale: { color: 'independent', x: 'shared', y: 'shared' }, legend: { color: 'independent' } },
    },
  };
}

function accuracyLayers(
  rows: { curve: string; update: number; mean: number; min: number; max: number }[],
  order: string[],
): Layered {
  // Points only where they can be told apart; a curve of one evaluation still needs a mark.
  const points = Math.max(...order.map((c) => rows.filter((r) => r.curve === c).length)) <= 20;
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    // The legend comes from the line layer alone, so its symbols look like the lines rather than the pale bands.
    resolve: { legend: { color: 'independent' } },
    encoding: {
      x: { field: 'update', type: 'quantitative', title: 'updates', axis: { format: ',d', tickMinStep: 1 } },
    },
    layer: [
      {
        mark: { type: 'area', opacity: BAND_OPACITY },
        encoding: {
          y: {
            field: 'min',
            type: 'quantitative',
            title: 'validation accuracy',
            scale: { zero: false },
            axis: { format: '.1%' },
          },
          y2: { field: 'max' },
          color: { field: 'curve', type: 'nominal', sort: order, legend: null },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2, point: points },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          color: {
            field: 'curve',
            type: 'nominal',
            title: null,
            sort: order,
            legend: { columns: legendColumns(order) },
          },
        },
      },
    ],
  };
}

/** (b) Training time against the swept parameter, one line per rule; band = min–max over seeds. */
export function timeVsParam(experiment: ExperimentData): Figure {
  const curves = experiment.curves.filter(hasNumericParam);
  const rows = curves.flatMap((c) => {
    const t = trainSeconds(c);
    if (!t) return [];
    const series = c.panel ? `${RULE_LABEL[c.rule]} · ${c.panel}` : RULE_LABEL[c.rule];
    return [{ series, value: c.param!.value as number, mean: t.mean, min: t.min, max: t.max }];
  });
  const name = curves[0].param!.name;
  const values = [...new Set(rows.map((r) => r.value))].sort((a, b) => a - b);
  // ED before BP, as in the curves of the other figures.
  const series = [...new Set(rows.map((r) => r.series))].sort(
    (a, b) => Number(a.startsWith('BP')) - Number(b.startsWith('BP')),
  );
  return {
    caption:
      `Training time against ${name}: line = mean over seeds, band = min–max over seeds (training ` +
      `seconds exclude evaluation).`,
    spec: {
      config: CONFIG,
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows },
      resolve: { legend: { color: 'independent' } },
      encoding: {
        x: { field: 'value', type: 'quantitative', title: name, scale: spanScale(values, false), axis: { values } },
      },
      layer: [
        {
          mark: { type: 'area', opacity: BAND_OPACITY },
          encoding: {
            y: {
              field: 'min',
              type: 'quantitative',
              title: 'training seconds',
              scale: spanScale(
                rows.flatMap((r) => [r.min, r.max]),
                true,
              ),
            },
            y2: { field: 'max' },
            color: { field: 'series', type: 'nominal', sort: series, legend: null },
          },
        },
        {
          mark: { type: 'line', strokeWidth: 2, point: true },
          encoding: {
            y: { field: 'mean', type: 'quantitative' },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              sort: series,
              legend: { columns: legendColumns(series) },
            },
          },
        },
      ],
    },
  };
}

/**
 * A log scale when positive values span more than a factor of 8 (units 4…1024 would crowd the left edge), base 2
 * for powers of two; otherwise linear, from zero for quantities like seconds, not for swept settings.
 */
function spanScale(values: number[], zero: boolean): { type: 'log'; base: number } | { type: 'linear'; zero: boolean } {
  const positive = values.length > 0 && values.every((v) => v > 0);
  if (!positive || Math.max(...values) / Math.min(...values) <= 8) return { type: 'linear', zero };
  const powersOfTwo = values.every((v) => Number.isInteger(Math.log2(v)));
  return { type: 'log', base: powersOfTwo ? 2 : 10 };
}

/** (c) Mean training seconds per backend; whiskers = min–max over seeds, label = the mean. */
export function backendBars(experiment: ExperimentData): Figure {
  const rows = experiment.curves.flatMap((c) => {
    const t = trainSeconds(c);
    return t
      ? [
          {
            curve: c.curve,
            rule: RULE_LABEL[c.rule],
            mean: t.mean,
            min: t.min,
            max: t.max,
            label: `${t.mean.toFixed(2)} s`,
          },
        ]
      : [];
  });
  const order = rows.map((r) => r.curve);
  return {
    caption: 'Mean training seconds per implementation: bar = mean over seeds, whisker = min–max over seeds.',
    spec: {
      config: CONFIG,
      // The curve labels sit left of the bars; the figure as a whole keeps the width of the others.
      width: Math.max(240, WIDTH - 7 * Math.max(...order.map((c) => c.length))),
      height: { step: 28 },
      data: { values: rows },
      encoding: { y: { field: 'curve', type: 'nominal', title: null, sort: order, axis: { labelLimit: 300 } } },
      layer: [
        {
          mark: { type: 'bar', opacity: 0.85 },
          encoding: {
            x: { field: 'mean', type: 'quantitative', title: 'mean training seconds' },
            color: { field: 'rule', type: 'nominal', title: null, sort: ['ED', 'BP'] },
          },
        },
        {
          mark: { type: 'rule', color: '#333' },
          encoding: { x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
          encoding: { x: { field: 'max', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    },
  };
}

/** SVG text of a spec, rendered headless (no canvas, no DOM). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** PNG bytes of an SVG at twice its size, so text stays sharp on high-density screens. */
export function renderPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
  });
  return resvg.render().asPng();
}
