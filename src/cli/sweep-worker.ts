/**
 * A sweep's worker thread: runs the points it is handed, one at a time, with the same code as
 * `mm-lab run` (execute.ts), and reports its steps (at most every 100 ms) for the progress line.
 */
import { parentPort } from 'node:worker_threads';
import type { ExperimentConfig } from '../core/config';
import { executeFull, type ExecOptions } from './execute';

export type ToWorker = { index: number; config: ExperimentConfig; exec: Omit<ExecOptions, 'onStep'> };
export type FromWorker =
  | { kind: 'step'; index: number; t: number }
  | { kind: 'done'; index: number; result: Awaited<ReturnType<typeof executeFull>> }
  | { kind: 'error'; index: number; message: string };

const port = parentPort;
if (!port) throw new Error('sweep-worker.ts runs as a worker thread');

port.on('message', (m: ToWorker) => {
  let last = 0;
  const onStep = (t: number): void => {
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    port.postMessage({ kind: 'step', index: m.index, t } satisfies FromWorker);
  };
  executeFull(m.config, { ...m.exec, onStep }).then(
    (result) => port.postMessage({ kind: 'done', index: m.index, result } satisfies FromWorker),
    (e: unknown) => port.postMessage({ kind: 'error', index: m.index, message: e instanceof Error ? e.message : String(e) } satisfies FromWorker),
  );
});
