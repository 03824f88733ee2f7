/**
 * zod v4 decides whether to JIT-compile an object schema's parser (with `new Function`) when the schema
 * is *constructed*, probing `Function('')` the first time — a CSP violation under the page's
 * `script-src` without 'unsafe-eval'. The algorithm modules build their hyper-parameter schemas at
 * import time, before config.ts's body runs, so `z.config({ jitless: true })` must come first in every
 * entry: src/ui/main.tsx and src/worker/worker.ts import this module before anything else (config.ts
 * sets it too, for Node).
 */
import { z } from 'zod';

z.config({ jitless: true });
