/**
 * The RL part of the report, from the logs of `edlearn experiment rl` (rl-*.ndjson) only: return against
 * episode on CartPole and greedy validation accuracy against samples on the reward-only MNIST task (mean over
 * seeds, band min–max), and the verdict tables — rendered to HTML for the report and to markdown for the README.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { UserError } from '../errors.js';
import { RL_LOG_FORMAT, type RlEvalRecord, type RlStartEvent, type RlSummary } from '../log/events.js';
import { logFormat, readEvents } from '../log/read.js';
import type { EpisodeRecord } from '../rl/loop.js';
import { renderPng, renderSvg } from './figures.js';
import { escapeHtml, figure, type ReportFigure } from './html.js';
import { summarize, welch } from './stats.js';

export interface RlRunLog {
  start: RlStartEvent;
  episodes: EpisodeRecord[];
  evals: RlEvalRecord[];
  end: RlSummary;
}

/**
 * The runs of every RL log among `paths` (files, or directories of them: their rl-*.ndjson files). With
 * allowPartial, a cut last line is dropped and runs without an end event are left out (the tables need it).
 */
export function readRlLogs(paths: string[], options: { allowPartial?: boolean } = {}): RlRunLog[] {
  const files = paths.flatMap((p) => {
    if (!existsSync(p)) return [];
    if (!statSync(p).isDirectory()) return [p];
    return readdirSync(p).filter((f) => f.startsWith('rl-') && f.endsWith('.ndjson')).sort().map((f) => join(p, f));
  });
  return files.flatMap((f) => {
    const text = readFileSync(f, 'utf8');
    return logFormat(text) === RL_LOG_FORMAT ? parseRlLog(text, f, options.allowPartial ?? false) : [];
  });
}

const RERUN = 're-run edlearn experiment rl';
const PARTIAL_FIX = `${RERUN}, or pass --allow-partial to report the finished runs only`;

function parseRlLog(text: string, name: string, allowPartial: boolean): RlRunLog[] {
  const runs = new Map<string, Partial<RlRunLog> & { episodes: EpisodeRecord[]; evals: RlEvalRecord[] }>();
  const { events } = readEvents(text, {
    where: `report: ${name}`, fix: `the RL log is corrupt — ${RERUN}`, events: ['start', 'episode', 'eval', 'end'], allowPartial, partialFix: PARTIAL_FIX,
  });
  for (const { fields: e, line } of events) {
    const id = String(e.run);
    const run = runs.get(id);
    if (e.event === 'start') runs.set(id, { start: e as unknown as RlStartEvent, episodes: [], evals: [] });
    else if (!run) throw new UserError(`report: ${name}:${line}: ${e.event} event for run '${id}' before its start; ${RERUN}`);
    else if (e.event === 'episode') run.episodes.push(e as unknown as EpisodeRecord);
    else if (e.event === 'eval') run.evals.push(e as unknown as RlEvalRecord);
    else run.end = e as unknown as RlSummary;
  }
  const unfinished = [...runs.values()].find((r) => !r.end);
  if (unfinished && !allowPartial) throw new UserError(`report: ${name}: run '${unfinished.start?.run}' has no end event (an interrupted run); ${PARTIAL_FIX}`);
  return [...runs.values()].filter((r) => r.end) as RlRunLog[];
}

const AGENTS = ['ed-dqn', 'ed-columns', 'bp-dqn'];
const byAgent = (runs: RlRunLog[]) => AGENTS.map((a) => ({ agent: a, runs: runs.filter((r) => r.start.config.agent === a) })).filter((g) => g.runs.length > 0);
const ofEnv = (runs: RlRunLog[], env: string) => runs.filter((r) => r.start.config.env === env);
const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const meanSd = (values: number[], digits = 1, unit = '') => {
  if (values.length === 0) return '—';
  const s = summarize(values);
  return values.length < 2 ? `${fmt(s.mean, digits)}${unit}` : `${fmt(s.mean, digits)} ± ${fmt(s.sd, digits)}${unit}`;
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

export interface Table {
  caption: string;
  head: string[];
  rows: string[][];
}

/** The verdict tables: CartPole (solved seeds, episodes to solve) and reward-only MNIST (greedy test accuracy). */
export function rlTables(runs: RlRunLog[]): Table[] {
  const tables: Table[] = [];
  const cart = byAgent(ofEnv(runs, 'cartpole'));
  if (cart.length > 0) {
    const budget = [...new Set(cart.flatMap((g) => g.runs.map((r) => (r.start.config.episodes ?? 0).toLocaleString('en-US'))))].join(' / ');
    tables.push({
      caption: `CartPole-v1, ${budget} episodes per seed: solved = the mean return of 100 consecutive episodes reaches 475 (the target for ed-dqn: ≥ 3 of 5 seeds).`,
      head: ['agent', 'seeds solved', 'episodes to solve, mean ± sd (solved seeds)', 'episode solved, per seed', 'seconds to solve, per seed', 'best mean of 100, mean ± sd', 'steps/s (median)'],
      rows: cart.map(({ agent, runs: rs }) => {
        const solved = rs.filter((r) => r.end.solvedAtEpisode !== null);
        const at = (r: RlRunLog) => r.episodes.find((e) => e.episode === r.end.solvedAtEpisode)?.seconds;
        return [agent, `${solved.length} / ${rs.length}`, meanSd(solved.map((r) => r.end.solvedAtEpisode!), 0),
          rs.map((r) => `${r.start.config.seed}: ${r.end.solvedAtEpisode ?? '—'}`).join(', '),
          rs.map((r) => (at(r) === undefined ? '—' : fmt(at(r)!))).join(', '),
          meanSd(rs.map((r) => r.end.bestMean100)), String(Math.round(median(rs.map((r) => r.end.stepsPerSecond))))];
      }),
    });
  }
  const mnist = byAgent(ofEnv(runs, 'mnist'));
  if (mnist.length > 0) {
    const pct = (v: number[]) => meanSd(v.map((x) => x * 100), 2, ' %');
    const acc = (rs: RlRunLog[]) => rs.map((r) => r.end.accuracy ?? NaN);
    tables.push({
      caption: 'Reward-only MNIST, one pass over the training images (the validation images held out): greedy accuracy, test images read once after training (the target for ed-columns: ≥ 90 %).',
      head: ['agent', 'seeds', 'greedy test accuracy, mean ± sd [95 % CI]', 'per seed', 'greedy validation accuracy', 'training s (median)'],
      rows: mnist.map(({ agent, runs: rs }) => {
        const s = summarize(acc(rs).map((x) => x * 100));
        return [agent, String(rs.length), `${pct(acc(rs))} [${fmt(s.ci[0], 2)}, ${fmt(s.ci[1], 2)}]`, acc(rs).map((x) => fmt(x * 100, 2)).join(', '),
          pct(rs.map((r) => r.end.validationAccuracy ?? NaN)), fmt(median(rs.map((r) => r.end.trainSeconds)))];
      }),
    });
    const bp = mnist.find((g) => g.agent === 'bp-dqn');
    const compare = mnist.filter((g) => g.agent !== 'bp-dqn' && bp && g.runs.length > 1 && bp.runs.length > 1);
    if (bp && compare.length > 0) {
      tables.push({
        caption: 'Reward-only MNIST: each ED agent minus bp-dqn, greedy test accuracy (Welch, 95 % CI).',
        head: ['comparison', 'difference (points)', '95 % CI', 'p'],
        rows: compare.map((g) => {
          const d = welch(acc(g.runs).map((x) => x * 100), acc(bp.runs).map((x) => x * 100));
          return [`${g.agent} − bp-dqn`, fmt(d.diff, 2), `[${fmt(d.ci[0], 2)}, ${fmt(d.ci[1], 2)}]`, d.p < 0.001 ? '< 0.001' : fmt(d.p, 3)];
        }),
      });
    }
  }
  return tables;
}

export function rlMarkdown(runs: RlRunLog[]): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  return rlTables(runs).map((t) => [`*${t.caption}*`, '', `| ${t.head.map(cell).join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')).join('\n\n');
}

const WIDTH = 470;
const HEIGHT = 260;

/** Mean line and min–max band over seeds of y(x), one colour per agent. */
function bandChart(rows: { agent: string; x: number; mean: number; min: number; max: number }[], x: string, y: string, yFormat: string, threshold?: number): TopLevelSpec {
  const xAxis = { field: 'x', type: 'quantitative' as const, title: x, axis: { format: ',d' } };
  const rule = threshold === undefined ? [] : [{ data: { values: [{ t: threshold }] }, mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#888' }, encoding: { y: { field: 't', type: 'quantitative' as const } } }];
  return {
    width: WIDTH, height: HEIGHT, background: 'white', data: { values: rows },
    config: { font: 'DejaVu Sans, Helvetica, Arial, sans-serif', view: { stroke: null }, legend: { orient: 'bottom', direction: 'horizontal' } },
    resolve: { legend: { color: 'independent' } },
    // x on the two data layers only, so that the threshold's rule spans the whole plot.
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { x: xAxis, y: { field: 'min', type: 'quantitative', title: y, scale: { zero: false }, axis: { format: yFormat } }, y2: { field: 'max' }, color: { field: 'agent', type: 'nominal', sort: AGENTS, legend: null } } },
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { x: xAxis, y: { field: 'mean', type: 'quantitative' }, color: { field: 'agent', type: 'nominal', sort: AGENTS, title: null } } },
      ...rule,
    ],
  };
}

/** Per agent and x, the mean, min and max over seeds of the values at x. */
function spread(groups: { agent: string; series: Map<number, number>[] }[]): { agent: string; x: number; mean: number; min: number; max: number }[] {
  return groups.flatMap(({ agent, series }) => {
    const xs = [...new Set(series.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
    return xs.flatMap((x) => {
      const v = series.map((s) => s.get(x)).filter((n): n is number => n !== undefined);
      return v.length === series.length ? [{ agent, x, mean: v.reduce((a, b) => a + b, 0) / v.length, min: Math.min(...v), max: Math.max(...v) }] : [];
    });
  });
}

export function rlFigures(runs: RlRunLog[]): { caption: string; spec: TopLevelSpec; stem: string }[] {
  const figures = [];
  const cart = byAgent(ofEnv(runs, 'cartpole'));
  if (cart.length > 0) {
    // Every 10th episode's mean of the last 100 returns: the curve the solved criterion reads.
    const rows = spread(cart.map(({ agent, runs: rs }) => ({ agent, series: rs.map((r) => new Map(r.episodes.filter((e) => e.episode % 10 === 0).map((e) => [e.episode, e.mean100]))) })));
    figures.push({ stem: 'rl-cartpole', caption: 'CartPole-v1: mean return of the last 100 episodes against episodes; line = mean over seeds, band = min–max over seeds (dashed: 475, solved).', spec: bandChart(rows, 'episode', 'mean return of the last 100 episodes', ',d', 475) });
  }
  const mnist = byAgent(ofEnv(runs, 'mnist'));
  if (mnist.length > 0) {
    const rows = spread(mnist.map(({ agent, runs: rs }) => ({ agent, series: rs.map((r) => new Map(r.evals.map((e) => [e.episode, e.validationAccuracy]))) })));
    figures.push({ stem: 'rl-mnist', caption: 'Reward-only MNIST: greedy validation accuracy against training images seen (one per episode, reward only); line = mean over seeds, band = min–max.', spec: bandChart(rows, 'training images (episodes)', 'greedy validation accuracy', '.0%') });
  }
  return figures;
}

/** Renders the RL section into `dir` (figures/rl-*.svg and .png) and returns its HTML; empty without RL logs. */
export async function renderRlSection(logs: string[], dir: string, options: { allowPartial?: boolean } = {}): Promise<{ html: string; figures: string[] }> {
  const runs = readRlLogs(logs, options);
  if (runs.length === 0) return { html: '', figures: [] };
  const figures: ReportFigure[] = [];
  for (const f of rlFigures(runs)) {
    const svg = await renderSvg(f.spec);
    writeFileSync(join(dir, 'figures', `${f.stem}.svg`), svg);
    writeFileSync(join(dir, 'figures', `${f.stem}.png`), renderPng(svg));
    figures.push({ caption: f.caption, svg, png: `figures/${f.stem}.png` });
  }
  const tables = rlTables(runs).map((t) => `<p class="meta">${escapeHtml(t.caption)}</p><table>\n<thead><tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n<tbody>\n`
    + t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n') + '\n</tbody>\n</table>');
  const html = ['<section id="exp-rl">', '<h2>Reinforcement learning <small>(rl)</small></h2>',
    '<p class="note">ED as reinforcement learning (issue 13): ed-dqn (one ED network per action, TD targets as the amine), ed-columns (Kaneko\'s competing columns, reward as the amine, no value function) and bp-dqn (the same DQN loop with backprop). Settings are the defaults of edlearn rl, chosen on training returns and validation accuracy; the test images are read once per run.</p>',
    ...figures.map((f, i) => figure(f, `rl-${i + 1}`)), ...tables, '</section>'].join('\n');
  return { html, figures: figures.map((f) => f.png.replace(/\.png$/, '.svg')) };
}
