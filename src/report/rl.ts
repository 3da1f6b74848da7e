/**
 * The RL part of the report, from the logs of `edlearn experiment rl` (rl-*.ndjson) only: return against
 * episode on CartPole and greedy validation accuracy against samples on the reward-only MNIST task (mean over
 * seeds, band min–max), and the verdict tables — rendered to HTML for the report and to markdown for the README.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { RlStartEvent } from '../log/events.js';
import { resolveRlConfig } from '../rl/config.js';
import { renderPng, renderSvg } from './figures.js';
import { escapeHtml, figure, type ReportFigure } from './html.js';
import { readRlLogs, type RlRunLog } from './rl-read.js';
import { summarize, welch } from './stats.js';

export { readRlLogs, type RlRunLog } from './rl-read.js';

const AGENTS = ['ed-dqn', 'ed-columns', 'bp-dqn'];
/** Settings a run may change from its agent's defaults: a run that does is its own row ("ed-dqn gamma 0.99"). */
const VARIED = [
  'gamma',
  'lr',
  'double',
  'dueling',
  'failShare',
  'anneal',
  'settle',
  'settleBy',
  'decay',
  'targetPeriod',
  'trainEvery',
  'replay',
  'batch',
  'units',
  'layers',
  'critic',
  'amine',
  'criticLr',
  'criticTrace',
  'noise',
  'encoding',
  'tilings',
  'success',
  'trace',
  'traceDecay',
] as const;

/** The agent and the settings in which a run differs from today's defaults (none: the agent's name alone). */
export function variantLabel(config: RlStartEvent['config']): string {
  const defaults = resolveRlConfig({ env: config.env, agent: config.agent });
  const value = (c: RlStartEvent['config'], k: string) =>
    k === 'lr' || k === 'units' || k === 'layers'
      ? (c.ed ?? c.backprop)?.[k]
      : (c as unknown as Record<string, unknown>)[k];
  const diffs = VARIED.filter((k) => value(config, k) !== undefined && value(config, k) !== value(defaults, k)).map(
    (k) => `${k} ${String(value(config, k))}`,
  );
  return [config.agent, ...diffs].join(' ');
}

const byAgent = (runs: RlRunLog[]) => {
  // Runs of different budgets (tuning) are told apart by their episodes too.
  const budgets = new Set(runs.map((r) => r.start.config.episodes));
  const label = (r: RlRunLog) =>
    variantLabel(r.start.config) + (budgets.size > 1 ? `, ${r.start.config.episodes} episodes` : '');
  const labels = [...new Set(runs.map(label))].sort(
    (a, b) => AGENTS.indexOf(a.split(' ')[0]) - AGENTS.indexOf(b.split(' ')[0]) || a.localeCompare(b),
  );
  return labels.map((l) => ({ agent: l, runs: runs.filter((r) => label(r) === l) }));
};
const ofEnv = (runs: RlRunLog[], env: string) => runs.filter((r) => r.start.config.env === env);
const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const meanSd = (values: number[], digits = 1, unit = '') => {
  if (values.length === 0) return '—';
  const s = summarize(values);
  return values.length < 2 ? `${fmt(s.mean, digits)}${unit}` : `${fmt(s.mean, digits)} ± ${fmt(s.sd, digits)}${unit}`;
};
/** Logs before the persistence fields: the last mean of 100 is the final one; no greedy evaluation. */
const final = (r: RlRunLog) => r.end.finalMean100 ?? r.end.lastMean100;
const greedyMean = (r: RlRunLog) => r.end.greedy?.mean ?? NaN;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

export interface Table {
  caption: string;
  head: string[];
  rows: string[][];
}

/** The episodic environments: name, solved threshold, and the issue's target for ed-dqn. */
export const RL_ENVS = [
  {
    env: 'cartpole',
    name: 'CartPole-v1',
    solved: 475,
    target: 'ed-dqn: solved in ≥ 9 of 10 within 500 episodes, final mean ≥ 450 and greedy mean ≥ 475 in ≥ 8 of 10',
  },
  { env: 'acrobot', name: 'Acrobot-v1', solved: -100, target: 'ed-dqn: solved in ≥ 8 of 10' },
  { env: 'mountaincar', name: 'MountainCar-v0', solved: -110, target: 'reported as measured' },
] as const;

/**
 * The verdict tables: per episodic environment (solved seeds, episodes to solve, final mean of 100, greedy mean,
 * every seed), ED against bp-dqn (Welch) where both ran, and reward-only MNIST (greedy test accuracy).
 */
export function rlTables(runs: RlRunLog[]): Table[] {
  const tables: Table[] = [];
  for (const { env, name, solved: threshold, target } of RL_ENVS) {
    const groups = byAgent(ofEnv(runs, env));
    if (groups.length === 0) continue;
    const budget = [
      ...new Set(groups.flatMap((g) => g.runs.map((r) => (r.start.config.episodes ?? 0).toLocaleString('en-US')))),
    ].join(' / ');
    const seeds = [...new Set(groups.flatMap((g) => g.runs.map((r) => r.start.config.seed)))].sort((a, b) => a - b);
    tables.push({
      caption:
        `${name}, ${budget} episodes per seed, seeds ${seeds.join(', ')}: solved = the mean return of ` +
        `100 consecutive episodes reaches ${threshold}; final = the mean of the last 100 training episodes; greedy = ` +
        `the final agent, ε = 0, 100 episodes on their own seed stream (target: ${target}).`,
      head: [
        'agent',
        'seeds solved (within 500 episodes)',
        'episodes to solve, mean ± sd (solved seeds)',
        'final mean of 100, mean ± sd',
        'greedy mean, mean ± sd',
        'per seed: solved at / final / greedy',
        'mean |w| start → end',
        'steps/s (median)',
      ],
      rows: groups.map(({ agent, runs: rs }) => {
        const solved = rs.filter((r) => r.end.solvedAtEpisode !== null);
        return [
          agent,
          `${solved.length} / ${rs.length} (${solved.filter((r) => r.end.solvedAtEpisode! <= 500).length})`,
          meanSd(
            solved.map((r) => r.end.solvedAtEpisode!),
            0,
          ),
          meanSd(rs.map(final)),
          meanSd(rs.map(greedyMean)),
          rs
            .map(
              (r) =>
                `${r.start.config.seed}: ${r.end.solvedAtEpisode ?? '—'} / ${fmt(final(r), 0)} ` +
                `/ ${fmt(greedyMean(r), 0)}`,
            )
            .join(', '),
          rs[0].end.weights
            ? `${fmt(median(rs.map((r) => r.end.weights!.start)), 3)} ` +
              `→ ${fmt(median(rs.map((r) => r.end.weights!.end)), 3)}`
            : '—',
          String(Math.round(median(rs.map((r) => r.end.stepsPerSecond)))),
        ];
      }),
    });
    // The agents at their defaults (a label may carry its budget when the agents' budgets differ).
    const plain = (agent: string) => groups.find((g) => g.agent === agent || g.agent.startsWith(`${agent}, `));
    const bp = plain('bp-dqn');
    const ed = plain('ed-dqn');
    if (bp && ed && bp.runs.length > 1 && ed.runs.length > 1) {
      tables.push({
        caption: `${name}: ed-dqn minus bp-dqn (Welch, 95 % CI).`,
        head: ['figure', 'ed-dqn − bp-dqn', '95 % CI', 'p'],
        rows: [
          ['final mean of 100', final],
          ['greedy mean', greedyMean],
        ].map(([label, f]) => {
          const d = welch(ed.runs.map(f as (r: RlRunLog) => number), bp.runs.map(f as (r: RlRunLog) => number));
          return [
            label as string,
            fmt(d.diff),
            `[${fmt(d.ci[0])}, ${fmt(d.ci[1])}]`,
            d.p < 0.001 ? '< 0.001' : fmt(d.p, 3),
          ];
        }),
      });
    }
  }
  const mnist = byAgent(ofEnv(runs, 'mnist'));
  if (mnist.length > 0) {
    const pct = (v: number[]) =>
      meanSd(
        v.map((x) => x * 100),
        2,
        ' %',
      );
    const acc = (rs: RlRunLog[]) => rs.map((r) => r.end.accuracy ?? NaN);
    tables.push({
      caption:
        'Reward-only MNIST, one pass over the training images (the validation images held out): greedy ' +
        'accuracy, test images read once after training (the target for ed-columns: ≥ 90 %).',
      head: [
        'agent',
        'seeds',
        'greedy test accuracy, mean ± sd [95 % CI]',
        'per seed',
        'greedy validation accuracy',
        'training s (median)',
      ],
      rows: mnist.map(({ agent, runs: rs }) => {
        const s = summarize(acc(rs).map((x) => x * 100));
        return [
          agent,
          String(rs.length),
          `${pct(acc(rs))} [${fmt(s.ci[0], 2)}, ${fmt(s.ci[1], 2)}]`,
          acc(rs)
            .map((x) => fmt(x * 100, 2))
            .join(', '),
          pct(rs.map((r) => r.end.validationAccuracy ?? NaN)),
          fmt(median(rs.map((r) => r.end.trainSeconds))),
        ];
      }),
    });
    const bp = mnist.find((g) => g.agent === 'bp-dqn');
    const compare = mnist.filter((g) => g.agent !== 'bp-dqn' && bp && g.runs.length > 1 && bp.runs.length > 1);
    if (bp && compare.length > 0) {
      tables.push({
        caption: 'Reward-only MNIST: each ED agent minus bp-dqn, greedy test accuracy (Welch, 95 % CI).',
        head: ['comparison', 'difference (points)', '95 % CI', 'p'],
        rows: compare.map((g) => {
          const d = welch(
            acc(g.runs).map((x) => x * 100),
            acc(bp.runs).map((x) => x * 100),
          );
          return [
            `${g.agent} − bp-dqn`,
            fmt(d.diff, 2),
            `[${fmt(d.ci[0], 2)}, ${fmt(d.ci[1], 2)}]`,
            d.p < 0.001 ? '< 0.001' : fmt(d.p, 3),
          ];
        }),
      });
    }
  }
  return tables;
}

export function rlMarkdown(runs: RlRunLog[]): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  return rlTables(runs)
    .map((t) =>
      [
        `*${t.caption}*`,
        '',
        `| ${t.head.map(cell).join(' | ')} |`,
        `|${t.head.map(() => '---').join('|')}|`,
        ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
      ].join('\n'),
    )
    .join('\n\n');
}

const WIDTH = 470;
const HEIGHT = 260;

/** Mean line and min–max band over seeds of y(x), one colour per agent. */
function bandChart(
  rows: { agent: string; x: number; mean: number; min: number; max: number }[],
  x: string,
  y: string,
  yFormat: string,
  threshold?: number,
): TopLevelSpec {
  const xAxis = { field: 'x', type: 'quantitative' as const, title: x, axis: { format: ',d' } };
  const rule =
    threshold === undefined
      ? []
      : [
          {
            data: { values: [{ t: threshold }] },
            mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#888' },
            encoding: { y: { field: 't', type: 'quantitative' as const } },
          },
        ];
  return {
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    data: { values: rows },
    config: {
      font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
      view: { stroke: null },
      legend: { orient: 'bottom', direction: 'horizontal' },
    },
    resolve: { legend: { color: 'independent' } },
    // x on the two data layers only, so that the threshold's rule spans the whole plot.
    layer: [
      {
        mark: { type: 'area', opacity: 0.18 },
        encoding: {
          x: xAxis,
          y: { field: 'min', type: 'quantitative', title: y, scale: { zero: false }, axis: { format: yFormat } },
          y2: { field: 'max' },
          color: { field: 'agent', type: 'nominal', sort: AGENTS, legend: null },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: xAxis,
          y: { field: 'mean', type: 'quantitative' },
          color: { field: 'agent', type: 'nominal', sort: AGENTS, title: null },
        },
      },
      ...rule,
    ],
  };
}

/** Per agent and x, the mean, min and max over seeds of the values at x. */
function spread(
  groups: { agent: string; series: Map<number, number>[] }[],
): { agent: string; x: number; mean: number; min: number; max: number }[] {
  return groups.flatMap(({ agent, series }) => {
    const xs = [...new Set(series.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
    return xs.flatMap((x) => {
      const v = series.map((s) => s.get(x)).filter((n): n is number => n !== undefined);
      return v.length === series.length
        ? [{ agent, x, mean: v.reduce((a, b) => a + b, 0) / v.length, min: Math.min(...v), max: Math.max(...v) }]
        : [];
    });
  });
}

export function rlFigures(runs: RlRunLog[]): { caption: string; spec: TopLevelSpec; stem: string }[] {
  const figures = [];
  for (const { env, name, solved } of RL_ENVS) {
    const groups = byAgent(ofEnv(runs, env));
    if (groups.length === 0) continue;
    // Every 10th episode's mean of the last 100 returns: the curve the solved criterion reads.
    const rows = spread(
      groups.map(({ agent, runs: rs }) => ({
        agent,
        series: rs.map(
          (r) => new Map(r.episodes.filter((e) => e.episode % 10 === 0).map((e) => [e.episode, e.mean100])),
        ),
      })),
    );
    figures.push({
      stem: `rl-${env}`,
      caption:
        `${name}: mean return of the last 100 episodes against episodes; line = mean over seeds, band ` +
        `= min–max over seeds (dashed: ${solved}, solved).`,
      spec: bandChart(rows, 'episode', 'mean return of the last 100 episodes', ',d', solved),
    });
  }
  const mnist = byAgent(ofEnv(runs, 'mnist'));
  if (mnist.length > 0) {
    const rows = spread(
      mnist.map(({ agent, runs: rs }) => ({
        agent,
        series: rs.map((r) => new Map(r.evals.map((e) => [e.episode, e.validationAccuracy]))),
      })),
    );
    figures.push({
      stem: 'rl-mnist',
      caption:
        'Reward-only MNIST: greedy validation accuracy against training images seen (one per episode, reward ' +
        'only); line = mean over seeds, band = min–max.',
      spec: bandChart(rows, 'training images (episodes)', 'greedy validation accuracy', '.0%'),
    });
  }
  return figures;
}

/** Renders the RL section into `dir` (figures/rl-*.svg and .png) and returns its HTML; empty without RL logs. */
export async function renderRlSection(
  logs: string[],
  dir: string,
  options: { allowPartial?: boolean } = {},
): Promise<{ html: string; figures: string[] }> {
  const runs = readRlLogs(logs, options);
  if (runs.length === 0) return { html: '', figures: [] };
  const figures: ReportFigure[] = [];
  for (const f of rlFigures(runs)) {
    const svg = await renderSvg(f.spec);
    writeFileSync(join(dir, 'figures', `${f.stem}.svg`), svg);
    writeFileSync(join(dir, 'figures', `${f.stem}.png`), renderPng(svg));
    figures.push({ caption: f.caption, svg, png: `figures/${f.stem}.png` });
  }
  const tables = rlTables(runs).map(
    (t) =>
      `<p class="meta">${escapeHtml(t.caption)}</p><table>\n` +
      `<thead><tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n<tbody>\n` +
      t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n') +
      '\n</tbody>\n</table>',
  );
  const html = [
    '<section id="exp-rl">',
    '<h2>Reinforcement learning <small>(rl)</small></h2>',
    '<p class="note">ED as reinforcement learning (issues 13, 20): ed-dqn (one ED network per action, TD ' +
      "targets as the amine, a value head that cannot saturate), ed-columns (Kaneko's competing columns; on " +
      'Acrobot and MountainCar with an ED critic whose TD error is the amine) and bp-dqn (the same DQN loop with ' +
      'backprop). Settings are the defaults of edlearn rl, chosen on seeds 1–10; the reported seeds are 11–20; the ' +
      'test images are read once per run.</p>',
    ...figures.map((f, i) => figure(f, `rl-${i + 1}`)),
    ...tables,
    '</section>',
  ].join('\n');
  return { html, figures: figures.map((f) => f.png.replace(/\.png$/, '.svg')) };
}
