/**
 * npm run cli:build — bundles the command line (src/cli/lab.ts, and the sweep's worker thread
 * src/cli/sweep-worker.ts) with esbuild into build/cli/*.mjs (gitignored): one ES module per entry, npm
 * packages left as imports. `bin/mm-lab.js` runs the bundle, so a command starts in about a second
 * instead of the ~4 s that tsx's per-file transpiling on load took (`mm-lab --version`: 4.3 → 1.0 s here).
 *
 * The bundle sits two folders below the root like src/cli/, so the CLI's paths relative to its own
 * module (../../package.json, ../../data/, ./sweep-worker.mjs) mean the same from either place.
 *
 * A no-op (a few ms) while every input esbuild read for the last build is older than the bundle; the
 * inputs are listed in build/cli/inputs.json (esbuild's metafile), with this script and package.json.
 * Build the WebAssembly kernels first (scripts/build-kernels.mjs): the bundle includes them.
 *
 *   node scripts/build-cli.mjs [--force]
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'build/cli');
const INPUTS = join(OUT, 'inputs.json');
const ENTRIES = { lab: 'src/cli/lab.ts', 'sweep-worker': 'src/cli/sweep-worker.ts' };

/** Whether the last build's bundles are newer than every file they were built from. */
function upToDate() {
  if (!existsSync(INPUTS)) return false;
  const builtAt = statSync(INPUTS).mtimeMs;
  for (const name of Object.keys(ENTRIES)) if (!existsSync(join(OUT, `${name}.mjs`))) return false;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return false;
  }
  for (const file of inputs) {
    const p = join(ROOT, file);
    if (!existsSync(p) || statSync(p).mtimeMs > builtAt) return false;
  }
  return true;
}

/** Builds the CLI bundles unless they are up to date; returns the path of the CLI's bundle. */
export async function buildCli({ force = false, quiet = false } = {}) {
  const lab = join(OUT, 'lab.mjs');
  if (!force && upToDate()) return lab;
  const { build } = await import('esbuild');
  const t0 = Date.now();
  mkdirSync(OUT, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = [...Object.keys(result.metafile.inputs), 'scripts/build-cli.mjs', 'package.json', 'package-lock.json'].filter((f) => existsSync(join(ROOT, f)));
  writeFileSync(INPUTS, JSON.stringify(inputs));
  if (!quiet) process.stderr.write(`mm-lab: built the command line into build/cli/ (${Date.now() - t0} ms)\n`);
  return lab;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildCli({ force: process.argv.includes('--force') }).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
    process.exit(1);
  });
}
