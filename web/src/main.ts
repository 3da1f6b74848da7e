/** The lab page's production entry: cross-origin isolation first (isolate.ts), then the page (lab.ts) on its worker. */
import { isolateOrReload } from './isolate';
import { startLab } from './lab';

if (!(await isolateOrReload())) startLab(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));
