/**
 * The article's experiment ids in the report's order, without reading their sweep files: the command line's help
 * names them, and a module that only names them loads in no time (grids.ts reads the files).
 */
export const EXPERIMENT_IDS = [
  'baseline',
  'units',
  'layers',
  'lr',
  'batch',
  'speed-impl',
  'speed-units',
  'speed-layers',
  'ablations',
  'kaneko-mnist-search',
  'kaneko-mnist-search-2',
  'kaneko-mnist',
] as readonly string[];
