/**
 * The public Model in Node: the same as the browser's (api/model.ts), plus files (save writes atomically,
 * loadModel reads a path), the fastest backend by default, and ED's class networks spread over every core.
 */
import { availableParallelism } from 'node:os';
import { spreadNetworks } from '../engine/threads.js';
import { UserError } from '../errors.js';
import { readInputFile, writeFileAtomic } from '../io.js';
import { bytesOf, checkArgument, isBinary } from '../args.js';
import type { Backend } from '../kernels/backend.js';
import { getBackend } from '../kernels/index.js';
import { loadRule } from '../model/load.js';
import { buildRule, maxBatchFor } from '../train/build.js';
import { Model, type ModelOptions, modelConfig, trainedOn } from './model.js';

export class NodeModel extends Model {
  /** Writes the model file atomically: a failed save leaves any file already at `path` as it was. */
  override async save(path: string): Promise<void> {
    checkArgument(
      'save',
      'path',
      path,
      'a file path (a non-empty string)',
      typeof path === 'string' && path.trim() !== '',
    );
    writeFileAtomic(path, this.toBytes());
  }

  protected override async runLoop<T>(batch: number, loop: () => Promise<T>): Promise<T> {
    const threads = spreadNetworks(this.rule, this.config.threads, batch);
    try {
      return await loop();
    } finally {
      await threads?.close();
    }
  }
}

/** A new model with initial weights from its seed, on the backend its options name (default: the fastest). */
export function createModel(options: ModelOptions = {}, backend?: Backend): NodeModel {
  const { config, inputs, classes, classNames } = modelConfig(options, availableParallelism());
  const rule = buildRule(
    { config, inputs, classes, maxBatch: maxBatchFor(config.train.batch) },
    backend ?? getBackend(config.backend),
  );
  return new NodeModel(config, rule, classNames);
}

/** A model from a file's bytes or its path (written by `edlearn train --save`, the lab or model.save). */
export function loadModel(source: Uint8Array | ArrayBuffer | string, backend?: Backend): NodeModel {
  checkArgument(
    'loadModel',
    'source',
    source,
    'a file path or the bytes of a model file (a Uint8Array or an ArrayBuffer)',
    (typeof source === 'string' && source.trim() !== '') || isBinary(source),
  );
  const name = typeof source === 'string' ? source : 'model';
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? readInputFile(source, 'loadModel:') : bytesOf(source);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `loadModel: cannot read ${name} (${(err as NodeJS.ErrnoException).code ?? String(err)}); give a file ` +
        `written by edlearn train --save or model.save`,
    );
  }
  const { header, rule } = loadRule(bytes, name, backend ?? getBackend());
  return new NodeModel(header.config, rule, header.task.classNames, trainedOn(header));
}
