/**
 * For each experiment, the article's conclusion and our verdict, decided only by numbers from the logs.
 * Thresholds: "learns" = best validation accuracy ≥ 90 %; "fails" = best < 60 % (chance on 4 vs 9 is ≈ 50 %);
 * "about as well" = within 1.5 points; "changes little" = within 1 point.
 */
import type { Conclusion, CurveData, ExperimentData } from '../report/types.js';
import { EXPERIMENTS } from './grids.js';

const LEARNS = 0.9;
const FAILS = 0.6;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const best = (c: CurveData) => mean(c.runs.map((r) => r.end?.bestValAccuracy ?? Math.max(...r.evals.map((e) => e.valAccuracy))));
const seconds = (c: CurveData) => mean(c.runs.map((r) => r.end?.trainSeconds ?? NaN));
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const verdict = (passed: boolean[]): Conclusion['verdict'] =>
  passed.every(Boolean) ? 'holds' : passed.some(Boolean) ? 'partly' : 'does not hold';

function curve(e: ExperimentData, name: string): CurveData | undefined {
  return e.curves.find((c) => c.curve === name);
}
const byRule = (e: ExperimentData, rule: 'ed' | 'backprop') => e.curves.filter((c) => c.rule === rule);
const paramOf = (c: CurveData) => Number(c.param?.value);

type Judge = (e: ExperimentData) => { passed: boolean[]; evidence: string } | null;

const JUDGES: Record<string, Judge> = {
  baseline(e) {
    const [ed16, ed32, bp] = ['ED (16)', 'ED (32)', 'BP (16)'].map((n) => curve(e, n));
    if (!ed16 || !ed32 || !bp) return null;
    const [a, b, c] = [best(ed16), best(ed32), best(bp)];
    return {
      passed: [Math.abs(a - c) <= 0.015, Math.abs(b - a) <= 0.01],
      evidence: `Best validation accuracy (mean over seeds): ED (16) ${pct(a)}, ED (32) ${pct(b)}, BP ${pct(c)}. ED vs BP differ by ${((a - c) * 100).toFixed(1)} points (≤ 1.5 to hold); doubling ED units changes it by ${((b - a) * 100).toFixed(1)} (≤ 1 to hold).`,
    };
  },
  units(e) {
    const eds = byRule(e, 'ed').sort((x, y) => paramOf(x) - paramOf(y));
    if (eds.length < 2) return null;
    const accs = eds.map(best);
    const gain = accs[accs.length - 1] - accs[0];
    const ratio = paramOf(eds[eds.length - 1]) / paramOf(eds[0]);
    return {
      passed: [accs.every((v) => v >= LEARNS), gain <= 0.02],
      evidence: `ED best accuracy by width: ${eds.map((c, i) => `${paramOf(c)} → ${pct(accs[i])}`).join(', ')}. Every width ${accs.every((v) => v >= LEARNS) ? 'learns (≥ 90 %)' : 'does not learn'}; ${ratio}× the units gains ${(gain * 100).toFixed(1)} points (≤ 2 means "not in proportion").`,
    };
  },
  layers(e) {
    const depths = [...new Set(byRule(e, 'ed').map(paramOf))].sort((a, b) => a - b);
    const at = (prefix: string, l: number) => curve(e, `${prefix} (${l} layers)`);
    const edAll = depths.map((l) => best(at('ED', l)!));
    const sig8 = at('BP sigmoid', 8);
    const relu16 = at('BP ReLU', 16);
    if (!sig8 || !relu16) return null;
    const [s8, r16] = [best(sig8), best(relu16)];
    return {
      passed: [edAll.every((v) => v >= LEARNS), s8 < FAILS, r16 < FAILS],
      evidence: `ED best by depth: ${depths.map((l, i) => `${l} → ${pct(edAll[i])}`).join(', ')}. BP sigmoid at 8 layers: ${pct(s8)}; BP ReLU at 16 layers: ${pct(r16)} (fails = below 60 %).`,
    };
  },
  lr(e) {
    const ed = curve(e, 'ED (lr 0.2)');
    const bp = curve(e, 'BP (lr 0.2)');
    const bp64 = curve(e, 'BP (lr 0.2, batch 64)');
    if (!ed || !bp || !bp64) return null;
    const [a, b, c] = [best(ed), best(bp), best(bp64)];
    return {
      passed: [b < FAILS, a >= LEARNS, c >= LEARNS],
      evidence: `At lr 0.2, batch 32: BP ${pct(b)} (fails if < 60 %), ED ${pct(a)} (learns if ≥ 90 %); BP with batch 64: ${pct(c)}.`,
    };
  },
  batch(e) {
    const eds = byRule(e, 'ed').sort((x, y) => paramOf(x) - paramOf(y));
    const bps = byRule(e, 'backprop').sort((x, y) => paramOf(x) - paramOf(y));
    if (!eds.length || !bps.length) return null;
    const ea = eds.map(best);
    const ba = bps.map(best);
    const trend = (xs: number[]) => Math.sign(xs[xs.length - 1] - xs[0]);
    return {
      passed: [ea.every((v) => v >= LEARNS), trend(ea) === trend(ba) || Math.abs(ea[ea.length - 1] - ea[0]) < 0.005],
      evidence: `Best accuracy by batch size, ED: ${eds.map((c, i) => `${paramOf(c)} → ${pct(ea[i])}`).join(', ')}; BP: ${bps.map((c, i) => `${paramOf(c)} → ${pct(ba[i])}`).join(', ')}.`,
    };
  },
  'speed-impl'(e) {
    const [ref, fast] = e.curves;
    if (!ref || !fast) return null;
    const ratio = seconds(ref) / seconds(fast);
    return {
      passed: [ratio >= 10],
      evidence: `One epoch of the ED baseline: ${seconds(ref).toFixed(3)} s on the TypeScript reference, ${seconds(fast).toFixed(3)} s on WebAssembly SIMD: ${ratio.toFixed(1)}× (article: 36×; holds if ≥ 10×).`,
    };
  },
  ablations(e) {
    const get = (name: string) => curve(e, name);
    const base = get("default (Kaneko's choices)");
    const random = get('random unit types');
    const weaken = get('lower by weakening excitatory');
    const any = get('initial weights in −r…r');
    const product = get('update ÷ (units × layers)');
    const imb = ['ED, balanced', 'ED, 9s at 10 %', 'BP, balanced', 'BP, 9s at 10 %'].map(get);
    if (!base || !random || !weaken || !any || !product || imb.some((c) => !c)) return null;
    // Accuracy a quarter of the way through training, for "slower".
    const early = (c: CurveData) => mean(c.runs.map((r) => r.evals[Math.floor(r.evals.length / 4)]?.valAccuracy ?? NaN));
    const balanced = (c: CurveData) => mean(c.runs.map((r) => r.end?.finalValBalancedAccuracy ?? NaN));
    const [edBal, edImb, bpBal, bpImb] = imb.map((c) => balanced(c!));
    const edDrop = edBal - edImb;
    const bpDrop = bpBal - bpImb;
    return {
      passed: [
        best(random) > best(base),
        best(weaken) >= LEARNS && early(weaken) < early(base),
        best(any) >= LEARNS,
        best(product) < best(base) - 0.02,
        edDrop > bpDrop,
      ],
      evidence: `Best accuracy: default ${pct(best(base))}, random types ${pct(best(random))}, weakening excitatory ${pct(best(weaken))} (a quarter of the way: ${pct(early(weaken))} vs ${pct(early(base))}), −r…r init ${pct(best(any))}, ÷ units × layers ${pct(best(product))}. Imbalanced (9s at 10 %): balanced accuracy ED ${pct(edBal)} → ${pct(edImb)}, BP ${pct(bpBal)} → ${pct(bpImb)}. Each of the five claims is one check: better, learns-but-slower, learns, more than 2 points worse, ED loses more than BP.`,
    };
  },
  'speed-units': (e) => growth(e, 'units'),
  'speed-layers': (e) => growth(e, 'layers'),
};

/** Does ED's training time grow about in proportion to the swept parameter (at least half as fast)? */
function growth(e: ExperimentData, name: string): ReturnType<Judge> {
  const series = (rule: 'ed' | 'backprop') => byRule(e, rule).sort((x, y) => paramOf(x) - paramOf(y));
  const eds = series('ed');
  const bps = series('backprop');
  if (eds.length < 2) return null;
  const span = paramOf(eds[eds.length - 1]) / paramOf(eds[0]);
  const edGrowth = seconds(eds[eds.length - 1]) / seconds(eds[0]);
  const bpGrowth = bps.length >= 2 ? seconds(bps[bps.length - 1]) / seconds(bps[0]) : NaN;
  const times = eds.map(seconds);
  const grows = times.every((t, i) => i === 0 || t >= times[i - 1] * 0.95);
  // Proportional (at least half the parameter's growth) holds; growing steadily but less is "partly".
  const passed = [edGrowth >= span / 2, grows];
  if (name === 'units') passed.push(bpGrowth < edGrowth);
  return {
    passed,
    evidence: `From ${paramOf(eds[0])} to ${paramOf(eds[eds.length - 1])} ${name} (${span}×), ED's epoch time grows ${edGrowth.toFixed(1)}× (${seconds(eds[0]).toFixed(3)} → ${seconds(eds[eds.length - 1]).toFixed(3)} s) and BP's ${bpGrowth.toFixed(1)}×; ED's time ${grows ? 'rises at every step' : 'does not rise at every step'}. "In proportion" holds if ED grows at least half as much as the parameter${name === 'units' ? '; the second half of the claim (TensorFlow barely changes) is judged as our BP growing less than ED — our BP runs on the same kernels, not on a framework with a large fixed cost per step' : ''}.`,
  };
}

export function conclude(e: ExperimentData): Conclusion | null {
  const exp = EXPERIMENTS.find((x) => x.id === e.id);
  const judge = JUDGES[e.id];
  if (!exp || !judge) return null;
  const r = judge(e);
  return r ? { claim: exp.claim, verdict: verdict(r.passed), evidence: r.evidence } : null;
}

/** Settings chosen where the article was silent, shown under each experiment. */
export const NOTES: Record<string, string> = Object.fromEntries(EXPERIMENTS.map((e) => [e.id, e.note]));

/** Headings and order of the experiments in the report. */
export const TITLES: Record<string, string> = Object.fromEntries(EXPERIMENTS.map((e) => [e.id, e.title]));
export const ORDER: string[] = EXPERIMENTS.map((e) => e.id);

/** Everything the report needs to know about the article, as renderReport options. */
export const ARTICLE_REPORT = { conclude, notes: NOTES, titles: TITLES, order: ORDER };
