#!/usr/bin/env bash
# Tuning driver of the second RL session: tune.sh NAME ENV "SEEDS" EPISODES [edlearn rl options...]
# Runs one configuration on the given tuning seeds (never 11–20), one process at a time, niced; every run's
# episodes go to rl-tuning/s2-NAME.ndjson and a one-line summary per configuration to rl-tuning/s2-summary.txt.
set -euo pipefail
name=$1 env=$2 seeds=$3 episodes=$4; shift 4
dir=$(cd "$(dirname "$0")" && pwd)
log="$dir/s2-$name.ndjson"
rm -f "$log"
out=()
for s in $seeds; do
  j=$(nice -n 10 node "${EDLEARN_BIN:-$dir/../../../../dist/cli/bin.js}" rl "$env" --seed "$s" --episodes "$episodes" --quiet --json \
    --log "$log" --append "$@")
  out+=("$j")
done
printf '%s\n' "${out[@]}" | node -e '
const rs = require("fs").readFileSync(0, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const th = rs[0].env.solvedAt, f = (x) => x.toFixed(0);
const solved = rs.filter((r) => r.result.solvedAtEpisode !== null);
const by500 = rs.filter((r) => r.result.solvedAtEpisode !== null && r.result.solvedAtEpisode <= 500).length;
const fin = rs.map((r) => r.result.finalMean100), gr = rs.map((r) => r.result.greedy.mean);
const hi = th > 0 ? [450, 475] : [th, th];
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
console.log(`${process.argv[1]} n=${rs.length} solved ${solved.length} (≤500: ${by500}) final≥${hi[0]} ` +
  `${fin.filter((x) => x >= hi[0]).length} greedy≥${hi[1]} ${gr.filter((x) => x >= hi[1]).length} ` +
  `final ${f(mean(fin))} [${fin.map(f).join(" ")}] greedy ${f(mean(gr))} [${gr.map(f).join(" ")}] ` +
  `at [${rs.map((r) => r.result.solvedAtEpisode ?? "-").join(" ")}] ` +
  `sps ${f(mean(rs.map((r) => r.result.stepsPerSecond)))}`);
' "$name $env $*" | tee -a "$dir/s2-summary.txt"
