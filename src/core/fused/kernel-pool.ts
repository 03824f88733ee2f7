/**
 * Helper threads for the fused engine's WebAssembly kernels: each helper instantiates the gemm and NMF
 * kernel modules over the same shared memory as the calling thread and runs lists of kernel calls
 * that the caller writes into a shared control block, while the caller runs its own share. Kernel
 * calls only — no JS math runs on a helper — so a split of rows between threads gives bit-identical
 * results (every output entry is computed by the same instructions in the same order).
 *
 * Synchronisation: Atomics.wait / notify on the control block (≈10 µs against ≈1 ms of work per
 * call list). The caller blocks in Atomics.wait, so it must be a worker or Node's main thread — never
 * a browser page's main thread. How a thread is started is the host's business (`SpawnThread`:
 * worker_threads in Node, src/cli/kernel-threads.ts); core only supplies the thread's source.
 */
import { nmfKernelModule } from './nmf-wasm-kernels';
import { wasmKernelModule } from './wasm-kernels';

/** A started helper: `post` delivers its one init message; `terminate` stops it. */
export interface PoolThread {
  post(message: unknown): void;
  terminate(): void;
}
/** Starts a thread running `source` (plain JS, see HELPER_SOURCE) that accepts one message. */
export type SpawnThread = (source: string) => PoolThread;

/** Kernel ids in a call list: [id, up to 10 i32 arguments]. */
export const KERNEL = { gemm: 0, weightsKL: 1, weightsIS: 2, sqDiff: 3 } as const;
export type KernelCall = [id: number, ...args: number[]];

const MAX_CALLS = 4096;
const CALL_INTS = 11;
/** Control block: [0] request generation (−1: stop), [1] done generation, [2] call count, then the calls. */
const HEADER = 3;
/** How long the caller waits for a helper before giving up on it (a helper never takes this long). */
const TIMEOUT_MS = 30_000;

/** The helper thread's program: plain JS, so any host can start it from a string. */
export const HELPER_SOURCE = `'use strict';
function start(init) {
  const c = new Int32Array(init.control);
  const env = { env: { memory: init.memory } };
  const g = new WebAssembly.Instance(init.modules[0], env).exports;
  const k = new WebAssembly.Instance(init.modules[1], env).exports;
  const fns = [g.gemm, k.weightsKL, k.weightsIS, k.sqDiff];
  let gen = 0;
  for (;;) {
    Atomics.wait(c, 0, gen);
    gen = Atomics.load(c, 0);
    if (gen < 0) return;
    const n = c[2];
    for (let i = 0, o = ${HEADER}; i < n; i++, o += ${CALL_INTS})
      fns[c[o]](c[o + 1], c[o + 2], c[o + 3], c[o + 4], c[o + 5], c[o + 6], c[o + 7], c[o + 8], c[o + 9], c[o + 10]);
    Atomics.store(c, 1, gen);
    Atomics.notify(c, 1);
  }
}
if (typeof require === 'function') require('worker_threads').parentPort.once('message', start);
else self.onmessage = (e) => start(e.data);
`;

export class KernelPool {
  private readonly controls: Int32Array[];
  private readonly threads: PoolThread[];
  private gen = 0;
  private closed = false;

  /** `helpers` threads over `memory` (shared); throws where shared WebAssembly memory is unavailable. */
  constructor(
    readonly memory: WebAssembly.Memory,
    readonly helpers: number,
    spawn: SpawnThread,
  ) {
    const modules = [wasmKernelModule(true), nmfKernelModule(true)];
    if (!modules[0] || !modules[1] || !(memory.buffer instanceof SharedArrayBuffer)) throw new Error('kernel threads need shared WebAssembly memory');
    this.controls = [];
    this.threads = [];
    for (let h = 0; h < helpers; h++) {
      const control = new SharedArrayBuffer(4 * (HEADER + CALL_INTS * MAX_CALLS));
      this.controls.push(new Int32Array(control));
      const t = spawn(HELPER_SOURCE);
      t.post({ memory, modules, control });
      this.threads.push(t);
    }
  }

  /** Runs `calls[h]` on helper h while `here` runs on this thread; returns when all are done. */
  run(calls: KernelCall[][], here: () => void): void {
    if (this.closed) throw new Error('the kernel pool was closed');
    const gen = ++this.gen;
    calls.forEach((list, h) => {
      if (list.length > MAX_CALLS) throw new Error(`at most ${MAX_CALLS} kernel calls per helper`);
      const c = this.controls[h];
      c[2] = list.length;
      list.forEach((call, i) => c.set(call, HEADER + i * CALL_INTS));
      Atomics.store(c, 0, gen);
      Atomics.notify(c, 0);
    });
    here();
    calls.forEach((_, h) => {
      const c = this.controls[h];
      const t0 = Date.now();
      for (let done = Atomics.load(c, 1); done !== gen; done = Atomics.load(c, 1)) {
        if (Date.now() - t0 > TIMEOUT_MS) throw new Error('a kernel thread stopped responding');
        Atomics.wait(c, 1, done, 1000);
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.controls) {
      Atomics.store(c, 0, -1);
      Atomics.notify(c, 0);
    }
    for (const t of this.threads) t.terminate();
  }
}
