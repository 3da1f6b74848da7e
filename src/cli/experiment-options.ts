/** What `edlearn experiment` is given (experiment.ts, and rl-experiment.ts for the RL ones). */
export interface ExperimentCommandOptions {
  logs: string;
  out: string;
  report?: boolean;
  /** Worker processes (default: every core). */
  workers?: number;
  /** Member experiments (mnist-frontier, fashion, width): where their model files and run logs are kept between reruns. */
  work?: string;
  /** fashion: the directory of Fashion-MNIST's four IDX files. */
  data?: string;
  /** Member experiments: run the first n of their seeds only (a machine short of time; the report shows n). */
  seeds?: number;
}
