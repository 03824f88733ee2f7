/**
 * A session's state as plain arrays: every run's θ, algorithm state, step count, status and switches.
 * Taken from an experiment on any engine and restored into one on any engine (same step, exact float32
 * values), it carries a session across backends (setBackend) and through device loss (checkpoints).
 *
 * Algorithm states have the same layout on every engine (each algorithm is written once); only their
 * Vecs change form, so a Vec is stored as one array per parameter tensor (θ's layout) and rebuilt with
 * the target engine's `fromArray`.
 */
import type { AlgorithmState } from '../core/engine/algorithm';
import type { ParamTensor } from '../core/engine/problem';
import type { Vec, VectorOps } from '../core/engine/types';
import type { Experiment } from '../core/fold/experiment';
import type { RunStatus, SwitchRecord } from '../core/fold/status';

export interface SnapTensor {
  __snapTensor: true;
  data: Float32Array;
  shape: number[];
  dtype: 'float32';
}

export interface RunSnapshot {
  algorithm: string;
  hyper: Record<string, unknown>;
  params: SnapTensor[];
  state: Record<string, unknown>;
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

/** A Vec's entries, read back without blocking where the engine can. */
const readVec = (ops: VectorOps, v: Vec): Promise<Float32Array> => (ops.read ? ops.read(v) : Promise.resolve(ops.toArray(v)));

const cut = (layout: readonly ParamTensor[], flat: Float32Array): SnapTensor[] =>
  layout.map((t) => ({ __snapTensor: true, data: flat.slice(t.offset, t.offset + t.size), shape: [...t.shape], dtype: 'float32' }));

function glue(layout: readonly ParamTensor[], parts: SnapTensor[]): Float32Array {
  const into = new Float32Array(layout.reduce((n, t) => n + t.size, 0));
  if (parts.length !== layout.length) throw new Error(`expected ${layout.length} parameter tensors, got ${parts.length}`);
  layout.forEach((t, i) => {
    if (parts[i].data.length !== t.size) throw new Error(`${t.name}: expected ${t.size} values, got ${parts[i].data.length}`);
    into.set(parts[i].data, t.offset);
  });
  return into;
}

const isSnapVec = (x: unknown): x is SnapTensor[] => Array.isArray(x) && x.length > 0 && (x[0] as SnapTensor)?.__snapTensor === true;

/** Every run's θ and state read back (asynchronously: no blocking readback on a GPU). */
export async function takeSnapshot(exp: Experiment): Promise<Snapshot> {
  const { ops, layout } = exp.problem;
  const snapRun = async (r: Experiment['runs'][number]): Promise<RunSnapshot> => {
    const state: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.state)) state[k] = ops.isVec(v) ? cut(layout, await readVec(ops, v)) : clone(v);
    return {
      algorithm: r.algorithm.id,
      hyper: clone(r.hyper),
      params: cut(layout, await readVec(ops, r.theta)),
      state,
      t: r.t,
      status: r.status,
      message: r.message,
      divergedAt: r.divergedAt,
      switches: clone(r.switches),
    };
  };
  return { t: exp.t, runs: await Promise.all(exp.runs.map(snapRun)) };
}

/** Puts a freshly built experiment (same config) at the snapshot: θ, states, steps, statuses, switches. */
export function restoreSnapshot(exp: Experiment, snap: Snapshot): void {
  const { ops, layout } = exp.problem;
  if (snap.runs.length !== exp.runs.length) throw new Error(`the snapshot has ${snap.runs.length} runs, the experiment ${exp.runs.length}`);
  const like = exp.problem.theta0();
  try {
    exp.t = snap.t;
    exp.runs.forEach((r, i) => {
      const s = snap.runs[i];
      const state: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.state)) state[k] = isSnapVec(v) ? ops.fromArray(like, glue(layout, v)) : clone(v);
      r.load(s.algorithm, s.hyper, ops.fromArray(like, glue(layout, s.params)), state as AlgorithmState);
      r.t = s.t;
      r.status = s.status;
      r.message = s.message;
      r.divergedAt = s.divergedAt;
      r.switches.length = 0;
      r.switches.push(...s.switches);
    });
  } finally {
    exp.problem.releaseReplaced(like, null);
  }
}
