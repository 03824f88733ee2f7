#!/usr/bin/env node
/**
 * mm-lab — the lab's command line as a command (package.json "bin"): `npx mm-lab run ex.json > out.json`
 * writes the JSON alone (no npm banner). Builds the WebAssembly kernels and the CLI's bundle if they are
 * missing or stale (no-ops otherwise; messages on stderr), then runs the bundle (build/cli/lab.mjs, from
 * src/cli/lab.ts; scripts/build-cli.mjs) in this process: its exit code and signals are this process's.
 * Needs only what `npm install` puts in node_modules (esbuild, assemblyscript).
 */
import { pathToFileURL } from 'node:url';
import { buildKernels } from '../scripts/build-kernels.mjs';
import { buildCli } from '../scripts/build-cli.mjs';

let lab;
try {
  await buildKernels();
} catch (e) {
  process.stderr.write(`mm-lab: cannot build the WebAssembly kernels (npm run kernels): ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
}
try {
  lab = await buildCli();
} catch (e) {
  process.stderr.write(`mm-lab: cannot build the command line (node scripts/build-cli.mjs): ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
}
await import(pathToFileURL(lab).href);
