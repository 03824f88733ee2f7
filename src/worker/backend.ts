/**
 * Backend selection for the training session: forced choice, or 'auto' = a short calibration on the
 * actual problem (a few timed steps of the first run's algorithm on every backend that initialises,
 * ≤ ~1.5 s in all) and the fastest wins. Falls back webgpu → webgl → wasm → cpu when one fails to
 * initialise or is lost.
 *
 * The fused engine ('fused', ./fused-engine.ts) competes in the calibration when every run uses a
 * gradient optimizer or a Lipschitz MM algorithm on an MLP (usually winning by 10× on small networks). It needs no tfjs backend to
 * train, but a session on it keeps one (Selection.tfjs: the fastest calibrated tfjs backend, or CPU when
 * forced) current for views, surrogates and the hand-over to tfjs.
 *
 * This file only uses what tfjs has registered, so it runs in Node (tests: cpu only). The browser
 * worker registers webgpu and wasm first with `registerBrowserBackends()` (./backends-browser.ts).
 *
 * tfjs pitfalls handled here: `tf.setBackend(x)` may return false *without throwing* (e.g. no WebGPU
 * adapter) and tfjs may silently stay on another backend, so both the return value and
 * `tf.getBackend()` are checked.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../core/config';
import { Experiment } from '../core/experiment';
import { FUSED_SCOPE } from '../core/fused';
import { fusableFromStart, fusedLabel, timeFusedSteps } from './fused-engine';
import { BACKENDS, TFJS_BACKENDS, type BackendChoice, type BackendName, type BackendStatus } from './protocol';

export interface Selection {
  backend: BackendName;
  reasonKind: 'forced' | 'calibration' | 'fallback';
  reason: string;
  backends: BackendStatus[];
  /** With backend 'fused': the tfjs backend made current for views, surrogates and hand-overs. */
  tfjs?: BackendName;
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
 * tfjs backends a fused session keeps for views and hand-overs when no calibration ranked them, in
 * order of preference: WASM (in a browser worker 4–5× CPU on small MLPs), CPU (always there), then GPUs.
 */
const COMPANION_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];
/** The fused engine's calibration needs far fewer ms than a tfjs backend's. */
const FUSED_CALIBRATION_MS = 150;

const NICE: Record<BackendName, string> = { fused: 'JS fused', webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

export function backendLabel(b: BackendName): string {
  return b === 'fused' ? fusedLabel() : NICE[b];
}

function isBackendName(x: string): x is BackendName {
  return (BACKENDS as readonly string[]).includes(x);
}

const FUSED_ONLY = `the fused engine runs ${FUSED_SCOPE} only`;

export function currentBackend(): BackendName {
  const b = tf.getBackend();
  return isBackendName(b) ? b : 'cpu';
}

/** Tries to make `name` the tfjs backend. Returns null on success, else the reason. */
export async function tryBackend(name: BackendName, failBackends: readonly BackendName[] = []): Promise<{ status: BackendStatus['status']; message: string } | null> {
  if (failBackends.includes(name)) return { status: 'failed', message: `${backendLabel(name)} failed to initialise (forced by the failBackends test hook)` };
  if (name === 'fused') return null; // no tfjs backend to set; whether it can run the problem is the caller's check
  if (!tf.findBackendFactory(name)) return { status: 'unavailable', message: `${NICE[name]} is not available in this browser` };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    if (ok) await tf.ready();
  } catch (e) {
    return { status: 'failed', message: `${NICE[name]} failed to initialise: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!ok) return { status: 'failed', message: `${NICE[name]} failed to initialise (setBackend returned false)` };
  if (tf.getBackend() !== name) return { status: 'failed', message: `${NICE[name]} requested but tfjs is on ${tf.getBackend()}` };
  return null;
}

/**
 * Mean ms per step (one step of the first run + reading f back) on the current backend, after one
 * warm-up step (shader compilation). Runs until ~budgetMs or 30 timed steps, at least 2.
 */
export async function timeSteps(config: ExperimentConfig, budgetMs: number): Promise<number> {
  const cfg: ExperimentConfig = { ...config, runs: [{ ...config.runs[0], switches: [] }] };
  const exp = new Experiment(cfg);
  try {
    const once = async (): Promise<void> => {
      const { f, release } = exp.stepObjective(exp.t);
      try {
        exp.runs[0].step(f);
      } finally {
        release();
      }
      exp.t += 1;
      const { train, test } = exp.evaluate(exp.runs[0]);
      test?.dispose();
      await train.data();
      train.dispose();
      if (exp.runs[0].status === 'error') throw new Error(exp.runs[0].message);
    };
    const w0 = performance.now();
    await once();
    const warm = performance.now() - w0;
    const t0 = performance.now();
    let n = 0;
    while (n < 2 || (n < 30 && performance.now() - t0 < budgetMs - warm)) {
      await once();
      n += 1;
    }
    return (performance.now() - t0) / n;
  } finally {
    exp.dispose();
  }
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
  return {
    current: currentBackend,

    async select(choice, config, opts = {}) {
      const fail = opts.failBackends ?? [];
      const exclude = opts.exclude ?? [];
      const statuses = new Map<BackendName, BackendStatus>();
      const mark = (name: BackendName, s: BackendStatus['status'], message?: string, msPerStep?: number): void => {
        statuses.set(name, { name, status: s, ...(message ? { message } : {}), ...(msPerStep !== undefined ? { msPerStep } : {}) });
      };
      const list = (): BackendStatus[] => BACKENDS.map((b) => statuses.get(b) ?? { name: b, status: 'skipped' as const });
      for (const b of exclude) mark(b, 'failed', `${backendLabel(b)} was lost earlier in this session`);
      const fusable = opts.fused ?? fusableFromStart(config);
      if (!fusable && !exclude.includes('fused')) mark('fused', 'unavailable', `${FUSED_ONLY}; this experiment needs tfjs`);

      if (choice === 'fused') {
        // Forced fused: it, with a tfjs companion; else the tfjs backends, WASM and CPU first.
        const err = exclude.includes('fused') ? { message: `${fusedLabel()} was lost earlier in this session` } : !fusable ? { message: FUSED_ONLY } : await tryBackend('fused', fail);
        if (!err) {
          const tfjs = await firstTfjs(COMPANION_ORDER, fail, exclude);
          mark('fused', 'available');
          if (tfjs) mark(tfjs, 'available');
          const also = tfjs ? `; views, surrogates and hand-overs on ${NICE[tfjs]}` : '';
          return { backend: 'fused', ...(tfjs ? { tfjs } : {}), reasonKind: 'forced', reason: `${fusedLabel()} (chosen by you${also})`, backends: list() };
        }
        if (fusable && !exclude.includes('fused')) mark('fused', 'failed', err.message);
        const b = await firstTfjs(COMPANION_ORDER, fail, exclude);
        if (!b) throw new Error(`no backend could be initialised: ${err.message}`);
        mark(b, 'available');
        return { backend: b, reasonKind: 'fallback', reason: `${err.message} — falling back to ${NICE[b]}`, backends: list() };
      }

      if (choice !== 'auto') {
        // Forced: that backend, or the fallback chain after it.
        const start = TFJS_BACKENDS.indexOf(choice);
        const failures: string[] = [];
        for (const b of TFJS_BACKENDS.slice(start)) {
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
          if (b !== 'fused' && !tf.findBackendFactory(b)) mark(b, 'unavailable', `${NICE[b]} is not available in this browser`);
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
          const ms = b === 'fused' ? timeFusedSteps(config, Math.min(share, FUSED_CALIBRATION_MS)) : await timeSteps(config, share);
          timings.push({ b, ms });
          mark(b, 'available', undefined, ms);
        } catch (e) {
          mark(b, 'failed', `${backendLabel(b)} failed during calibration: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (timings.length === 0) throw new Error(`no tfjs backend could be initialised: ${failures.join('; ')}`);
      timings.sort((x, y) => x.ms - y.ms);
      const best = timings[0].b;
      // The fused engine keeps the fastest tfjs backend for views and hand-overs (CPU if none was timed).
      const tfjs =
        best === 'fused'
          ? await firstTfjs([...timings.map((x) => x.b), ...COMPANION_ORDER], fail, exclude)
          : (await tryBackend(best, fail)) === null
            ? best
            : null;
      if (best !== 'fused' && !tfjs) throw new Error(`${NICE[best]} failed to initialise again after its calibration`);
      const detail = timings.map((x) => `${backendLabel(x.b)} ${fmtMs(x.ms)} ms/step`).join(', ');
      const failed = failures.length ? ` (${failures.join('; ')})` : '';
      const also = best === 'fused' && tfjs ? `; views, surrogates and hand-overs on ${NICE[tfjs]}` : '';
      return {
        backend: best,
        ...(best === 'fused' && tfjs ? { tfjs } : {}),
        reasonKind: 'calibration',
        reason: `fastest on a short calibration on this problem: ${detail} → ${backendLabel(best)}${also}${failed}`,
        backends: list(),
      };
    },

    watchLoss(cb) {
      const token = ++lossToken;
      const name = currentBackend();
      if (name !== 'webgpu') return;
      // tfjs-backend-webgpu keeps its GPUDevice on `device`.
      const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
      device?.lost?.then((info) => {
        if (token !== lossToken) return;
        cb(`WebGPU device lost (${info?.reason ?? 'unknown reason'}${info?.message ? `: ${info.message}` : ''})`);
      });
    },
  };
}

/** The backend after `b` in the fallback order (the fused engine's: WASM, CPU, …), skipping excluded ones. */
export function nextBackend(b: BackendName, exclude: readonly BackendName[]): BackendName | null {
  const order = b === 'fused' ? COMPANION_ORDER : TFJS_BACKENDS.slice(TFJS_BACKENDS.indexOf(b) + 1);
  for (const x of order) if (!exclude.includes(x)) return x;
  return null;
}
