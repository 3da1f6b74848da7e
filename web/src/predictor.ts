/**
 * Scores raw byte images with a rule, through the library's toSparseRows and predictRows. Their sparse arrays
 * must live in the rule's backend memory, whose WebAssembly allocator never frees, so this hands toSparseRows
 * the same two buffers again on every call (grown by doubling when a request is larger): scoring a drawing on
 * every stroke costs no memory.
 */
import { predictRows, type Rule, toSparseRows, UserError } from 'edlearn/browser';
import type { Prediction } from './protocol';

/** The tasks scale pixel bytes to 0…1; a model file's rule was trained on inputs scaled so. */
const PIXEL_SCALE = 1 / 255;

export class Predictor {
  private static readonly cache = new WeakMap<Rule, Predictor>();
  private floats: Float32Array = new Float32Array(0);
  private ints: Int32Array = new Int32Array(0);

  static for(rule: Rule): Predictor {
    let p = Predictor.cache.get(rule);
    if (!p) {
      p = new Predictor(rule);
      Predictor.cache.set(rule, p);
    }
    return p;
  }

  private constructor(private readonly rule: Rule) {}

  /** Pixels 0…255, row by row; no other preprocessing. */
  predict(images: Uint8Array[]): Prediction[] {
    const { rule } = this;
    const N = rule.inputs;
    const C = rule.classes;
    const x = new Uint8Array(images.length * N);
    images.forEach((img, i) => {
      if (img.length !== N)
        throw new UserError(
          `predict: image ${i} has ${img.length} values; the model takes ${N} ` +
            `(${Math.sqrt(N)}×${Math.sqrt(N)}, row by row, 0…255)`,
        );
      x.set(img, i * N);
    });
    const rows = toSparseRows({ x, labels: new Uint8Array(images.length), count: images.length }, N, PIXEL_SCALE, this);
    const { predicted, scores } = predictRows(rule, rows);
    return Array.from(predicted, (p, b) => ({ predicted: p, scores: Array.from(scores.subarray(b * C, (b + 1) * C)) }));
  }

  /** toSparseRows' allocator: the reused buffers. */
  alloc(length: number): Float32Array {
    if (this.floats.length < length) this.floats = this.rule.backend.alloc(grown(length));
    return this.floats.subarray(0, length);
  }

  allocInt(length: number): Int32Array {
    if (this.ints.length < length) this.ints = this.rule.backend.allocInt(grown(length));
    return this.ints.subarray(0, length);
  }
}

/** At least `length`, a power of two and ≥ 4096 (one drawing has at most 784 non-zero pixels). */
function grown(length: number): number {
  return Math.max(4096, 2 ** Math.ceil(Math.log2(length)));
}
