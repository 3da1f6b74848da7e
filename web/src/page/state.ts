/** What the page knows of the worker's state, shared by the page's modules. */
import type { Series } from '../chart';
import type { Progress, Settings, ViewInfo } from '../protocol';

/** A finished or abandoned run of this session, drawn faintly behind the current one. */
export interface Ghost {
  label: string;
  points: Series['points'];
}

export const lab = {
  backend: '',
  ed: null as Progress | null,
  bp: null as Progress | null,
  /** The settings of the run in the worker (the form may differ until a new run starts). */
  runSettings: null as Settings | null,
  totalUpdates: 0,
  epochs: 0,
  running: false,
  done: false,
  building: false,
  /** Resets sent whose new run the worker has not announced yet. */
  resets: 0,
  view: null as ViewInfo | null,
  series: { ed: [] as Series['points'], edTrain: [] as Series['points'], bp: [] as Series['points'] },
  ghosts: [] as Ghost[],
  compareBp: false,
  /** The run is on a 2-D dataset (the Draw panel gives way to the decision heat maps). */
  points: false,
  dataReady: false,
  /** Classes of the loaded data, which the digits must name. */
  classes: 10,
};
