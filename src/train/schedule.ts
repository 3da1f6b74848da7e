/**
 * The learning-rate schedule of a run, as a factor on α at the start of each epoch (the options are declared in
 * src/options/run.ts): constant (1; ED's per-epoch lrDecay still applies), step (× stepFactor every stepEvery
 * epochs) or cosine (from 1 down towards 0 over the planned epochs). Browser-safe.
 */
export interface LrSchedule {
  kind: 'constant' | 'step' | 'cosine';
  stepEvery: number;
  stepFactor: number;
}

/** The factor on α during epoch `epoch` (0-based) of a run of `epochs` planned epochs. */
export function scheduleFactor(s: LrSchedule, epoch: number, epochs: number): number {
  switch (s.kind) {
    case 'constant':
      return 1;
    case 'step':
      return s.stepFactor ** Math.floor(epoch / s.stepEvery);
    case 'cosine':
      // The midpoint of each epoch on the half cosine, so that the last epoch still learns a little.
      return 0.5 * (1 + Math.cos((Math.PI * Math.min(epoch + 0.5, epochs)) / Math.max(1, epochs)));
  }
}
