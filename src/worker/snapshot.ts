/**
 * A session's state as plain arrays: every run's θ, algorithm state, step count, status and switches.
 * Taken from either engine and restored into either (same step, exact float32 values), it carries a
 * session across backends (setBackend), through device loss (checkpoints) and from the fused engine
 * to tfjs (the hand-over when a run switches to an algorithm the fused engine does not run).
 *
 * Algorithm states are kept in the tfjs layout (e.g. Adam: {t, m: [one array per parameter], v, vmax});
 * the fused engine's Vecs (flat Float32Arrays) are cut into and glued back from that layout.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../core/config';
import { Experiment, paramsOf } from '../core/experiment';
import type { AlgorithmState } from '../core/engine/algorithm';
import { cpuVec } from '../core/engines/cpu/vector-ops';
import { FusedExperiment, FUSED_SCOPE, isFusedAlgorithm, mapStateVecs, simdAvailable, type FusedRun } from '../core/fused';
import { tfjsVec } from '../core/engines/tfjs/vector-ops';
import type { RunStatus, SwitchRecord } from '../core/run';

export interface SnapTensor {
  __snapTensor: true;
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: tf.DataType;
}

export interface RunSnapshot {
  algorithm: string;
  hyper: Record<string, unknown>;
  params: SnapTensor[];
  state: unknown;
  t: number;
  status: RunStatus;
  message: string;
  divergedAt: number | null;
  switches: SwitchRecord[];
}

export interface Snapshot {
  t: number;
  runs: RunSnapshot[];
}

const clone = <T>(x: T): T => structuredClone(x);

// ───────────────────────────────────────── tfjs ─────────────────────────────────────────────────

/** Reads every run's tensors back (asynchronously: no dataSync). */
export async function snapshotTfjs(exp: Experiment): Promise<Snapshot> {
  const snapTensor = async (t: tf.Tensor): Promise<SnapTensor> => ({
    __snapTensor: true,
    data: (await t.data()).slice() as SnapTensor['data'],
    shape: [...t.shape],
    dtype: t.dtype,
  });
  const snapAny = async (x: unknown): Promise<unknown> => {
    if (x instanceof tf.Tensor) return snapTensor(x);
    if (Array.isArray(x)) return Promise.all(x.map(snapAny));
    if (ArrayBuffer.isView(x)) return (x as unknown as { slice(): unknown }).slice();
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) out[k] = await snapAny(v);
      return out;
    }
    return x;
  };
  return {
    t: exp.t,
    runs: await Promise.all(
      exp.runs.map(async (r) => ({
        algorithm: r.algorithm.id,
        hyper: clone(r.hyper),
        params: await Promise.all(paramsOf(r).map(snapTensor)),
        state: await snapAny(r.state),
        t: r.t,
        status: r.status,
        message: r.message,
        divergedAt: r.divergedAt,
        switches: clone(r.switches),
      })),
    ),
  };
}

/** A tfjs Experiment for `config` (on the current tfjs backend) holding the snapshot's state. */
export function restoreTfjs(config: ExperimentConfig, snap: Snapshot): Experiment {
  const exp = new Experiment(clone(config));
  const toTensor = (s: SnapTensor): tf.Tensor => tf.tensor(s.data, s.shape, s.dtype);
  const fromAny = (x: unknown): unknown => {
    if (x && typeof x === 'object' && (x as SnapTensor).__snapTensor) return toTensor(x as SnapTensor);
    if (Array.isArray(x)) return x.map(fromAny);
    if (ArrayBuffer.isView(x)) return x;
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, fromAny(v)]));
    return x;
  };
  exp.t = snap.t;
  exp.runs.forEach((r, i) => {
    const s = snap.runs[i];
    r.load(s.algorithm, s.hyper, tfjsVec(s.params.map(toTensor)), fromAny(s.state) as AlgorithmState);
    restoreProgress(r, s);
  });
  return exp;
}

/** A run's step count, status and switch history, as the snapshot recorded them (tfjs and fused runs alike). */
function restoreProgress(r: Pick<FusedRun, 't' | 'status' | 'message' | 'divergedAt' | 'switches'>, s: Snapshot['runs'][number]): void {
  r.t = s.t;
  r.status = s.status;
  r.message = s.message;
  r.divergedAt = s.divergedAt;
  r.switches.length = 0;
  r.switches.push(...s.switches);
}

// ───────────────────────────────────────── fused ────────────────────────────────────────────────

/** The fused runs' θ and state, each Vec cut per parameter tensor into the tfjs layout (copies). */
export function snapshotFused(fx: FusedExperiment): Snapshot {
  const tensors = fx.problem.layout;
  const cut = (flat: Float32Array): SnapTensor[] =>
    tensors.map((t) => ({ __snapTensor: true, data: flat.slice(t.offset, t.offset + t.size), shape: [...t.shape], dtype: 'float32' }));
  return {
    t: fx.t,
    runs: fx.runs.map((r: FusedRun) => ({
      algorithm: r.algorithm.id,
      hyper: clone(r.hyper),
      params: cut(r.thetaArray()),
      state: mapStateVecs(r.state, (v) => cut(v as Float32Array)),
      t: r.t,
      status: r.status,
      message: r.message,
      divergedAt: r.divergedAt,
      switches: clone(r.switches),
    })),
  };
}

/** True when every run of the snapshot uses an algorithm the fused engine runs (and the problem is an MLP). */
export function fusableSnapshot(config: ExperimentConfig, snap: Snapshot): boolean {
  return (config.problem.kind === 'mlp' || (config.problem.kind === 'nmf' && simdAvailable())) && snap.runs.every((r) => isFusedAlgorithm(r.algorithm));
}

/**
 * A FusedExperiment (cpu engine) for `config` holding the snapshot's state (its runs' scheduled switches
 * already taken are in their records, so they are not applied again). Throws when the cpu engine cannot
 * run it (check fusableSnapshot first).
 */
export function restoreFused(config: ExperimentConfig, snap: Snapshot): FusedExperiment {
  if (!fusableSnapshot(config, snap)) throw new Error(`the fused engine runs ${FUSED_SCOPE} only`);
  const fx = new FusedExperiment(clone(config));
  fx.t = snap.t;
  const glue = (parts: SnapTensor[]): Float32Array => {
    const into = new Float32Array(fx.problem.layout.reduce((n, t) => n + t.size, 0));
    fx.problem.layout.forEach((t, i) => {
      if (parts[i].data.length !== t.size) throw new Error(`${t.name}: expected ${t.size} values, got ${parts[i].data.length}`);
      into.set(parts[i].data, t.offset);
    });
    return into;
  };
  const isSnapVec = (x: unknown): x is SnapTensor[] => Array.isArray(x) && x.length > 0 && (x[0] as SnapTensor)?.__snapTensor === true;
  fx.runs.forEach((r, i) => {
    const s = snap.runs[i];
    if (!isFusedAlgorithm(s.algorithm)) throw new Error(`the fused engine does not run '${s.algorithm}'`);
    const state: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.state as Record<string, unknown>)) state[k] = isSnapVec(v) ? cpuVec(glue(v)) : Array.isArray(v) && v.length === 0 ? null : clone(v);
    r.load(s.algorithm, s.hyper, cpuVec(glue(s.params)), state as AlgorithmState);
    restoreProgress(r, s);
  });
  return fx;
}
