/** `edlearn rl <env>`: trains an agent (or plays a saved one greedily) and prints the summary. */
import { UserError } from '../errors.js';
import { AtomicLineWriter, checkDistinctOutputs, checkOutputPath, readInputFile, writeFileAtomic } from '../io.js';
import { RL_LOG_FORMAT } from '../log/events.js';
import { checkLogTarget, checkModelTarget, existingLog } from '../outputs.js';
import { getBackend } from '../kernels/index.js';
import { summarize } from '../report/stats.js';
import { agentFromBytes, agentToBytes } from '../rl/agent-file.js';
import { type RlInput, unusedRlOptions } from '../rl/config.js';
import { ENV_NAMES, type EnvName } from '../rl/env.js';
import { envSeed, greedyAccuracy, playGreedy } from '../rl/loop.js';
import { buildEnv, type RlOutcome, runRl } from '../rl/run.js';
import { createRlProgress } from './progress.js';

export interface RlCommandOptions extends Omit<RlInput, 'env'> {
  log?: string;
  save?: string;
  /** An agent file to play instead of training one (with greedy). */
  load?: string;
  greedy?: boolean;
  json?: boolean;
  quiet?: boolean;
  /** --log names a log of other runs: add this run to it, or replace it. */
  append?: boolean;
  force?: boolean;
}

export function rlCommand(envName: string, options: RlCommandOptions, out: (text: string) => void = console.log): void {
  if (!(ENV_NAMES as readonly string[]).includes(envName))
    throw new UserError(`rl: unknown environment '${envName}'; expected one of ${ENV_NAMES.join(', ')}`);
  const env = envName as EnvName;
  const { log, save, load, greedy, json, quiet, append, force, ...input } = options;
  if (load !== undefined) return playCommand(env, load, options, out);
  if (greedy)
    throw new UserError('rl: --greedy plays a saved agent; give --load FILE with it (training always explores)');
  checkDistinctOutputs({ log, save });
  for (const path of [log, save]) if (path !== undefined) checkOutputPath(path);
  const mode = checkLogTarget(log, RL_LOG_FORMAT, { append, force });
  if (save !== undefined && !force) checkModelTarget(save);
  // --append: the file is rewritten whole with its old lines first, like any log
  // (a run interrupted leaves it as it was).
  const writer = log && mode === 'append' ? new AtomicLineWriter(log) : null;
  if (writer) for (const line of existingLog(log!).split('\n')) if (line.trim() !== '') writer.writeLine(line);
  for (const note of unusedRlOptions({ ...input, env })) process.stderr.write(`edlearn: warning: ${note}\n`);
  const progress = createRlProgress(process.stderr, quiet || json);
  let outcome: RlOutcome;
  try {
    outcome = runRl(
      { ...input, env },
      {
        ...(writer ? { writer } : { log }),
        onStart: (n) => progress.start(n),
        onEpisode: (e) => progress.onEpisode(e),
        onEval: (e) => progress.onEval(e),
      },
    );
  } catch (err) {
    writer?.abort();
    throw err;
  } finally {
    progress.stop();
  }
  writer?.close();
  const { header: h, result: r, agent } = outcome;
  if (save) writeFileAtomic(save, agentToBytes(agent, h.config, h.backend, h.env, r));
  if (json) {
    out(JSON.stringify({ ...h, event: 'summary', result: r, model: save }));
    return;
  }
  out(
    `edlearn ${h.version} · ${h.config.agent} · ${h.env.name} · ${h.env.features} features ` +
      `(${h.env.encoding}) · ${h.parameters} parameters · backend ${h.backend} · seed ${h.config.seed}`,
  );
  out(
    `${r.episodes} episodes · ${r.steps} steps · ${r.trainSeconds.toFixed(2)} s ` +
      `· ${Math.round(r.stepsPerSecond)} steps/s`,
  );
  if (r.accuracy !== undefined)
    out(
      `greedy accuracy: validation ${pct(r.validationAccuracy)} · test ${pct(r.accuracy)} (test images read ` +
        `once, after training)`,
    );
  else {
    out(
      `solved (mean of 100 ≥ ${h.env.solvedAt ?? '—'}) at episode ${r.solvedAtEpisode ?? '— (not solved)'} · ` +
        `final mean of 100 ${r.finalMean100.toFixed(1)} · best ${r.bestMean100.toFixed(1)}`,
    );
    out(
      `greedy (ε = 0, ${r.greedy.episodes} episodes on their own seed stream): ` +
        `mean ${r.greedy.mean.toFixed(1)} · min ${r.greedy.min.toFixed(0)}`,
    );
  }
  out(`mean |w| ${r.weights.start.toFixed(4)} at the start, ${r.weights.end.toFixed(4)} at the end`);
  if (log) out(`log written to ${log}`);
  if (save) out(`agent written to ${save}`);
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(2)} %`);

/** --load FILE --greedy: the saved agent plays without exploring or learning. */
function playCommand(env: EnvName, file: string, options: RlCommandOptions, out: (text: string) => void): void {
  if (!options.greedy)
    throw new UserError(
      'rl: --load plays a saved agent greedily (training a loaded agent further is not supported); add --greedy',
    );
  if (options.save !== undefined || options.log !== undefined)
    throw new UserError('rl: --load --greedy only plays; drop --save and --log');
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(file, '--load');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `--load: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); give a file ` +
        `written by edlearn rl --save`,
    );
  }
  const { header, agent } = agentFromBytes(bytes, file, getBackend(options.backend ?? 'auto'));
  if (header.config.env !== env)
    throw new UserError(
      `--load: ${file} is an agent for ${header.config.env}, not ${env}; run edlearn rl ${header.config.env} ` +
        `--load ${file} --greedy`,
    );
  const built = buildEnv({ ...header.config, data: options.data ?? header.config.data });
  const seed = options.seed ?? 1;
  if (built.task) {
    const accuracy = greedyAccuracy(agent.columns, built.task.test, built.task.scale);
    if (options.json)
      out(JSON.stringify({ event: 'play', agent: header.config.agent, env: header.env.name, result: { accuracy } }));
    else
      out(
        `${header.config.agent} from ${file} · greedy accuracy on the ${built.task.test.count} test ` +
          `images: ${pct(accuracy)}`,
      );
    return;
  }
  const episodes = options.episodes ?? 100;
  const returns = playGreedy(agent, built.env, built.encoding, episodes, envSeed(seed, 5));
  const s = summarize(returns);
  if (options.json)
    out(
      JSON.stringify({
        event: 'play',
        agent: header.config.agent,
        env: header.env.name,
        seed,
        result: { episodes, meanReturn: s.mean, sd: s.sd, returns },
      }),
    );
  else
    out(
      `${header.config.agent} from ${file} · ${episodes} greedy episodes (seed ${seed}): mean ` +
        `return ${s.mean.toFixed(1)} ± ${s.sd.toFixed(1)} (sd), min ${Math.min(...returns)}, ` +
        `max ${Math.max(...returns)}`,
    );
}
