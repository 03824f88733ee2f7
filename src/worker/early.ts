/**
 * The training worker, started by the page's very first script (src/ui/boot.ts) while the app's bundle
 * is still downloading. Chromium starts a dedicated worker's thread from a task on the page's main
 * thread; created at the end of the app bundle's evaluation, the worker waited for React's first
 * render (hundreds of ms) before its own script could even compile. Started here, it loads and
 * evaluates in parallel with the app, and answers the app's first `start` at once.
 *
 * The app takes the worker over with `takeEarlyWorker` (src/worker/client.ts); anything the worker
 * posted before that (it only answers commands, but an error may come) is replayed to the app's
 * handlers, in order.
 */

/** A new training worker (the one place the worker's script URL is named, so Vite emits one chunk). */
export function createTrainingWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'mm-lab-training' });
}

interface Early {
  worker: Worker;
  /** Events that arrived before the app attached its handlers. */
  held: Event[];
}

let early: Early | null = null;

/** Starts the training worker now (the app takes it with takeEarlyWorker). No-op where there are no workers. */
export function startEarlyWorker(): void {
  if (early || typeof Worker === 'undefined') return;
  try {
    const worker = createTrainingWorker();
    const held: Event[] = [];
    worker.onmessage = (e) => held.push(new MessageEvent('message', { data: e.data }));
    worker.onerror = (e) => {
      e.preventDefault();
      held.push(new ErrorEvent('error', { message: e.message, error: e.error }));
    };
    worker.onmessageerror = () => held.push(new MessageEvent('messageerror'));
    early = { worker, held };
  } catch {
    early = null; // the app creates its own
  }
}

/**
 * The early worker, once (later calls return null): the caller sets its handlers right away; what the
 * worker posted before is dispatched to them on the next microtask.
 */
export function takeEarlyWorker(): Worker | null {
  const e = early;
  early = null;
  if (!e) return null;
  e.worker.onmessage = null;
  e.worker.onerror = null;
  e.worker.onmessageerror = null;
  if (e.held.length) queueMicrotask(() => e.held.forEach((ev) => e.worker.dispatchEvent(ev)));
  return e.worker;
}
