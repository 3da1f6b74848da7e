/** The machine a run was made on, as every log and bench result records it (Node). */
import { cpus } from 'node:os';
import type { Machine } from './events.js';

export function machine(): Machine {
  const cores = cpus();
  return { cpu: cores[0]?.model ?? 'unknown', cores: cores.length, node: process.version };
}
