/**
 * Datasets read in this process, so that a grid of runs (experiments, sweeps, RL
 * seeds) reads and checks its files once. Node.
 */
import { type Dataset, loadDataDirectory, loadMnist } from './dataset.js';

const datasets = new Map<string, Dataset>();

/** The dataset a task names ('mnist' or a directory), read once per process; none for generated tasks. */
export function loadDataset(config: { task: { kind: string; data: string } }): Dataset | undefined {
  const { kind, data } = config.task;
  return kind === 'xor' || kind === 'parity' ? undefined : datasetAt(data);
}

/** The dataset at `data` ('mnist' or a directory), read once per process. */
export function datasetAt(data: string): Dataset {
  let ds = datasets.get(data);
  if (!ds) {
    ds = data === 'mnist' ? loadMnist() : loadDataDirectory(data);
    datasets.set(data, ds);
  }
  return ds;
}
