/**
 * Scores raw 28×28 byte images with a rule. The sparse rows go into buffers allocated once per rule from its
 * backend (kernels read only that memory, and the WebAssembly allocator never frees), so scoring a drawing on
 * every stroke costs no memory.
 */
import { argmaxRow, type Rule, UserError } from 'edlearn/browser';
import type { Prediction } from './protocol';

const CHUNK = 64;

export class Predictor {
  private static readonly cache = new WeakMap<Rule, Predictor>();
  private readonly chunk: number;
  private readonly index: Int32Array;
  private readonly value: Float32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly labels: Uint8Array;
  private readonly scores: Float32Array;

  static for(rule: Rule): Predictor {
    let p = Predictor.cache.get(rule);
    if (!p) Predictor.cache.set(rule, (p = new Predictor(rule)));
    return p;
  }

  private constructor(private readonly rule: Rule) {
    this.chunk = Math.min(rule.maxBatch, CHUNK);
    this.index = rule.backend.allocInt(this.chunk * rule.inputs);
    this.value = rule.backend.alloc(this.chunk * rule.inputs);
    this.start = new Int32Array(this.chunk);
    this.end = new Int32Array(this.chunk);
    this.labels = new Uint8Array(this.chunk);
    this.scores = new Float32Array(this.chunk * rule.classes);
  }

  /** Pixels 0…255, scaled by 1/255 as the tasks do; no other preprocessing. */
  predict(images: ArrayLike<number>[]): Prediction[] {
    const { rule, chunk, index, value, start, end, scores } = this;
    const N = rule.inputs;
    const C = rule.classes;
    images.forEach((img, i) => {
      if (img.length !== N) throw new UserError(`predict: image ${i} has ${img.length} values; the model takes ${N} (${Math.sqrt(N)}×${Math.sqrt(N)}, row by row, 0…255)`);
    });
    const results: Prediction[] = [];
    for (let from = 0; from < images.length; from += chunk) {
      const n = Math.min(chunk, images.length - from);
      let q = 0;
      for (let b = 0; b < n; b++) {
        const img = images[from + b];
        start[b] = q;
        for (let j = 0; j < N; j++) {
          const v = Math.min(255, Math.max(0, img[j] || 0));
          if (v === 0) continue;
          index[q] = j;
          value[q] = v / 255;
          q++;
        }
        end[b] = q;
      }
      rule.predict({ size: n, start, end, index, value, labels: this.labels }, scores);
      for (let b = 0; b < n; b++) {
        results.push({ predicted: argmaxRow(scores, b, C), scores: Array.from(scores.subarray(b * C, (b + 1) * C)) });
      }
    }
    return results;
  }
}
