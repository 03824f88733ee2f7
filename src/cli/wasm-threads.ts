/**
 * Multi-threaded tfjs-wasm in Node. tfjs ships a threaded SIMD build (XNNPACK on a pthreadpool) but
 * turns it off in Node (tensorflow/tfjs#3830) for two reasons that are both about loading, not about
 * the kernels:
 *
 *  1. Emscripten starts each pthread with `new Worker(blobURL)`, and Node's worker_threads take no
 *     blob: URLs. While the backend initialises we hand worker_threads a Worker that resolves the blob
 *     (node:buffer resolveObjectURL) and evaluates its text — the same pthread bootstrap the browser runs.
 *  2. That bootstrap then `importScripts` the emscripten module from a Blob; in the worker we point it
 *     at the module's own file in the package (wasm-out/tfjs-backend-wasm-threaded-simd.js).
 *
 * And one sizing rule: the backend caps its pool at logical cores / 2 (it assumes two hyper-threads
 * per core), which on a 2-vCPU machine is a single thread. During initialisation the module is told
 * the number of cores we asked threads for, so `threads` threads are really created.
 *
 * Both patches are undone as soon as the backend is up (the pool's workers exist by then), and the
 * workers are unref'd so that they never keep the process alive.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { resolveObjectURL } from 'node:buffer';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** The pthread bootstrap, run as an eval'd worker: the blob's text, then the module from its file. */
const BOOTSTRAP = `const { workerData } = require('worker_threads');
const fs = require('fs');
workerData.bootstrap.text().then((code) => {
  (0, eval)(code);
  globalThis.importScripts = () => (0, eval)(fs.readFileSync(workerData.moduleFile, 'utf8'));
});`;

let requested = 1;

/** Threads for the tfjs wasm backend; takes effect when that backend first initialises. */
export function setWasmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`wasm threads must be a whole number ≥ 1 (got ${threads})`);
  requested = threads;
}

/** The threads the running wasm backend uses (1 before it initialised or when threads are off). */
export function wasmThreads(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}

/**
 * Runs `init` (the first `tf.setBackend('wasm')`) with the threaded build enabled when more than one
 * thread was asked for; a plain call otherwise.
 */
export async function withWasmThreads<T>(init: () => Promise<T>): Promise<T> {
  if (requested <= 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return init();
  }
  const workerThreads = require('node:worker_threads') as { Worker: typeof import('node:worker_threads').Worker };
  const pkg = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const moduleFile = join(pkg, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const NodeWorker = workerThreads.Worker;
  class PthreadWorker extends NodeWorker {
    constructor(file: string | URL, options?: import('node:worker_threads').WorkerOptions) {
      const blob = typeof file === 'string' && file.startsWith('blob:') ? resolveObjectURL(file) : undefined;
      if (blob) super(BOOTSTRAP, { ...options, eval: true, workerData: { bootstrap: blob, moduleFile } });
      else super(file, options);
      this.unref();
    }
  }
  const host = os as { cpus: typeof os.cpus };
  const cpus = host.cpus;
  const reported = cpus();
  workerThreads.Worker = PthreadWorker;
  host.cpus = () => Array.from({ length: Math.max(reported.length, 2 * requested) }, (_, i) => reported[i % reported.length]);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(requested);
  try {
    return await init();
  } finally {
    workerThreads.Worker = NodeWorker;
    host.cpus = cpus;
  }
}
