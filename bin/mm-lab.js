#!/usr/bin/env node
/**
 * mm-lab — the lab's command line as a command (package.json "bin"): `npx mm-lab run ex.json > out.json`
 * writes the JSON alone (no npm banner). Builds the WebAssembly kernels if they are missing or stale (a
 * no-op otherwise; messages on stderr), then runs the TypeScript CLI (src/cli/lab.ts) in a child Node
 * with tsx's loader, its stdin/stdout/stderr passed straight through, its exit code and signals too.
 * Needs only what `npm install` puts in node_modules (tsx, assemblyscript).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildKernels } from '../scripts/build-kernels.mjs';

try {
  await buildKernels();
} catch (e) {
  process.stderr.write(`mm-lab: cannot build the WebAssembly kernels (npm run kernels): ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
}

const loader = import.meta.resolve('tsx');
const lab = fileURLToPath(new URL('../src/cli/lab.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', loader, lab, ...process.argv.slice(2)], { stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
child.on('error', (e) => {
  process.stderr.write(`mm-lab: cannot start node: ${e.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // end the way the child ended, so that shells see the signal
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
