/**
 * E2E test hooks, installed only when the page URL has `?testhooks=1` in its *query* (never the hash:
 * nothing read from a share link is ever evaluated or acted on here). They drive the robustness specs
 * (e2e/robustness.spec.ts) and the browser benchmark (bench/browser.ts) through the same engine/store
 * API the UI uses:
 *
 *   window.__mmlab.crashWorker()                 the worker throws an uncaught error (protocol `crash`)
 *   window.__mmlab.loseBackend()                 the worker behaves as if its device was lost
 *   window.__mmlab.failBackendsOnNextStart(list) the next `start` treats these backends as failing
 *   window.__mmlab.bufferSizes()                 per run: points held / capacity / appended, + drawn points
 *   window.__mmlab.state()                       step, play state, backend and per-run status
 *
 * Imported once by main.tsx; a no-op without the query flag.
 */
import { clientTestHooks } from '../worker/client';
import { BACKENDS, type BackendName } from '../worker/protocol';
import { send } from './engine';
import { live } from './live';
import { getLab } from './store';

export interface BufferSizes {
  runs: { label: string; length: number; capacity: number; appended: number; compactions: number }[];
  /** Points the loss chart drew on its last frame (train + test series), from its data-points attribute. */
  drawn: number;
  /** The loss chart's plot width in px: it draws at most ~1.5 points per pixel per series. */
  chartWidth: number;
}

export interface MMLabTestHooks {
  crashWorker(): void;
  loseBackend(): void;
  failBackendsOnNextStart(list: readonly string[]): void;
  bufferSizes(): BufferSizes;
  state(): { t: number; playing: boolean; backend: string | null; runs: { t: number; status: string; divergedAt: number | null }[] };
}

function enabled(): boolean {
  try {
    return typeof location !== 'undefined' && new URLSearchParams(location.search).get('testhooks') === '1';
  } catch {
    return false;
  }
}

function install(): void {
  const hooks: MMLabTestHooks = {
    crashWorker: () => send({ type: 'crash' }),
    loseBackend: () => send({ type: 'loseBackend' }),
    failBackendsOnNextStart(list) {
      // Only known backend names are kept: the hook takes data, never code.
      const names = [...list].filter((b): b is BackendName => (BACKENDS as readonly string[]).includes(b));
      clientTestHooks.failNextStart = names.length ? names : null;
    },
    bufferSizes() {
      const chart = document.querySelector<HTMLElement>('[data-testid="loss-chart"]');
      return {
        runs: live.runs.map((r) => ({
          label: r.label,
          length: r.buffer.length,
          capacity: r.buffer.capacity,
          appended: r.buffer.appended,
          compactions: r.buffer.compactions,
        })),
        drawn: Number(chart?.getAttribute('data-points') ?? 0),
        chartWidth: chart?.clientWidth ?? 0,
      };
    },
    state() {
      const s = getLab();
      return {
        t: s.t,
        playing: s.playing,
        backend: s.backend?.name ?? null,
        runs: s.summaries.map((r) => ({ t: r.t, status: r.status, divergedAt: r.divergedAt })),
      };
    },
  };
  Object.defineProperty(window, '__mmlab', { value: Object.freeze(hooks), configurable: false, enumerable: false, writable: false });
}

if (enabled()) install();
