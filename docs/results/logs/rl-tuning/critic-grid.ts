// Screening grid of ed-columns with the critic on CartPole (third RL session), in one process per grid:
//   npx tsx docs/results/logs/rl-tuning/critic-grid.ts BASE GRID SEEDS EPISODES
// BASE: JSON of `edlearn rl` options every run gets; GRID: JSON {option: [values]} whose product is run; SEEDS:
// tuning seeds "1,2,3" (never 11–20). EDRULE=JSON overrides the ED rule's options (e.g. {"weightDecrement":true}).
// One line per setting: seeds solved, best / final mean of 100, greedy mean, first solve, per seed.
import { PRESETS } from '../../../../src/options/presets.ts';
import { runRl } from '../../../../src/rl/run.ts';

if (process.env.EDRULE) Object.assign(PRESETS.kaneko.rule, JSON.parse(process.env.EDRULE));
const base = JSON.parse(process.argv[2]);
const grid: Record<string, unknown[]> = JSON.parse(process.argv[3]);
const seeds = process.argv[4].split(',').map(Number);
const episodes = Number(process.argv[5]);
let combos: Record<string, unknown>[] = [{}];
for (const [k, values] of Object.entries(grid)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
for (const c of combos) {
  const rs = seeds.map(
    (seed) => runRl({ env: 'cartpole', agent: 'ed-columns', critic: true, seed, episodes, ...base, ...c }).result,
  );
  const f = (x: number) => x.toFixed(0);
  const list = (g: (r: (typeof rs)[number]) => string) => `[${rs.map(g).join(' ')}]`;
  console.log(
    `${JSON.stringify(c)} solved ${rs.filter((r) => r.solvedAtEpisode !== null).length}/${rs.length} ` +
      `best ${list((r) => f(r.bestMean100))} final ${list((r) => f(r.finalMean100))} ` +
      `greedy ${list((r) => f(r.greedy.mean))} at ${list((r) => String(r.solvedAtEpisode ?? '-'))}`,
  );
}
