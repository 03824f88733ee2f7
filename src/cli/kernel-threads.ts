/**
 * Helper threads for the fused engine's kernels in Node (src/core/fused/kernel-pool.ts): worker_threads
 * running the pool's plain-JS helper source, unref'd so that they never keep the process alive.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PoolThread, SpawnThread } from '../core/fused/kernel-pool';

export const spawnNodeThread: SpawnThread = (source: string): PoolThread => {
  const worker = new Worker(source, { eval: true });
  worker.unref();
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => void worker.terminate(),
  };
};

/** Threads the fused engine uses by default: one per core the OS gives this process. */
export function defaultKernelThreads(): number {
  return Math.max(1, os.availableParallelism());
}
