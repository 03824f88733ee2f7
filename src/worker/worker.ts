/// <reference lib="webworker" />
/**
 * The training worker's entry: feeds every message to a Session. tfjs is not part of this chunk: it
 * loads when a session first needs it (./tfjs-loader.ts), and the browser's WebGPU and WASM backends
 * register then, so a session on the cpu engine shows its first point without waiting for tfjs.
 * Every error ends up as an `error` event (uncaught ones too); the `crash` test hook throws outside
 * any handler so that the main thread sees the worker die (client.ts restarts it).
 */
import '../core/zod-setup'; // first: zod's JIT is decided when schemas are built
import { registerBrowserBackends } from './backends-browser';
import type { FromWorker, ToWorker } from './protocol';
import { Session } from './session';
import { packArrays, unpackArrays } from './packed-arrays';
import { configureTfjs } from './tfjs-loader';

declare const self: DedicatedWorkerGlobalScope;

let epoch = 0;
const post = (msg: FromWorker, transfer: Transferable[] = []): void => {
  if ('epoch' in msg) epoch = msg.epoch;
  // A config (the page's own data echoed) travels packed: packed-arrays.ts.
  self.postMessage(msg.type === 'started' || msg.type === 'config' ? packArrays(msg) : msg, transfer);
};
const fail = (message: string, fatal = false): void => post({ type: 'error', epoch, message, ...(fatal ? { fatal } : {}) });

const session = new Session({ post });
configureTfjs(() =>
  registerBrowserBackends().then(
    (problems) => problems.forEach((p) => fail(p)),
    (e) => fail(`backend registration failed: ${e instanceof Error ? e.message : String(e)}`),
  ),
);

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = unpackArrays(ev.data);
  if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') {
    fail('malformed command (expected an object with a string `type`)');
    return;
  }
  if (msg.type === 'crash') {
    // Escape every handler: an uncaught exception in a macrotask kills the script's current task
    // and fires `error` on the Worker object in the main thread.
    setTimeout(() => {
      throw new Error('worker crash requested (test hook)');
    }, 0);
    return;
  }
  try {
    session.handle(msg);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
};

self.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
  const r = ev.reason;
  fail(`unhandled rejection: ${r instanceof Error ? r.message : String(r)}`);
});
