// The worked example of docs/extending.md: a new rule made from ED's parts, tested, not shipped. "Sign-preserving
// DFA-like": as direct feedback alignment gives each hidden unit its own fixed random projection of the output
// error, each hidden unit k here receives the amine through its own fixed feedback weight b_k > 0 instead of the
// same amine for every unit. b_k > 0 keeps the amine's sign, so ED's sign families and its invariants hold: a
// weight keeps the sign s_m·s_k and |w| never decreases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parityTask } from '../src/data/tasks.js';
import type { Backend } from '../src/kernels/backend.js';
import { getBackend } from '../src/kernels/index.js';
import type { EdOptions } from '../src/options/ed.js';
import { PRESETS } from '../src/options/presets.js';
import { Random } from '../src/random.js';
import { EdClassifier } from '../src/rules/ed.js';
import { train } from '../src/train/trainer.js';
import { denseBatch } from './helpers.js';

/** The new rule: ED with one protected method overridden (the unit's factor in g, s_k in Kaneko's rule). */
class SignPreservingDfa extends EdClassifier {
  /** Per network and layer: s_k·b_k, b_k ~ U[0.25, 1.75) for hidden units, 1 for the output unit. */
  readonly feedback: Float32Array[][];

  constructor(o: EdOptions, inputs: number, classes: number, backend: Backend, seed: number, maxBatch: number) {
    super(o, inputs, classes, backend, new Random(seed), maxBatch);
    const draw = new Random(seed).fork(7);
    const last = this.shapes.length - 1;
    this.feedback = this.nets.map(() =>
      this.shapes.map((L, l) => {
        const f = backend.alloc(L.out); // the kernels read it: it lives in the backend's memory
        for (let k = 0; k < L.out; k++) f[k] = this.shared.outSign[l][k] * (l === last ? 1 : 0.25 + 1.5 * draw.next());
        return f;
      }),
    );
  }

  protected override unitFactor(k: number, l: number): Float32Array {
    return this.feedback[k][l];
  }
}

const options: EdOptions = { ...PRESETS.seed.rule, layers: 2, units: 6, lr: 0.5 };
const INPUTS = 9;
const inputs = (rng: Random, batch: number) =>
  Float32Array.from({ length: batch * INPUTS }, () => (rng.next() < 0.3 ? 0 : rng.next()));
const copy = (rule: EdClassifier) =>
  rule.nets[0].w.map((w, l) => [Float32Array.from(w), Float32Array.from(rule.nets[0].bias[l])]);

for (const name of ['reference', 'wasm-simd']) {
  test(
    `${name}: the DFA-like rule keeps ED's invariants: every weight keeps its sign s_m·s_k and |w| never ` +
      `decreases`,
    () => {
      const rule = new SignPreservingDfa(options, INPUTS, 2, getBackend(name), 3, 16);
      const rng = new Random(5);
      let changed = 0;
      for (let step = 0; step < 100; step++) {
        const n = 1 + rng.int(8);
        const before = copy(rule);
        rule.learn(
          denseBatch(
            rule.backend,
            inputs(rng, n),
            n,
            INPUTS,
            Array.from({ length: n }, () => rng.int(2)),
          ),
        );
        copy(rule).forEach((pair, l) =>
          pair.forEach((now, p) =>
            now.forEach((v, i) => {
              const old = before[l][p][i];
              assert.equal(Math.sign(v), Math.sign(old), `layer ${l} weight ${i} changed sign`);
              assert.ok(Math.abs(v) >= Math.abs(old), `layer ${l} weight ${i} shrank`);
              if (v !== old) changed++;
            }),
          ),
        );
      }
      assert.ok(changed > 0);
    },
  );
}

test(
  "the DFA-like rule's first update is ED's with each hidden unit's column scaled by its b_k, the output's " +
    'unchanged',
  () => {
    const be = getBackend('reference');
    const ed = new EdClassifier(options, INPUTS, 2, be, new Random(3), 4);
    const dfa = new SignPreservingDfa(options, INPUTS, 2, be, 3, 4);
    const x = inputs(new Random(9), 1);
    const before = copy(ed);
    assert.deepEqual(copy(dfa), before, 'the same initial weights');
    for (const rule of [ed, dfa]) rule.learn(denseBatch(be, x, 1, INPUTS, [1]));
    // Layer 0 sees the same outputs in both (the same weights, the same forward pass): its change differs by b_k.
    const L = ed.shapes[0];
    const b = dfa.feedback[0][0];
    let checked = 0;
    for (let r = 0; r < L.srcExc + L.srcInh; r++) {
      for (let k = 0; k < L.out; k++) {
        const i = r * L.out + k;
        const dEd = ed.nets[0].w[0][i] - before[0][0][i];
        const dDfa = dfa.nets[0].w[0][i] - before[0][0][i];
        if (dEd === 0) assert.equal(dDfa, 0);
        else {
          assert.ok(
            Math.abs(dDfa / dEd - Math.abs(b[k])) < 1e-3 * Math.abs(b[k]) + 1e-4,
            `weight ${i}: ${dDfa / dEd} vs b_k ${Math.abs(b[k])}`,
          );
          checked++;
        }
      }
    }
    assert.ok(checked > 0);
    const last = ed.shapes.length - 1;
    assert.deepEqual(
      dfa.nets[0].w[last],
      ed.nets[0].w[last],
      'the output unit receives e itself, as in ED (its sources are the same too)',
    );
  },
);

test('the DFA-like rule learns XOR from the reference backend', () => {
  const task = parityTask(2);
  const o: EdOptions = { ...PRESETS.kaneko.rule, units: 16 };
  const rule = new SignPreservingDfa(o, task.inputs, 2, getBackend('reference'), 1, 4);
  const result = train(rule, task, { batch: 1, epochs: 400, seed: 1, order: 'shuffle' });
  assert.equal(result.final.testAccuracy, 1, 'all four patterns right');
});
