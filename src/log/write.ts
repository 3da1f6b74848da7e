/**
 * The one writer of NDJSON logs, and the skeleton every run shares: the start event first, the run's events,
 * the end event last. A log file given by path appears whole when the run ends, and not at all when it fails;
 * a shared stream (experiments, sweeps) gets the run's lines as they come. Node: it may write a file.
 */
import { AtomicLineWriter } from '../io.js';
import { VERSION } from '../version.js';
import {
  type ExperimentTag,
  LOG_FORMAT,
  LOG_FORMAT_VERSION,
  RL_LOG_FORMAT,
  RL_LOG_FORMAT_VERSION,
  type StartFields,
} from './events.js';
import { machine } from './machine.js';

/** Where a run's events go, and under which id. */
export interface LogTarget {
  /** NDJSON log path: written whole when the run ends. */
  log?: string;
  /** Or an open NDJSON stream shared by several runs (experiments, sweeps); the caller closes it. */
  writer?: { writeLine(line: string): void };
  /** Id of the run in the log (default: the command's name). */
  runId?: string;
  /** Experiment block recorded in the start event. */
  experiment?: ExperimentTag;
}

type Format = typeof LOG_FORMAT | typeof RL_LOG_FORMAT;
const VERSIONS: Record<Format, number> = { [LOG_FORMAT]: LOG_FORMAT_VERSION, [RL_LOG_FORMAT]: RL_LOG_FORMAT_VERSION };

/** The opening fields of a start event (tag, versions, time, run id, experiment, machine), in the order written. */
export function startFields<F extends Format>(
  format: F,
  target: LogTarget,
  run: string,
): Omit<StartFields<F>, 'backend' | 'parameters'> {
  return {
    event: 'start',
    format,
    formatVersion: VERSIONS[format],
    version: VERSION,
    time: new Date().toISOString(),
    run: target.runId ?? run,
    experiment: target.experiment,
    machine: machine(),
  };
}

/** An open run's log: each event is one line, `{"event": …, "run": …, …record}`. */
export class RunLog {
  constructor(
    private readonly sink: { writeLine(line: string): void } | null,
    readonly run: string,
  ) {}

  event(event: string, record: object): void {
    this.sink?.writeLine(JSON.stringify({ event, run: this.run, ...record }));
  }
}

/**
 * The run-log skeleton of train and rl: writes `header`, runs `body` with the log, writes the end event of the
 * summary it returns, and closes the file; if `body` throws, the file is dropped.
 */
export function withRunLog<T>(
  target: LogTarget,
  header: { run: string },
  body: (log: RunLog) => { end: object; value: T },
): T {
  const file = target.log ? new AtomicLineWriter(target.log) : null;
  const sink = file ?? target.writer ?? null;
  sink?.writeLine(JSON.stringify(header));
  try {
    const log = new RunLog(sink, header.run);
    const { end, value } = body(log);
    log.event('end', end);
    file?.close();
    return value;
  } catch (err) {
    file?.abort();
    throw err;
  }
}
