#!/usr/bin/env bash
# Tuning driver of ed-columns with the critic (third RL session): critic-tune.sh NAME "SEEDS" EPISODES [rl options...]
# Runs one configuration of `edlearn rl cartpole --agent ed-columns` on tuning seeds (never 11–20), one process at
# a time, niced, and appends one summary line to s3-critic-summary.txt: seeds solved (and within 500 episodes),
# seeds with final mean ≥ 450 and greedy mean ≥ 475, every seed's final mean, greedy mean and first solve, steps/s.
set -euo pipefail
name=$1 seeds=$2 episodes=$3; shift 3
dir=$(cd "$(dirname "$0")" && pwd)
out=()
for s in $seeds; do
  j=$(nice -n 10 node "${EDLEARN_BIN:-$dir/../../../../dist/cli/bin.js}" rl cartpole --agent ed-columns --seed "$s" \
    --episodes "$episodes" --quiet --json "$@")
  out+=("$j")
done
printf '%s\n' "${out[@]}" | node -e '
const rs = require("fs").readFileSync(0, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const f = (x) => x.toFixed(0);
const solved = rs.filter((r) => r.result.solvedAtEpisode !== null);
const by500 = solved.filter((r) => r.result.solvedAtEpisode <= 500).length;
const fin = rs.map((r) => r.result.finalMean100), gr = rs.map((r) => r.result.greedy.mean);
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
console.log(`${process.argv[1]} | n=${rs.length} solved ${solved.length} (≤500: ${by500}) ` +
  `final≥450 ${fin.filter((x) => x >= 450).length} greedy≥475 ${gr.filter((x) => x >= 475).length} ` +
  `| final ${f(mean(fin))} [${fin.map(f).join(" ")}] greedy ${f(mean(gr))} [${gr.map(f).join(" ")}] ` +
  `at [${rs.map((r) => r.result.solvedAtEpisode ?? "-").join(" ")}] sps ${f(mean(rs.map((r) => r.result.stepsPerSecond)))}`);
' "$name | seeds $seeds | $episodes ep | $*" | tee -a "$dir/s3-critic-summary.txt"
