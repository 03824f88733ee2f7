/// <reference lib="webworker" />
/**
 * A headless sweep worker (ui/sweep-workers.ts starts up to hardwareConcurrency − 1 of them): each
 * message is one point (./sweep-point-run.ts), answered with `done` (or `error`), and `progress` at
 * most every 100 ms while it folds. No session, no tfjs: the cpu engine only.
 */
import '../core/zod-setup'; // first: zod's JIT is decided when schemas are built
import { runSweepPoint, type SweepPointRequest } from './sweep-point-run';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<SweepPointRequest>) => {
  const { id, index } = e.data;
  let last = 0;
  const reply = runSweepPoint(e.data, (t) => {
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    self.postMessage({ type: 'progress', id, index, t });
  });
  self.postMessage(reply);
};
