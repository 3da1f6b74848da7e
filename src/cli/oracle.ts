/** `edlearn oracle`: Kaneko's XOR / parity protocol over many seeds per hidden width, printed beside his table. */
import { UserError } from '../errors.js';
import { type KanekoCell, ORACLE_HIDDEN, oracleRow, type OracleRow } from '../oracle/kaneko.js';

export interface OracleCommandOptions {
  /** Runs per hidden width (seeds 1 … seeds); default 100, as Kaneko. */
  seeds?: number;
  /** 'xor' (default) or 'parity'. */
  task?: string;
  /** Parity only (xor is 2 bits); default 4. */
  bits?: number;
  json?: boolean;
}

const MAX_SEEDS = 10000;

export function oracleCommand(options: OracleCommandOptions, out: (text: string) => void = console.log): OracleRow[] {
  const task = options.task ?? 'xor';
  if (task !== 'xor' && task !== 'parity') throw new UserError(`oracle --task '${task}': expected xor or parity`);
  const seeds = options.seeds ?? 100;
  if (task === 'xor' && options.bits !== undefined && options.bits !== 2) {
    throw new UserError(
      `oracle --bits ${options.bits}: xor is 2 bits; give --task parity --bits ${options.bits} for parity`,
    );
  }
  const bits = task === 'xor' ? 2 : (options.bits ?? 4);
  if (!(Number.isInteger(bits) && bits >= 2 && bits <= 16))
    throw new UserError(`oracle --bits ${bits}: expected an integer 2…16`);
  if (!(Number.isInteger(seeds) && seeds >= 1 && seeds <= MAX_SEEDS))
    throw new UserError(`oracle --seeds ${seeds}: expected an integer 1…${MAX_SEEDS}`);
  const name = bits === 2 ? 'XOR' : `${bits}-bit parity`;
  if (!options.json) {
    out(
      `Kaneko's protocol on ${name}: preset kaneko, fixed pattern order, online, stop when an epoch's Σ|e| < ` +
        `0.1, at most 10000 epochs; seeds 1–${seeds} per row`,
    );
    out('');
    out(
      '| hidden | ours: mean epochs | ours: timeouts | ours: mean, timeouts as 10000 | Kaneko: mean epochs | ' +
        'Kaneko: timeouts | ours ÷ Kaneko |',
    );
    out('|---:|---:|---:|---:|---:|---:|---:|');
  }
  const rows: OracleRow[] = [];
  for (const hidden of ORACLE_HIDDEN) {
    const row = oracleRow({ bits, seeds, hidden });
    rows.push(row);
    if (!options.json) out(tableLine(row));
  }
  if (options.json) {
    out(
      JSON.stringify({
        event: 'oracle',
        task,
        bits,
        seeds,
        maxEpochs: rows[0].maxEpochs,
        meanEpochs: 'over converged runs; timed-out runs excluded, as in Kaneko',
        rows,
      }),
    );
  } else {
    out('');
    out(
      "mean epochs: over the runs that converged; timed-out runs are excluded, as in Kaneko's table, and counted apart",
    );
    out(
      `(Kaneko: 100 runs per row; X = some runs timed out, no mean given; — = not in his table). Measured ` +
        `with edlearn oracle${task === 'xor' ? '' : ` --task parity --bits ${bits}`} --seeds ${seeds}.`,
    );
  }
  return rows;
}

function tableLine(r: OracleRow): string {
  const k = r.kaneko;
  const ratio = r.meanEpochs !== null && k.mean !== null ? (r.meanEpochs / k.mean).toFixed(2) : '—';
  return (
    `| ${r.hidden} | ${r.meanEpochs === null ? '—' : r.meanEpochs.toFixed(2)} | ${percent(r.timeoutShare)} ` +
    `| ${r.meanWithTimeouts.toFixed(2)} | ` +
    `${k.mean === null ? (k.timeouts === 'some' ? 'X' : '—') : k.mean.toFixed(2)} | ${kanekoTimeouts(k)} | ${ratio} |`
  );
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

function kanekoTimeouts(k: KanekoCell): string {
  if (k.timeouts === null) return '—';
  return k.timeouts === 'some' ? 'some' : percent(k.timeouts / 100);
}
