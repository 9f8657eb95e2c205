// Entry of fit.ts's worker thread: registers tsx's TypeScript loader in this thread, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./fit-worker.ts');
