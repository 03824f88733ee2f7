/**
 * The training worker started by the page's boot script (src/worker/early.ts): the app takes it over
 * once, and whatever it posted before is delivered to the app's handlers, in order.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: Event & { message?: string; error?: unknown; preventDefault(): void }) => void) | null = null;
  onmessageerror: ((e: MessageEvent) => void) | null = null;
  constructor(
    readonly url: URL,
    readonly opts: WorkerOptions,
  ) {
    super();
    FakeWorker.made.push(this);
    // Like a browser Worker: dispatched events reach the on-handlers.
    this.addEventListener('message', (e) => this.onmessage?.(e as MessageEvent));
    this.addEventListener('error', (e) => this.onerror?.(e as never));
  }
  /** The worker thread posting: delivered to whatever handler is set now. */
  post(data: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
}

class FakeErrorEvent extends Event {
  message: string;
  error: unknown;
  constructor(type: string, init: { message?: string; error?: unknown } = {}) {
    super(type);
    this.message = init.message ?? '';
    this.error = init.error;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  FakeWorker.made = [];
});

async function early() {
  vi.stubGlobal('Worker', FakeWorker);
  if (typeof ErrorEvent === 'undefined') vi.stubGlobal('ErrorEvent', FakeErrorEvent);
  return import('../src/worker/early');
}

describe('the early training worker', () => {
  it('is made once, as the module worker named mm-lab-training, and taken over once', async () => {
    const m = await early();
    m.startEarlyWorker();
    m.startEarlyWorker();
    expect(FakeWorker.made).toHaveLength(1);
    expect(FakeWorker.made[0].opts).toEqual({ type: 'module', name: 'mm-lab-training' });
    expect(String(FakeWorker.made[0].url)).toMatch(/worker\.ts$/);
    expect(m.takeEarlyWorker()).toBe(FakeWorker.made[0]);
    expect(m.takeEarlyWorker()).toBeNull();
  });

  it("replays what the worker posted before the app attached, in order, then delivers live", async () => {
    const m = await early();
    m.startEarlyWorker();
    const w = FakeWorker.made[0];
    w.post({ n: 1 });
    w.post({ n: 2 });
    const taken = m.takeEarlyWorker() as unknown as FakeWorker;
    const seen: unknown[] = [];
    taken.onmessage = (e) => seen.push(e.data);
    expect(seen).toEqual([]); // replayed on the next microtask, after the caller set its handlers
    await Promise.resolve();
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    w.post({ n: 3 });
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('keeps an early error for the app, with its message', async () => {
    const m = await early();
    m.startEarlyWorker();
    const w = FakeWorker.made[0];
    let prevented = false;
    w.onerror?.({ message: 'boom', error: null, preventDefault: () => (prevented = true) } as never);
    expect(prevented).toBe(true);
    const taken = m.takeEarlyWorker() as unknown as FakeWorker;
    const errors: string[] = [];
    taken.onerror = (e) => errors.push(String(e.message));
    await Promise.resolve();
    expect(errors).toEqual(['boom']);
  });

  it('is skipped where there are no workers (Node, old browsers): the app makes its own', async () => {
    const m = await import('../src/worker/early');
    m.startEarlyWorker();
    expect(m.takeEarlyWorker()).toBeNull();
  });
});
