/**
 * zod v4 probes `new Function('')` to decide whether it may JIT-compile object parsers; under the page's
 * CSP (no 'unsafe-eval') that probe is reported as a CSP violation. Turn the JIT off before any schema
 * parses. Imported first by main.tsx.
 */
import { z } from 'zod';

z.config({ jitless: true });
