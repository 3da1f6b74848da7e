/**
 * The memory rate the online first layer can hope for: each sample reads its rows of the stacked W⁺ + W⁻ once
 * (forward) and reads and writes them once more (update), one multiply-add per float moved, so it is bound by
 * moving floats, not by multiply-adds. A streaming x += y over arrays of one band's size (the working set a thread
 * runs a sequence on) gives the machine's rate for that working set.
 */
import type { Backend } from '../kernels/backend.js';
import { timeIt } from './stats.js';

export interface StreamResult {
  backend: string;
  /** Size of each of x and y. */
  megabytes: number;
  /** Bytes read and written per second (two reads and one write per float). */
  gbPerSecond: number;
}

export function benchStream(be: Backend, floats: number): StreamResult {
  const x = be.alloc(floats);
  const y = be.alloc(floats);
  y.fill(1e-30);
  const { seconds } = timeIt(() => be.add(x, x, y, floats));
  return { backend: be.name, megabytes: (floats * 4) / 2 ** 20, gbPerSecond: (3 * floats * 4) / seconds / 1e9 };
}
