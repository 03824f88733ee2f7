/**
 * Everything of tfjs the worker needs, in one module the worker loads only when a session needs tfjs
 * (./tfjs-loader.ts): the tfjs engine's experiment, setting and timing a backend, WebGPU device loss.
 * A session on the cpu engine never loads it, so its first point does not wait for ~1.1 MB of tfjs.
 *
 * tfjs pitfalls handled here: `tf.setBackend(x)` may return false *without throwing* (e.g. no WebGPU
 * adapter) and tfjs may silently stay on another backend, so both the return value and
 * `tf.getBackend()` are checked.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../core/config';
import { Experiment } from '../core/experiment';
import { BACKENDS, type BackendName } from './backend-names';
import type { BackendStatus } from './protocol';

export { Experiment as TfjsExperiment } from '../core/experiment';

const isBackendName = (x: string): x is BackendName => (BACKENDS as readonly string[]).includes(x);

export function currentBackend(): BackendName {
  const b = tf.getBackend();
  return isBackendName(b) ? b : 'cpu';
}

/** Whether tfjs has this backend registered (false: not in this browser). */
export const hasBackend = (name: BackendName): boolean => !!tf.findBackendFactory(name);

/** Makes `name` (labelled `label` in messages) the tfjs backend. Returns null on success, else the reason. */
export async function trySetBackend(name: BackendName, label: string): Promise<{ status: BackendStatus['status']; message: string } | null> {
  if (!tf.findBackendFactory(name)) return { status: 'unavailable', message: `${label} is not available in this browser` };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    if (ok) await tf.ready();
  } catch (e) {
    return { status: 'failed', message: `${label} failed to initialise: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!ok) return { status: 'failed', message: `${label} failed to initialise (setBackend returned false)` };
  if (tf.getBackend() !== name) return { status: 'failed', message: `${label} requested but tfjs is on ${tf.getBackend()}` };
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

/** Calls `cb` once if the current backend's device is lost (WebGPU `device.lost`); others never call it. */
export function onDeviceLost(cb: (reason: string) => void): void {
  if (currentBackend() !== 'webgpu') return;
  // tfjs-backend-webgpu keeps its GPUDevice on `device`.
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  device?.lost?.then((info) => cb(`WebGPU device lost (${info?.reason ?? 'unknown reason'}${info?.message ? `: ${info.message}` : ''})`));
}
