/**
 * npm run kernels — compiles the fused engine's WebAssembly SIMD kernels (AssemblyScript sources in
 * src/core/fused/kernels/*.ts) with asc into src/core/fused/kernels/generated/wasm.ts (gitignored):
 * the .wasm bytes as base64 strings, two variants per source, both importing their memory as
 * env.memory —
 *   plain:  an ordinary memory (one thread), needs WebAssembly SIMD only;
 *   shared: a shared memory of at most SHARED_MAX_PAGES pages (kernel threads, kernel-pool.ts).
 * Every npm script that type-checks, bundles, tests or runs the core calls this first, and the Vite
 * config calls buildKernels() too (vite, vite build, vitest, Playwright's web server). It is a no-op
 * (≈10 ms) while the generated file's recorded input hash matches the sources, this script and the
 * compiler's version; a build takes about a second.
 *
 *   node scripts/build-kernels.mjs [--force] [--wat]   (--wat: also the text format, generated/*.wat)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src/core/fused/kernels');
const OUT = join(SRC, 'generated');
const OUT_FILE = join(OUT, 'wasm.ts');

/** Pages (64 KiB) a shared kernel memory may grow to: 1 GiB (the shared variants' declared maximum). */
export const SHARED_MAX_PAGES = 16384;

/** Each source and the functions its module must export (nothing else). */
const KERNELS = {
  mlp: ['gemm', 'tanh', 'relu', 'dtanh', 'drelu', 'dsigmoid'],
  nmf: ['weightsKL', 'weightsIS', 'update', 'updateTiny', 'sqDiff'],
  gram: ['syrk64'],
};

// Release build, no runtime (the kernels never allocate), memory imported and not re-exported.
const COMMON = ['-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--noExportMemory', '--enable', 'simd'];
const VARIANTS = {
  plain: COMMON,
  shared: [...COMMON, '--enable', 'threads', '--sharedMemory', '--maximumMemory', String(SHARED_MAX_PAGES)],
};

function ascVersion() {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('assemblyscript/package.json'), 'utf8')).version;
}

function inputHash() {
  const h = createHash('sha256');
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  h.update(ascVersion());
  for (const name of Object.keys(KERNELS)) h.update(readFileSync(join(SRC, `${name}.ts`)));
  return h.digest('hex').slice(0, 32);
}

/** The top-level section ids of a module. */
function sectionIds(bytes) {
  const ids = [];
  let i = 8;
  while (i < bytes.length) {
    ids.push(bytes[i++]);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++];
      size |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    i += size;
  }
  return ids;
}

/**
 * A kernel module must import env.memory only, export exactly its kernels, and have no data, start
 * or global section: every thread instantiates it over the same shared memory, so an instance must
 * never write anything by itself (a data segment would overwrite the caller's arrays), and a kernel
 * must never allocate (the runtime's heap pointer would be a global).
 */
function check(name, variant, bytes) {
  const mod = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}:${i.kind}`);
  const exports = WebAssembly.Module.exports(mod).map((e) => `${e.name}:${e.kind}`);
  const want = KERNELS[name].map((f) => `${f}:function`);
  const bad = sectionIds(bytes).filter((id) => id === 6 || id === 8 || id === 11 || id === 12);
  if (imports.join() !== 'env.memory:memory' || exports.sort().join() !== want.sort().join() || bad.length)
    throw new Error(`kernels/${name}.ts (${variant}): unexpected module shape — imports ${imports.join(', ')}; exports ${exports.join(', ')}; sections ${bad.join(', ')}`);
}

async function compile(name, flags, wat) {
  const { default: asc } = await import('assemblyscript/asc');
  const files = {};
  const errors = [];
  const { error } = await asc.main([join(SRC, `${name}.ts`), '--outFile', 'out.wasm', ...(wat ? ['--textFile', 'out.wat'] : []), ...flags], {
    stdout: { write: () => true },
    stderr: { write: (s) => (errors.push(String(s)), true) },
    writeFile: (file, contents) => void (files[file] = contents),
  });
  if (error || !files['out.wasm']) throw new Error(`asc failed on kernels/${name}.ts: ${error?.message ?? ''}\n${errors.join('')}`);
  return { bytes: files['out.wasm'], text: files['out.wat'] };
}

/** Writes `path` whole or not at all (other processes may be reading it). */
function writeAtomic(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Builds the generated module unless it is up to date (`force`: always); returns whether it built. */
export async function buildKernels({ force = false, wat = false, quiet = false } = {}) {
  const hash = inputHash();
  const stamp = `// inputs ${hash}`;
  if (!force && !wat) {
    try {
      if (readFileSync(OUT_FILE, 'utf8').split('\n', 2)[1] === stamp) return false;
    } catch {
      // not built yet
    }
  }
  const t0 = performance.now();
  mkdirSync(OUT, { recursive: true });
  const lines = [
    '// Generated by scripts/build-kernels.mjs (npm run kernels) from src/core/fused/kernels/*.ts: do not edit.',
    stamp,
    '',
    '/** Pages (64 KiB) a shared kernel memory may grow to: 1 GiB (the shared variants\' declared maximum). */',
    `export const SHARED_MAX_PAGES = ${SHARED_MAX_PAGES};`,
    '',
    '/** Each kernel module as base64 .wasm: `plain` imports an ordinary memory as env.memory, `shared` a shared one. */',
    'export const KERNEL_WASM = {',
  ];
  for (const name of Object.keys(KERNELS)) {
    lines.push(`  ${name}: {`);
    for (const [variant, flags] of Object.entries(VARIANTS)) {
      const { bytes, text } = await compile(name, flags, wat);
      check(name, variant, bytes);
      if (wat) writeFileSync(join(OUT, `${name}.${variant}.wat`), text);
      lines.push(`    ${variant}: '${Buffer.from(bytes).toString('base64')}',`);
    }
    lines.push('  },');
  }
  lines.push('} as const;', '');
  writeAtomic(OUT_FILE, lines.join('\n'));
  // on stderr: `npm run lab` may pipe its stdout
  if (!quiet) console.error(`kernels: built ${OUT_FILE.slice(ROOT.length + 1)} in ${Math.round(performance.now() - t0)} ms`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildKernels({ force: process.argv.includes('--force'), wat: process.argv.includes('--wat') }).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
