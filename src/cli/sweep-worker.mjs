// A sweep's worker thread starts here: worker threads do not inherit the parent's TypeScript loader
// (tsx) in Node 20, so register it, then load the worker itself (sweep-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker.ts');
