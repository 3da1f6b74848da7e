/** `edlearn export --model FILE --format onnx|tfjs --out PATH`: a saved ED model for other runtimes (src/export/). */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { forwardGraph } from '../export/forward.js';
import { toOnnx } from '../export/onnx.js';
import { toTfjs } from '../export/tfjs.js';
import { checkOutputPath, writeFileAtomic } from '../io.js';
import { referenceBackend } from '../kernels/reference.js';
import { readModelFile } from '../model/file.js';

export const EXPORT_FORMATS = ['onnx', 'tfjs'] as const;

export interface ExportCommandOptions {
  model: string;
  format: string;
  out: string;
}

/** Writes the export; returns the paths written. */
export function exportCommand(options: ExportCommandOptions, out: (text: string) => void = console.log): string[] {
  const { model, format, out: path } = options;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new UserError(`export --format: ${format} is not a format; expected ${EXPORT_FORMATS.join(' or ')}`);
  if (path.trim() === '')
    throw new UserError('export --out: the path is empty; give a file (onnx) or a directory (tfjs)');
  const { header, rule } = readModelFile(model, referenceBackend);
  const graph = forwardGraph(rule, header.task.classNames, `export: model ${model}`);
  const what = `${header.task.inputs} inputs → ${header.task.classes} scores, ${graph.networks.length} network(s)`;
  if (format === 'onnx') {
    if (existsSync(path) && statSync(path).isDirectory())
      throw new UserError(`export --out: ${path} is a directory; give the .onnx file to write`);
    checkOutputPath(path);
    writeFileAtomic(path, toOnnx(graph, `edlearn model ${model} (${header.task.name})`));
    out(`ONNX model written to ${path} (${what}; input "images", output "scores")`);
    return [path];
  }
  if (existsSync(path) && !statSync(path).isDirectory())
    throw new UserError(`export --out: ${path} is a file; --format tfjs writes a directory (model.json + weights.bin)`);
  const files = toTfjs(graph);
  const weights = join(path, 'weights.bin');
  const json = join(path, 'model.json');
  checkOutputPath(weights);
  const had = existsSync(weights);
  writeFileAtomic(weights, files.weights);
  try {
    writeFileAtomic(json, files.modelJson);
  } catch (err) {
    // No half export: without model.json the weights are of no use.
    if (!had) rmSync(weights, { force: true });
    throw err;
  }
  out(`TF.js Layers model written to ${json} and ${weights} (${what}; tf.loadLayersModel('file://${json}'))`);
  return [json, weights];
}
