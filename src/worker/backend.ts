/**
 * Backend selection for the training session: forced choice, or 'auto' = a short calibration on the
 * actual problem (a few timed steps of the first run's algorithm on every backend that initialises,
 * ≤ ~1.5 s in all) and the fastest wins. Falls back webgpu → webgl → wasm → cpu when one fails to
 * initialise or is lost.
 *
 * The cpu engine ('fused', ./fused-engine.ts) competes in the calibration whenever it can run the
 * problem (every MLP; NMF with WebAssembly SIMD), usually winning by 10× on small networks. A session on
 * it needs no tfjs backend at all: views and surrogates go through the same engine interface.
 *
 * tfjs is loaded on first use (./tfjs-loader.ts: a session on the cpu engine never waits for it);
 * its backend calls live in ./tfjs-engine.ts. This file runs in Node (tests: cpu only); the browser
 * worker registers webgpu and wasm when tfjs loads (./backends-browser.ts).
 */
import type { ExperimentConfig } from '../core/config';
import { FUSED_SCOPE } from '../core/fused/algorithms';
import { cnnBackendRefusal } from '../core/problems/cnn-config';
import { calibrationKey } from './calibration-key';
import { fusableFromStart, fusedLabel, timeFusedSteps } from './fused-engine';
import { loadedTfjs, loadTfjs, type TfjsModule } from './tfjs-loader';
import { BACKENDS, TFJS_BACKENDS, type BackendChoice, type BackendName, type BackendStatus } from './protocol';

export interface Selection {
  backend: BackendName;
  reasonKind: 'forced' | 'calibration' | 'fallback';
  reason: string;
  backends: BackendStatus[];
}

export interface SelectOptions {
  /** Test hook: these backends "fail" to initialise. */
  failBackends?: readonly BackendName[];
  /** Backends known dead in this session (lost devices); never tried again. */
  exclude?: readonly BackendName[];
  /** Total calibration budget in ms (default 1500). */
  budgetMs?: number;
  /**
   * Whether the fused engine can run the session now (default: fusableFromStart(config); a session
   * restored mid-run passes what its current algorithms allow).
   */
  fused?: boolean;
}

/** What Session needs from the backend layer (injectable for tests). */
export interface BackendHost {
  /** Makes a backend current (tfjs) and says which and why. Throws only if nothing initialises. */
  select(choice: BackendChoice, config: ExperimentConfig, opts?: SelectOptions): Promise<Selection>;
  /** The backend tfjs uses now. */
  current(): BackendName;
  /**
   * Calls `cb` once if the current backend's device is lost (WebGPU `device.lost`); replaced by the
   * next call. Backends without devices never call it.
   */
  watchLoss(cb: (reason: string) => void): void;
}

/** Calibration order: quick to initialise first. */
const CALIBRATION_ORDER: readonly BackendName[] = ['fused', 'cpu', 'wasm', 'webgl', 'webgpu'];
/**
 * Where a session goes when the cpu engine cannot run it (or is lost), in order of preference: WASM (in
 * a browser worker 4–5× CPU on small MLPs), CPU (always there), then GPUs.
 */
const TFJS_FALLBACK_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];
/** The fused engine's calibration needs far fewer ms than a tfjs backend's. */
const FUSED_CALIBRATION_MS = 150;

const NICE: Record<BackendName, string> = { fused: 'JS fused', webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

export function backendLabel(b: BackendName): string {
  return b === 'fused' ? fusedLabel() : NICE[b];
}

const FUSED_ONLY = `the fused engine runs ${FUSED_SCOPE} only`;

/** The tfjs backend now, or 'cpu' while tfjs is not loaded (it loads on first use: tfjs-loader.ts). */
export function currentBackend(): BackendName {
  return loadedTfjs()?.currentBackend() ?? 'cpu';
}

/** Tries to make `name` the tfjs backend (loading tfjs first). Returns null on success, else the reason. */
export async function tryBackend(name: BackendName, failBackends: readonly BackendName[] = []): Promise<{ status: BackendStatus['status']; message: string } | null> {
  if (failBackends.includes(name)) return { status: 'failed', message: `${backendLabel(name)} failed to initialise (forced by the failBackends test hook)` };
  if (name === 'fused') return null; // no tfjs backend to set; whether it can run the problem is the caller's check
  let tfjs: TfjsModule;
  try {
    tfjs = await loadTfjs();
  } catch (e) {
    return { status: 'failed', message: `${NICE[name]} failed to initialise: tfjs did not load (${e instanceof Error ? e.message : String(e)})` };
  }
  return tfjs.trySetBackend(name, NICE[name]);
}

function fmtMs(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms >= 0.1 ? ms.toFixed(2) : ms.toPrecision(2);
}

/** Makes the first tfjs backend of `order` that initialises current; null if none does. */
async function firstTfjs(order: readonly BackendName[], fail: readonly BackendName[], exclude: readonly BackendName[]): Promise<BackendName | null> {
  for (const b of order) if (b !== 'fused' && !exclude.includes(b) && !(await tryBackend(b, fail))) return b;
  return null;
}

/** The default host: real tfjs backends, calibration, WebGPU device-loss watch. */
export function createBackendHost(): BackendHost {
  let lossToken = 0;
  /** The last 'auto' calibration and what it was measured on (./calibration-key.ts). */
  let lastAuto: { key: string; selection: Selection } | null = null;
  return {
    current: currentBackend,

    async select(choice, config, opts = {}) {
      const fail = opts.failBackends ?? [];
      // A backend this problem cannot run on (a CNN on WASM: no convolution gradients) is left out, with its reason.
      const refused = new Map<BackendName, string>(TFJS_BACKENDS.flatMap((b) => {
        const why = cnnBackendRefusal(config.problem, b);
        return why ? [[b, why] as const] : [];
      }));
      const exclude = [...(opts.exclude ?? []), ...refused.keys()];
      const statuses = new Map<BackendName, BackendStatus>();
      const mark = (name: BackendName, s: BackendStatus['status'], message?: string, msPerStep?: number): void => {
        statuses.set(name, { name, status: s, ...(message ? { message } : {}), ...(msPerStep !== undefined ? { msPerStep } : {}) });
      };
      const list = (): BackendStatus[] => BACKENDS.map((b) => statuses.get(b) ?? { name: b, status: 'skipped' as const });
      for (const b of exclude) refused.has(b) ? mark(b, 'unavailable', `${NICE[b]}: ${refused.get(b)}`) : mark(b, 'failed', `${backendLabel(b)} was lost earlier in this session`);
      const fusable = opts.fused ?? fusableFromStart(config);
      if (!fusable && !exclude.includes('fused')) mark('fused', 'unavailable', `${FUSED_ONLY}; this experiment needs tfjs`);

      if (choice === 'fused') {
        // Forced fused: it; else the tfjs backends, WASM and CPU first.
        const err = exclude.includes('fused') ? { message: `${fusedLabel()} was lost earlier in this session` } : !fusable ? { message: FUSED_ONLY } : await tryBackend('fused', fail);
        if (!err) {
          mark('fused', 'available');
          return { backend: 'fused', reasonKind: 'forced', reason: `${fusedLabel()} (chosen by you)`, backends: list() };
        }
        if (fusable && !exclude.includes('fused')) mark('fused', 'failed', err.message);
        const b = await firstTfjs(TFJS_FALLBACK_ORDER, fail, exclude);
        if (!b) throw new Error(`no backend could be initialised: ${err.message}`);
        mark(b, 'available');
        return { backend: b, reasonKind: 'fallback', reason: `${err.message} — falling back to ${NICE[b]}`, backends: list() };
      }

      if (choice !== 'auto') {
        // Forced: that backend, or the fallback chain after it.
        const start = TFJS_BACKENDS.indexOf(choice);
        const failures: string[] = [];
        for (const b of TFJS_BACKENDS.slice(start)) {
          if (refused.has(b)) failures.push(`${NICE[b]}: ${refused.get(b)}`);
          if (exclude.includes(b)) continue;
          const err = await tryBackend(b, fail);
          if (!err) {
            mark(b, 'available');
            if (b === choice) return { backend: b, reasonKind: 'forced', reason: `${NICE[b]} (chosen by you)`, backends: list() };
            return {
              backend: b,
              reasonKind: 'fallback',
              reason: `${failures.join('; ')} — falling back to ${NICE[b]}`,
              backends: list(),
            };
          }
          mark(b, err.status, err.message);
          failures.push(err.message);
        }
        throw new Error(`no tfjs backend could be initialised: ${failures.join('; ')}`);
      }

      // auto on a problem of the size and model last calibrated: that measurement again (the winner
      // made current), not another ~1.5 s — previews after every small edit stay quick.
      const key = JSON.stringify([calibrationKey(config), [...fail].sort(), [...exclude].sort(), fusable]);
      if (lastAuto?.key === key) {
        const again = lastAuto.selection;
        if (again.backend === 'fused' || (await tryBackend(again.backend, fail)) === null)
          return { ...again, reason: `${again.reason} (measured on an earlier problem of this size and model)` };
      }

      // auto: calibrate every backend that initialises, within the budget. Cheap-to-start backends
      // first (CPU, WASM), so a slow GPU warm-up (shader compilation) cannot starve them.
      const budget = opts.budgetMs ?? 1500;
      const t0 = performance.now();
      const candidates = CALIBRATION_ORDER.filter((b) => !exclude.includes(b) && (b !== 'fused' || fusable));
      const timings: { b: BackendName; ms: number }[] = [];
      const failures: string[] = [];
      for (let i = 0; i < candidates.length; i++) {
        const b = candidates[i];
        const left = budget - (performance.now() - t0);
        if (left < 100 && timings.length > 0) {
          // A backend this runtime does not have is unavailable, spent budget or not (a cheap check).
          if (b !== 'fused' && (await loadTfjs().catch(() => null))?.hasBackend(b) === false) mark(b, 'unavailable', `${NICE[b]} is not available in this browser`);
          else mark(b, 'skipped', `not calibrated: the ${Math.round(budget)} ms calibration budget was spent`);
          continue;
        }
        const err = await tryBackend(b, fail);
        if (err) {
          mark(b, err.status, err.message);
          if (err.status === 'failed') failures.push(err.message);
          continue;
        }
        const share = Math.max(100, left / (candidates.length - i));
        try {
          const ms = b === 'fused' ? timeFusedSteps(config, Math.min(share, FUSED_CALIBRATION_MS)) : await (await loadTfjs()).timeSteps(config, share);
          timings.push({ b, ms });
          mark(b, 'available', undefined, ms);
        } catch (e) {
          mark(b, 'failed', `${backendLabel(b)} failed during calibration: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (timings.length === 0) throw new Error(`no tfjs backend could be initialised: ${failures.join('; ')}`);
      timings.sort((x, y) => x.ms - y.ms);
      const best = timings[0].b;
      // The winner is made current again (a later calibration moved tfjs elsewhere).
      if (best !== 'fused' && (await tryBackend(best, fail)) !== null) throw new Error(`${NICE[best]} failed to initialise again after its calibration`);
      const detail = timings.map((x) => `${backendLabel(x.b)} ${fmtMs(x.ms)} ms/step`).join(', ');
      const failed = failures.length ? ` (${failures.join('; ')})` : '';
      const selection: Selection = {
        backend: best,
        reasonKind: 'calibration',
        reason: `fastest on a short calibration on this problem: ${detail} → ${backendLabel(best)}${failed}`,
        backends: list(),
      };
      lastAuto = { key, selection };
      return selection;
    },

    watchLoss(cb) {
      const token = ++lossToken;
      loadedTfjs()?.onDeviceLost((reason) => {
        if (token === lossToken) cb(reason);
      });
    },
  };
}

/** The backend after `b` in the fallback order (the fused engine's: WASM, CPU, …), skipping excluded ones. */
export function nextBackend(b: BackendName, exclude: readonly BackendName[]): BackendName | null {
  const order = b === 'fused' ? TFJS_FALLBACK_ORDER : TFJS_BACKENDS.slice(TFJS_BACKENDS.indexOf(b) + 1);
  for (const x of order) if (!exclude.includes(x)) return x;
  return null;
}
