// Entry of ocr.ts's worker process: registers tsx's TypeScript loader in this thread, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./ocr-worker.ts');
// the parent going away ends the worker
process.on('disconnect', () => process.exit(0));
