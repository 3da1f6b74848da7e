/**
 * The tuning table of `edlearn experiment rl-tune` (rl/tune.ts): per environment, every setting of each DQN agent
 * on the tuning seeds, what it measured, and the one the fixed rule chose (the defaults). Markdown for the README.
 */
import { RL_ENVS } from './rl.js';
import type { RlRunLog } from './rl-read.js';
import { summarize } from './stats.js';
import { chooseSetting, TUNE_AGENTS, TUNE_ENVS, TUNE_GRID, TUNE_SETTINGS, type TuneEnv } from '../rl/tune-grid.js';

/** The setting (0-based) of a tuning run, from its curve label "<agent> setting <k>"; null for other runs. */
export function tuneSettingOf(r: RlRunLog): number | null {
  const m = /^rl-tune-/.test(r.start.experiment?.id ?? '')
    ? / setting (\d+)$/.exec(r.start.experiment?.curve ?? '')
    : null;
  return m ? Number(m[1]) - 1 : null;
}

/** The values a run used for the options its setting tunes, "lr 0.03, settleBy held". */
function settingText(r: RlRunLog, env: TuneEnv, k: number): string {
  const c = r.start.config as unknown as Record<string, unknown>;
  const nets = (r.start.config.ed ?? r.start.config.backprop) as unknown as Record<string, unknown> | undefined;
  const keys = Object.keys(TUNE_GRID[env][r.start.config.agent as 'ed-dqn'][k] ?? {});
  return keys.map((key) => `${key} ${String(key in c ? c[key] : nets?.[key])}`).join(', ');
}

const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const meanSd = (v: number[]) => {
  const s = summarize(v);
  return v.length < 2 ? f(s.mean) : `${f(s.mean)} ± ${f(s.sd)}`;
};

const finalOf = (r: RlRunLog) => r.end.finalMean100 ?? r.end.lastMean100;
const perSeed = (r: RlRunLog) =>
  `${r.start.config.seed}: ${f(finalOf(r), 0)} / ${f(r.end.greedy?.mean ?? Number.NaN, 0)}`;

/** One markdown table per tuned environment, or '' when `runs` hold no tuning runs. */
export function rlTuneMarkdown(runs: RlRunLog[]): string {
  const tuning = runs.filter((r) => tuneSettingOf(r) !== null);
  const out: string[] = [];
  for (const env of TUNE_ENVS) {
    const ofEnv = tuning.filter((r) => r.start.config.env === env);
    if (ofEnv.length === 0) continue;
    const meta = RL_ENVS.find((e) => e.env === env)!;
    const seeds = [...new Set(ofEnv.map((r) => r.start.config.seed))].sort((a, b) => a - b);
    const episodes = [...new Set(ofEnv.map((r) => (r.start.config.episodes ?? 0).toLocaleString('en-US')))];
    const ran = TUNE_AGENTS.map((a) => {
      const n = new Set(ofEnv.filter((r) => r.start.config.agent === a).map(tuneSettingOf)).size;
      return `${a} ${n}`;
    });
    out.push(
      `*Tuning on ${meta.name} (\`edlearn experiment rl-tune-${env}\`), ${episodes.join(' / ')} episodes, tuning ` +
        `seeds ${seeds.join(', ')}: the grid gives each agent ${TUNE_SETTINGS[env]} settings; settings run: ` +
        `${ran.join(', ')}. The rule: most seeds whose final mean of 100 reaches ${meta.solved}, then the higher ` +
        `sum of mean greedy and final means. The chosen setting (✓) is the agent's default.*`,
      '',
      '| agent | setting | seeds | final ≥ threshold | solved (≤ 500 episodes) | final mean of 100 | greedy mean | ' +
        'per seed: final / greedy | chosen |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const agent of TUNE_AGENTS) {
      const rs = ofEnv.filter((r) => r.start.config.agent === agent);
      if (rs.length === 0) continue;
      const { scores, chosen } = chooseSetting(
        rs.map((r) => ({
          setting: tuneSettingOf(r)!,
          finalMean100: r.end.finalMean100 ?? r.end.lastMean100,
          greedy: r.end.greedy?.mean ?? Number.NaN,
        })),
        meta.solved,
      );
      const complete = scores.length === TUNE_SETTINGS[env] && scores.every((s) => s.seeds === seeds.length);
      for (const s of scores) {
        const of = rs
          .filter((r) => tuneSettingOf(r) === s.setting)
          .sort((a, b) => a.start.config.seed - b.start.config.seed);
        const solved = of.filter((r) => r.end.solvedAtEpisode !== null);
        out.push(
          `| ${agent} | ${s.setting + 1}: ${settingText(of[0], env, s.setting)} | ${s.seeds} | ${s.held} | ` +
            `${solved.length} (${solved.filter((r) => r.end.solvedAtEpisode! <= 500).length}) | ` +
            `${meanSd(of.map((r) => r.end.finalMean100 ?? r.end.lastMean100))} | ` +
            `${meanSd(of.map((r) => r.end.greedy?.mean ?? Number.NaN))} | ` +
            `${of.map(perSeed).join(', ')} | ` +
            `${s.setting === chosen ? (complete ? '✓' : '✓ (grid not complete)') : ''} |`,
        );
      }
    }
    out.push('');
  }
  return out.join('\n').trim();
}
