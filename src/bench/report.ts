/** The bench's results file (bench/results.json): every measurement, and the targets judged from them. */
import type { KernelResult } from './kernels.js';
import type { TrainingResult } from './training.js';
import type { Ceiling } from './ceiling.js';
import type { EvaluationResult } from './evaluation.js';
import type { StreamResult } from './stream.js';
import type { StartupResult } from './startup.js';
import type { Cutover } from './density.js';
import type { FitResult } from './fit.js';
import type { machine } from './stats.js';

export interface Target {
  target: string;
  value: string;
  /** null: not measurable on this machine (its cores do not scale), said instead of a scaling it cannot give. */
  met: boolean | null;
}

export interface BenchReport {
  format: 'edlearn-bench';
  version: string;
  time: string;
  machineBefore: ReturnType<typeof machine>;
  machineAfter: ReturnType<typeof machine>;
  backends: string[];
  kernels: KernelResult[];
  training: TrainingResult[];
  /** Per training case timed on several threads: the machine's ceiling for that many threads on its kernels. */
  ceilings: ({ case: string; backend: string } & Ceiling)[];
  evaluation: EvaluationResult[];
  /**
   * The streaming rate over one band's working set (the online stacked path's
   * bound, see stream.ts); older reports lack it.
   */
  stream?: StreamResult;
  memory: { case: string; peakRssMB: number } | null;
  /** Fresh `edlearn` processes beside `node -e 0` (startup.ts); older reports lack it. */
  startup?: StartupResult | null;
  /**
   * The first layer's sparse against its dense kernels along a ladder of input
   * densities (density.ts); older reports lack it.
   */
  cutover?: Cutover;
  /** The API's fit against the CLI's trainer on the same epoch (fit.ts); older reports lack it. */
  fit?: FitResult;
  targets: Target[];
}
