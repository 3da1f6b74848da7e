// The experiment grids carry the seed article's fixed settings (each experiment's `fixed` block), ≥ 3 seeds per curve.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPERIMENTS } from '../src/experiments/grids.js';
import { EXPERIMENT_IDS } from '../src/experiments/ids.js';
import { resolveConfig } from '../src/train/config.js';

const get = (id: string) => {
  const e = EXPERIMENTS.find((x) => x.id === id);
  assert.ok(e, `experiment ${id} is missing`);
  return e;
};
const configs = (id: string) => get(id).curves.map((c) => ({ c, cfg: resolveConfig({ ...c.input, seed: 1 }) }));
const hidden = (cfg: ReturnType<typeof resolveConfig>) => cfg.ed ?? cfg.backprop!;

test("the help's experiment ids (ids.ts, read without the sweep files) are the sweep files' ids", () => {
  assert.deepEqual(
    EXPERIMENTS.map((e) => e.id),
    [...EXPERIMENT_IDS],
  );
});

test('every experiment of the article is defined, on MNIST 4 vs 9, with ≥ 3 seeds and both rules', () => {
  for (const id of ['baseline', 'units', 'layers', 'lr', 'batch', 'speed-impl', 'speed-units', 'speed-layers']) {
    const e = get(id);
    assert.ok(e.seeds.length >= 3, `${id}: ${e.seeds.length} seeds`);
    for (const { cfg } of configs(id)) {
      assert.equal(cfg.task.kind, 'pair');
      assert.equal(cfg.task.digits, '4,9');
    }
    if (id !== 'speed-impl') assert.deepEqual([...new Set(e.curves.map((c) => c.rule))].sort(), ['backprop', 'ed']);
  }
});

test('baseline: layers 3, units 16, batch 64, lr 0.01; curves ED(16), ED(32), BP', () => {
  const cs = configs('baseline');
  assert.deepEqual(
    cs.map(({ c }) => c.curve),
    ['ED (16)', 'ED (32)', 'BP (16)'],
  );
  for (const { c, cfg } of cs) {
    assert.equal(hidden(cfg).layers, 3);
    assert.equal(hidden(cfg).units, c.curve === 'ED (32)' ? 32 : 16);
    assert.equal(cfg.train.batch, 64);
    assert.equal(hidden(cfg).lr, 0.01);
  }
  assert.equal(cs[0].cfg.preset, 'seed');
  assert.equal(cs[2].cfg.backprop?.optimizer, 'adam');
});

test(
  'units: one layer, several widths for ED and BP; layers: 4 units, ED + BP-sigmoid + BP-ReLU, 8 and 16 ' +
    'layers included',
  () => {
    const u = configs('units');
    assert.ok(u.every(({ cfg }) => hidden(cfg).layers === 1));
    assert.ok(new Set(u.map(({ cfg }) => hidden(cfg).units)).size >= 3);
    const l = configs('layers');
    assert.ok(l.every(({ cfg }) => hidden(cfg).units === 4));
    for (const depth of [8, 16]) {
      const at = l.filter(({ cfg }) => hidden(cfg).layers === depth);
      assert.deepEqual(at.map(({ cfg }) => (cfg.rule === 'ed' ? 'ed' : cfg.backprop!.activation)).sort(), [
        'ed',
        'relu',
        'sigmoid',
      ]);
    }
  },
);

test('lr: layers 2, units 16, batch 32, lr 0.2 included for both rules, plus BP at 0.2 with batch 64', () => {
  const cs = configs('lr');
  for (const { c, cfg } of cs) {
    assert.equal(hidden(cfg).layers, 2);
    assert.equal(hidden(cfg).units, 16);
    assert.equal(cfg.train.batch, c.curve.includes('batch 64') ? 64 : 32);
  }
  assert.ok(cs.some(({ cfg }) => cfg.rule === 'ed' && cfg.ed!.lr === 0.2));
  assert.ok(cs.some(({ cfg }) => cfg.rule === 'backprop' && cfg.backprop!.lr === 0.2 && cfg.train.batch === 32));
});

test(
  'batch: layers 2, units 16, several batch sizes with ' + 'updates adapted; speed runs: layers 1 / units 8 at batch 8',
  () => {
    const b = configs('batch');
    assert.ok(b.every(({ cfg }) => hidden(cfg).layers === 2 && hidden(cfg).units === 16));
    const updates = new Map(b.map(({ cfg }) => [cfg.train.batch, cfg.train.updates]));
    assert.ok(updates.size >= 3);
    const sizes = [...updates.keys()].sort((x, y) => x - y);
    assert.ok(updates.get(sizes[0])! > updates.get(sizes[sizes.length - 1])!, 'larger batches get fewer updates');
    assert.ok(configs('speed-units').every(({ cfg }) => hidden(cfg).layers === 1 && cfg.train.batch === 8));
    assert.ok(configs('speed-layers').every(({ cfg }) => hidden(cfg).units === 8 && cfg.train.batch === 8));
    assert.deepEqual(
      configs('speed-impl').map(({ cfg }) => cfg.backend),
      ['reference', 'auto'],
    );
  },
);

test('the kaneko-mnist experiments run the preset they name on 10 classes', () => {
  for (const { cfg } of [
    ...configs('kaneko-mnist-search'),
    ...configs('kaneko-mnist-search-2'),
    ...configs('kaneko-mnist'),
  ]) {
    assert.equal(cfg.task.kind, 'all');
    assert.equal(cfg.train.batch, 1, 'online, as Kaneko');
    assert.ok(cfg.ed!.layers === 1 && cfg.ed!.initMax === 0.01 && cfg.train.epochs === 20);
  }
  assert.deepEqual(
    configs('kaneko-mnist-search').map(({ cfg }) => [cfg.ed!.units, cfg.ed!.lr, cfg.ed!.lrDecay]),
    [
      [64, 0.005, 1],
      [64, 0.01, 1],
      [64, 0.02, 1],
      [128, 0.01, 1],
      [64, 0.02, 0.8],
      [64, 0.05, 0.8],
      [128, 0.02, 0.8],
      [128, 0.05, 0.8],
    ],
  );
});
