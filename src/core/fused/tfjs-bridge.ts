/**
 * Hand-over between the fused engine and the tfjs one, exact to the bit: parameters and optimizer
 * state as tfjs tensors in the layout of src/core/algorithms/*.ts (and back). For a live session that
 * moves a run to tfjs (a switch to an MM algorithm, a surrogate or decision-boundary view that needs
 * tensors) or back. Imports tfjs, so keep it out of the fused hot loop (it is: only these functions
 * touch tensors).
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from '../types';
import type { FusedRun } from './fused-run';
import { isFusedMM, type FusedAlgorithmId } from './algorithms';
import type { FusedMMState } from './mm-steps';
import type { SlotName } from './optimizers';
import type { FusedProblem } from './problem';

/** The per-parameter tensor lists of each optimizer's tfjs state (besides its step counter `t`). */
export const TFJS_STATE_SLOTS: Record<FusedAlgorithmId, SlotName[]> = {
  sgd: ['buf'],
  adam: ['m', 'v', 'vmax'],
  adamw: ['m', 'v', 'vmax'],
  rmsprop: ['v', 'gavg', 'buf'],
  adagrad: ['sum'],
  'mm-lipschitz': [],
  'mm-layerwise': [],
};

/**
 * The MM algorithms' scalars in their tfjs state's layout: mm-lipschitz {L, shrink}, mm-layerwise
 * {L: [per layer], shrink: [per layer]} (copies; empty for optimizers).
 */
export function mmStateToTfjs(id: FusedAlgorithmId, mm: FusedMMState | undefined): Record<string, number | boolean | number[] | boolean[]> {
  if (!mm) return {};
  return id === 'mm-lipschitz' ? { L: mm.L[0], shrink: mm.shrink[0] } : { L: [...mm.L], shrink: [...mm.shrink] };
}

/** The inverse of mmStateToTfjs (undefined for optimizers). */
export function mmStateFromTfjs(id: FusedAlgorithmId, s: Record<string, unknown>): FusedMMState | undefined {
  if (!isFusedMM(id)) return undefined;
  const list = <T>(x: unknown, f: (v: unknown) => T): T[] => (Array.isArray(x) ? x.map(f) : [f(x)]);
  return { L: list(s.L, Number), shrink: list(s.shrink, Boolean) };
}

/** A flat float32 vector as one tensor per parameter ([W1 (in×out), b1, …]); the caller disposes them. */
export function flatToTensors(problem: FusedProblem, flat: Float32Array): Params {
  return problem.tensors.map((t) => tf.tensor(flat.slice(t.offset, t.offset + t.size), t.shape, 'float32'));
}

/** The inverse of flatToTensors (reads the tensors synchronously). */
export function tensorsToFlat(problem: FusedProblem, ts: tf.Tensor[], into: Float32Array = new Float32Array(problem.theta0.length)): Float32Array {
  if (ts.length !== problem.tensors.length) throw new Error(`expected ${problem.tensors.length} tensors, got ${ts.length}`);
  problem.tensors.forEach((t, i) => {
    if (ts[i].size !== t.size) throw new Error(`${t.name}: expected ${t.size} values, got ${ts[i].size}`);
    into.set(ts[i].dataSync() as Float32Array, t.offset);
  });
  return into;
}

/**
 * The run's θ and optimizer state as tfjs values: `params` for core/run.ts's Run and `state` in the
 * algorithm's own layout ({t, m, v, vmax} for Adam, …; absent slots are null). The caller owns
 * (and disposes) the tensors.
 */
export function toTfjs(run: FusedRun): { params: Params; state: tf.TensorContainer; t: number } {
  const state: Record<string, tf.TensorContainer> = { t: run.state.t, ...mmStateToTfjs(run.algorithm, run.state.mm) };
  for (const slot of TFJS_STATE_SLOTS[run.algorithm]) {
    const a = run.state.slots[slot];
    state[slot] = a ? flatToTensors(run.problem, a) : null;
  }
  return { params: flatToTensors(run.problem, run.theta), state, t: run.t };
}

/**
 * Loads tfjs parameters and an optimizer state (same algorithm as the run's, tfjs layout) into the
 * fused run. Reads synchronously; does not dispose its inputs.
 */
export function fromTfjs(run: FusedRun, params: Params, state: tf.TensorContainer): void {
  tensorsToFlat(run.problem, params, run.theta);
  run.paramsChanged();
  const s = state as Record<string, unknown>;
  const mm = mmStateFromTfjs(run.algorithm, s);
  run.state = { t: typeof s.t === 'number' ? s.t : 0, slots: {}, ...(mm ? { mm } : {}) };
  for (const slot of TFJS_STATE_SLOTS[run.algorithm]) {
    const ts = s[slot];
    if (Array.isArray(ts) && ts.length) run.state.slots[slot] = tensorsToFlat(run.problem, ts as tf.Tensor[]);
  }
}
