/** `edlearn eval` and `edlearn predict`: a saved model on its held-out split, or on the user's own images. */
import { readImageFile } from '../data/image-files.js';
import { toSparseRows } from '../data/sparse.js';
import { UserError } from '../errors.js';
import { getBackend } from '../kernels/index.js';
import { readModelFile } from '../model/file.js';
import { describeImageSize, imageSide, type ModelHeader } from '../model/header.js';
import { confusionMatrix, predictRows } from '../train/predict.js';
import { modelTask } from '../model/task.js';
import { summaryInput, summaryLines } from '../model/summary.js';
import { referenceBackend } from '../kernels/reference.js';

export interface EvalCommandOptions {
  model: string;
  /** Directory of IDX files to evaluate on instead of the dataset the model names. */
  data?: string;
  json?: boolean;
}

export interface EvalReport {
  model: string;
  task: string;
  /** "mnist", a directory, or "generated". */
  data: string;
  sameData: boolean;
  backend: string;
  count: number;
  correct: number;
  accuracy: number;
  classNames: string[];
  /** confusion[true][predicted]. */
  confusion: number[][];
  seconds: number;
}

export function evalCommand(options: EvalCommandOptions, out: (text: string) => void = console.log): EvalReport {
  const { header, rule } = readModelFile(options.model, getBackend());
  const { task, source, sameData } = modelTask(header, options.model, options.data);
  const rows = toSparseRows(task.test, task.inputs, task.scale, rule.backend);
  const t0 = performance.now();
  const { predicted } = predictRows(rule, rows);
  const seconds = (performance.now() - t0) / 1000;
  const confusion = confusionMatrix(rows.labels, predicted, rule.classes);
  const correct = confusion.reduce((n, row, t) => n + row[t], 0);
  const report: EvalReport = {
    model: options.model,
    task: task.name,
    data: source,
    sameData,
    backend: rule.backend.name,
    count: rows.count,
    correct,
    accuracy: correct / rows.count,
    classNames: header.task.classNames,
    confusion,
    seconds,
  };
  if (options.json) {
    out(JSON.stringify(report));
    return report;
  }
  const which = sameData ? 'the data it was trained on' : `not the data it was trained on (${header.task.dataset})`;
  out(
    `model ${options.model} · ${describeRule(header)} · ${header.task.name} · edlearn ${header.version}, ` +
      `trained on ${header.backend} · when saved: validation ` +
      `accuracy ${pct(header.accuracy.final)}` +
      (header.accuracy.testAtFinal === undefined ? '' : `, test ${pct(header.accuracy.testAtFinal)}`),
  );
  out(
    `accuracy ${pct(report.accuracy)} (${correct} / ${rows.count}) on the ${task.name} test split, ${which} ` +
      `· ${seconds.toFixed(3)} s (${Math.round(rows.count / Math.max(seconds, 1e-9))} samples/s, ` +
      `backend ${rule.backend.name})`,
  );
  out('confusion matrix: rows = true class, columns = predicted class');
  for (const line of formatMatrix(header.task.classNames, confusion)) out(line);
  return report;
}

export interface SummaryCommandOptions {
  model: string;
}

/** `edlearn summary --model FILE`: the model's layers, rule options and parameter counts (model.summary()). */
export function summaryCommand(options: SummaryCommandOptions, out: (text: string) => void = console.log): string {
  const { header, rule } = readModelFile(options.model, referenceBackend);
  const text = summaryLines({
    ...summaryInput(header.config, rule, header.task.inputs, header.task.classes, header.task.classNames),
    backend: undefined,
  }).join('\n');
  out(
    `model ${options.model} · ${header.task.name} · edlearn ${header.version}, trained on ${header.backend} · ` +
      `validation accuracy when saved ${pct(header.accuracy.final)}`,
  );
  out(text);
  return text;
}

export interface PredictCommandOptions {
  model: string;
  /** Dark strokes on a light background (a drawing): flip to MNIST's light-on-dark. */
  invert?: boolean;
  json?: boolean;
}

export interface ImagePrediction {
  file: string;
  /** Position in an IDX file; absent for a PNG. */
  index?: number;
  /** Name of the predicted class. */
  predicted: string;
  scores: Record<string, number>;
}

export function predictCommand(
  images: string[],
  options: PredictCommandOptions,
  out: (text: string) => void = console.log,
): ImagePrediction[] {
  if (images.length === 0)
    throw new UserError('predict: give at least one image (a 28×28 grayscale PNG or an IDX images file)');
  const { header, rule } = readModelFile(options.model, getBackend());
  const { inputs, classNames } = header.task;
  const kind = header.config.task.kind;
  if (kind === 'xor' || kind === 'parity')
    throw new UserError(
      `model ${options.model} was trained on ${header.task.name}, not on images; predict needs an image model`,
    );
  const files = images.map((path) => {
    const file = readImageFile(path);
    checkSize(path, file.kind, file.width, file.height, inputs);
    return { path, ...file };
  });
  const count = files.reduce((n, f) => n + f.count, 0);
  const x = new Uint8Array(count * inputs);
  let at = 0;
  for (const f of files) {
    x.set(f.pixels, at);
    at += f.pixels.length;
  }
  if (options.invert) for (let i = 0; i < x.length; i++) x[i] = 255 - x[i];
  const rows = toSparseRows({ x, labels: new Uint8Array(count), count }, inputs, 1 / 255, rule.backend);
  const { predicted, scores } = predictRows(rule, rows);
  const C = rule.classes;
  const results: ImagePrediction[] = [];
  for (const f of files) {
    for (let i = 0; i < f.count; i++) {
      const s = results.length;
      results.push({
        file: f.path,
        ...(f.kind === 'idx' ? { index: i } : {}),
        predicted: classNames[predicted[s]],
        scores: Object.fromEntries(classNames.map((name, k) => [name, scores[s * C + k]])),
      });
    }
  }
  if (options.json) out(JSON.stringify(results));
  else {
    const label = (r: ImagePrediction) => (r.index === undefined ? r.file : `${r.file}[${r.index}]`);
    const width = Math.max(...results.map((r) => label(r).length));
    for (const r of results) {
      const list = Object.entries(r.scores)
        .map(([name, v]) => `${name} ${v.toFixed(3)}`)
        .join('  ');
      out(`${label(r).padEnd(width)}  class ${r.predicted}   scores  ${list}`);
    }
  }
  return results;
}

function checkSize(path: string, kind: 'png' | 'idx', width: number, height: number, inputs: number): void {
  const side = imageSide(inputs);
  const fits = side === null ? width * height === inputs : width === side && height === side;
  if (fits) return;
  const what = kind === 'png' ? `${path} is` : `${path} holds images of`;
  throw new UserError(
    `${what} ${width}×${height}; this model takes ${describeImageSize(inputs)} grayscale images — resize it first`,
  );
}

function describeRule(h: ModelHeader): string {
  const c = h.config;
  if (c.rule === 'backprop')
    return `backprop ${c.backprop.layers} × ${c.backprop.units} (${c.backprop.activation}, ${c.backprop.optimizer})`;
  return `ED (${c.preset}) ${c.ed.layers} × ${c.ed.units}`;
}

/** Rows = true class, columns = predicted, right-aligned. */
function formatMatrix(names: string[], counts: number[][]): string[] {
  const corner = 'true \\ pred';
  const width = Math.max(...names.map((n) => n.length), ...counts.flat().map((v) => String(v).length)) + 2;
  const first = Math.max(corner.length, ...names.map((n) => n.length));
  const head = corner.padEnd(first) + names.map((n) => n.padStart(width)).join('');
  return [
    head,
    ...counts.map((row, t) => names[t].padStart(first) + row.map((v) => String(v).padStart(width)).join('')),
  ];
}

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
