/** The lab page's production entry: the page (lab.ts) on the production worker. */
import { startLab } from './lab';

startLab(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));
