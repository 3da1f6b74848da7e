/**
 * For each experiment, the article's conclusion and our verdict, decided only by numbers from the logs: the test
 * accuracy of each run at the point its validation split chose (the test split is read once per run, at the end),
 * over ≥ 5 seeds. Every comparison is a stated test:
 * - a difference between two curves is Welch's t: its 95 % confidence interval (Welch–Satterthwaite df);
 * - "better" holds when that interval lies above 0, does not hold when below 0, and is not distinguishable else;
 * - "about as well" / "changes little" hold when the interval lies within ±1.5 / ±1 points, do not hold when it
 *   lies wholly outside, and are not distinguishable else;
 * - "learns" / "fails" compare a curve's 95 % t interval with 90 % / 60 % (chance on 4 vs 9 is ≈ 50 %).
 * A claim of several checks holds when all hold, does not hold when none does, is "not distinguishable" when no
 * check is decided, and holds "partly" otherwise. Speed claims compare mean
 * seconds (timing noise is not a seed effect).
 */
import { type Summary, summarize, welch } from '../report/stats.js';
import type { Conclusion, CurveData, ExperimentData } from '../report/types.js';
import { EXPERIMENTS } from './grids.js';

const LEARNS = 0.9;
const FAILS = 0.6;

/** A check's outcome: true, false, or null when the data cannot tell. */
type Outcome = boolean | null;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
/** Validation-selected test accuracy of every run of the curve. */
const tests = (c: CurveData) => c.runs.map((r) => r.end?.selected?.testAccuracy ?? NaN).filter(Number.isFinite);
const stats = (c: CurveData): Summary => summarize(tests(c));
const seconds = (c: CurveData) => mean(c.runs.map((r) => r.end?.trainSeconds ?? NaN));
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const points = (v: number) => (v * 100).toFixed(2);
/** "97.12 ± 0.21 % [96.86, 97.38]" */
const show = (c: CurveData) => {
  const s = stats(c);
  return `${points(s.mean)} ± ${points(s.sd)} % [${points(s.ci[0])}, ${points(s.ci[1])}]`;
};

/** Welch's 95 % interval of mean(a) − mean(b), in points, for the evidence text. */
function difference(a: CurveData, b: CurveData): { ci: [number, number]; text: string } {
  const d = welch(tests(a), tests(b));
  return {
    ci: d.ci,
    text: `${points(d.diff)} points [${points(d.ci[0])}, ${points(d.ci[1])}], Welch p = ${d.p.toPrecision(2)}`,
  };
}
/** The interval lies above 0 (true), below 0 (false), or straddles it (null). */
const above = (ci: [number, number]): Outcome => (ci[0] > 0 ? true : ci[1] < 0 ? false : null);
/** The interval lies within ±margin (true), wholly outside it (false), or across its edge (null). */
const within = (ci: [number, number], margin: number): Outcome =>
  ci[0] >= -margin && ci[1] <= margin ? true : ci[0] > margin || ci[1] < -margin ? false : null;
/** The curve's interval lies at or above the threshold (true), below it (false), or across it (null). */
const atLeast = (c: CurveData, threshold: number): Outcome => {
  const { ci } = stats(c);
  return ci[0] >= threshold ? true : ci[1] < threshold ? false : null;
};
const below = (c: CurveData, threshold: number): Outcome => {
  const r = atLeast(c, threshold);
  return r === null ? null : !r;
};
const all = (xs: Outcome[]): Outcome =>
  xs.every((x) => x === true) ? true : xs.some((x) => x === false) ? false : null;

function verdict(checks: Outcome[]): Conclusion['verdict'] {
  if (checks.every((c) => c === true)) return 'holds';
  if (checks.every((c) => c === false)) return 'does not hold';
  if (checks.every((c) => c === null)) return 'not distinguishable';
  return 'partly';
}

function curve(e: ExperimentData, name: string): CurveData | undefined {
  return e.curves.find((c) => c.curve === name);
}
const byRule = (e: ExperimentData, rule: 'ed' | 'backprop') => e.curves.filter((c) => c.rule === rule);
const paramOf = (c: CurveData) => Number(c.param?.value);

type Judge = (e: ExperimentData) => { passed: Outcome[]; evidence: string } | null;

/** The interval lies at or below `margin` (true), wholly above it (false), or across it (null). */
const atMost = (ci: [number, number], margin: number): Outcome =>
  ci[1] <= margin ? true : ci[0] > margin ? false : null;

const JUDGES: Record<string, Judge> = {
  baseline(e) {
    const [ed16, ed32, bp] = ['ED (16)', 'ED (32)', 'BP (16)'].map((n) => curve(e, n));
    if (!ed16 || !ed32 || !bp) return null;
    const edBp = difference(ed16, bp);
    const width = difference(ed32, ed16);
    return {
      passed: [within(edBp.ci, 0.015), within(width.ci, 0.01)],
      evidence:
        `Test accuracy at the validation-selected point: ED (16) ${show(ed16)}, ED ` +
        `(32) ${show(ed32)}, BP ${show(bp)}. ED − BP: ${edBp.text} (holds within ±1.5 points); ED (32) − ED ` +
        `(16): ${width.text} (holds within ±1).`,
    };
  },
  units(e) {
    const eds = byRule(e, 'ed').sort((x, y) => paramOf(x) - paramOf(y));
    if (eds.length < 2) return null;
    const gain = difference(eds[eds.length - 1], eds[0]);
    const ratio = paramOf(eds[eds.length - 1]) / paramOf(eds[0]);
    return {
      passed: [all(eds.map((c) => atLeast(c, LEARNS))), atMost(gain.ci, 0.02)],
      evidence:
        `ED test accuracy by width: ${eds.map((c) => `${paramOf(c)} → ${show(c)}`).join(', ')}. ` +
        `Learns = interval ≥ 90 %. ${ratio}× the units: ${gain.text} ("not in proportion" holds if at most +2 points).`,
    };
  },
  layers(e) {
    const depths = [...new Set(byRule(e, 'ed').map(paramOf))].sort((a, b) => a - b);
    const at = (prefix: string, l: number) => curve(e, `${prefix} (${l} layers)`);
    const eds = depths.map((l) => at('ED', l)!);
    const sig8 = at('BP sigmoid', 8);
    const relu16 = at('BP ReLU', 16);
    if (!sig8 || !relu16) return null;
    return {
      passed: [all(eds.map((c) => atLeast(c, LEARNS))), below(sig8, FAILS), below(relu16, FAILS)],
      evidence:
        `ED test accuracy by depth: ${depths.map((l, i) => `${l} → ${show(eds[i])}`).join(', ')}. BP ` +
        `sigmoid at 8 layers: ${show(sig8)}; BP ReLU at 16 layers: ${show(relu16)} (fails = interval below 60 %).`,
    };
  },
  lr(e) {
    const ed = curve(e, 'ED (lr 0.2)');
    const bp = curve(e, 'BP (lr 0.2)');
    const bp64 = curve(e, 'BP (lr 0.2, batch 64)');
    if (!ed || !bp || !bp64) return null;
    return {
      passed: [below(bp, FAILS), atLeast(ed, LEARNS), atLeast(bp64, LEARNS)],
      evidence:
        `At lr 0.2, batch 32: BP ${show(bp)} (fails if below 60 %), ED ${show(ed)} (learns if ≥ 90 ` +
        `%); BP with batch 64: ${show(bp64)}.`,
    };
  },
  batch(e) {
    const eds = byRule(e, 'ed').sort((x, y) => paramOf(x) - paramOf(y));
    const bps = byRule(e, 'backprop').sort((x, y) => paramOf(x) - paramOf(y));
    if (!eds.length || !bps.length) return null;
    const edTrend = difference(eds[eds.length - 1], eds[0]);
    const bpTrend = difference(bps[bps.length - 1], bps[0]);
    const [a, b] = [above(edTrend.ci), above(bpTrend.ci)];
    return {
      passed: [all(eds.map((c) => atLeast(c, LEARNS))), a === null || b === null ? null : a === b],
      evidence:
        `Test accuracy by batch size, ED: ${eds.map((c) => `${paramOf(c)} → ${show(c)}`).join(', ')}; ` +
        `BP: ${bps.map((c) => `${paramOf(c)} → ${show(c)}`).join(', ')}. Largest − smallest batch: ` +
        `ED ${edTrend.text}; BP ${bpTrend.text} ("trends like BP" if both intervals are on the same side of 0).`,
    };
  },
  'speed-impl'(e) {
    const [ref, fast] = e.curves;
    if (!ref || !fast) return null;
    const ratio = seconds(ref) / seconds(fast);
    return {
      passed: [ratio >= 10],
      evidence:
        `One epoch of the ED baseline: ${seconds(ref).toFixed(3)} s on the TypeScript ` +
        `reference, ${seconds(fast).toFixed(3)} s on WebAssembly SIMD: ${ratio.toFixed(1)}× (article: 36×; ` +
        `holds if ≥ 10×).`,
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
    // Validation accuracy a quarter of the way through training, for "slower".
    const early = (c: CurveData) => c.runs.map((r) => r.evals[Math.floor(r.evals.length / 4)]?.valAccuracy ?? NaN);
    const slower = welch(early(weaken), early(base));
    // Seeds pair the balanced and imbalanced runs: the drop in balanced test accuracy per seed, ED against BP.
    const balanced = (c: CurveData) => c.runs.map((r) => r.end?.selected?.testBalancedAccuracy ?? NaN);
    const drop = (bal: CurveData, cut: CurveData) => balanced(bal).map((v, i) => v - balanced(cut)[i]);
    const [edBal, edImb, bpBal, bpImb] = imb as CurveData[];
    const dropDiff = welch(drop(edBal, edImb), drop(bpBal, bpImb));
    const betterRandom = difference(random, base);
    const productDiff = difference(product, base);
    return {
      passed: [
        above(betterRandom.ci),
        all([atLeast(weaken, LEARNS), above([-slower.ci[1], -slower.ci[0]])]),
        atLeast(any, LEARNS),
        atMost(productDiff.ci, -0.02),
        above(dropDiff.ci),
      ],
      evidence:
        `Test accuracy: default ${show(base)}; random types ${show(random)} (− ` +
        `default: ${betterRandom.text}); weakening excitatory ${show(weaken)} (validation a quarter of the way, − ` +
        `default: ${points(slower.diff)} points [${points(slower.ci[0])}, ${points(slower.ci[1])}]); −r…r ` +
        `init ${show(any)}; ÷ units × layers ${show(product)} (− default: ${productDiff.text}; "too small" holds ` +
        `below −2 points). Imbalanced (9s at 10 %): drop in balanced test accuracy, ED − ` +
        `BP: ${points(dropDiff.diff)} ` +
        `points [${points(dropDiff.ci[0])}, ${points(dropDiff.ci[1])}] (ED ${pct(mean(balanced(edBal)))} ` +
        `→ ${pct(mean(balanced(edImb)))}, BP ${pct(mean(balanced(bpBal)))} → ${pct(mean(balanced(bpImb)))}).`,
    };
  },
  'kaneko-mnist'(e) {
    const [c] = e.curves;
    if (!c) return null;
    return {
      passed: [atLeast(c, 0.98)],
      evidence:
        `Test accuracy at each seed's validation-selected epoch: ${show(c)} over ${tests(c).length} ` +
        `seeds (holds if the 95 % interval is at or above 98.0 %; Fujita's EDLA reports ED 97.5 % and BP 98.2 %).`,
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
    evidence:
      `From ${paramOf(eds[0])} to ${paramOf(eds[eds.length - 1])} ${name} (${span}×), ED's epoch time ` +
      `grows ${edGrowth.toFixed(1)}× (${seconds(eds[0]).toFixed(3)} → ${seconds(eds[eds.length - 1]).toFixed(3)} s) ` +
      `and BP's ${bpGrowth.toFixed(1)}×; ED's ` +
      `time ${grows ? 'rises at every step' : 'does not rise at every step'}. "In proportion" holds if ED grows at ` +
      `least half as much as the parameter${
        name === 'units'
          ? '; the second half of the claim (TensorFlow barely ' +
            'changes) is judged as our BP growing less than ED — our BP runs on the same kernels, not on a ' +
            'framework with ' +
            'a large fixed cost per step'
          : ''
      }.`,
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
