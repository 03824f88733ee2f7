/**
 * Hand-over between the cpu engine and the tfjs one, exact to the bit: parameters and algorithm state
 * as tfjs tensors and back. The state has the same layout on both engines (the algorithm is written
 * once), so only its Vecs change form: a Float32Array (cpu) ↔ one tensor per parameter (tfjs). For a
 * live session that moves a run to tfjs (a switch to an algorithm the cpu engine does not run, a
 * surrogate or decision-boundary view that needs tensors) or back.
 */
import * as tf from '@tensorflow/tfjs';
import type { AlgorithmState } from '../engine/algorithm';
import type { Params } from '../types';
import type { ParamTensor } from '../engine/problem';
import { cpuArray, cpuVec } from '../engines/cpu/vector-ops';
import type { Run } from '../fold/run';

/** A flat float32 vector as one tensor per parameter ([W1 (in×out), b1, …]); the caller disposes them. */
export function flatToTensors(problem: { layout: readonly ParamTensor[] }, flat: Float32Array): Params {
  return problem.layout.map((t) => tf.tensor(flat.slice(t.offset, t.offset + t.size), t.shape, 'float32'));
}

/** The inverse of flatToTensors (reads the tensors synchronously). */
export function tensorsToFlat(problem: { layout: readonly ParamTensor[] }, ts: tf.Tensor[], into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(problem.layout.reduce((n, t) => n + t.size, 0));
  if (ts.length !== problem.layout.length) throw new Error(`expected ${problem.layout.length} tensors, got ${ts.length}`);
  problem.layout.forEach((t, i) => {
    if (ts[i].size !== t.size) throw new Error(`${t.name}: expected ${t.size} values, got ${ts[i].size}`);
    out.set(ts[i].dataSync() as Float32Array, t.offset);
  });
  return out;
}

const isTensorList = (x: unknown): x is tf.Tensor[] => Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof tf.Tensor);

/**
 * Converts every Vec of a state: `vec` maps each Vec (a Float32Array, or a tensor list) to the other
 * engine's form; numbers, booleans, number arrays and null pass through (copied).
 */
export function mapStateVecs(state: Record<string, unknown>, vec: (v: Float32Array | tf.Tensor[]) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) {
    if (v instanceof Float32Array || isTensorList(v)) out[k] = vec(v);
    else if (Array.isArray(v)) out[k] = v.length === 0 ? null : [...v];
    else out[k] = v;
  }
  return out;
}

/** The cpu run's state as the tfjs algorithm's state (tensors owned by the caller). */
export function stateToTfjs(problem: { layout: readonly ParamTensor[] }, state: AlgorithmState): tf.TensorContainer {
  return mapStateVecs(state, (v) => flatToTensors(problem, v as Float32Array)) as tf.TensorContainer;
}

/** A tfjs state (same algorithm) as the cpu run's state (reads synchronously; does not dispose). */
export function stateFromTfjs(problem: { layout: readonly ParamTensor[] }, state: tf.TensorContainer): AlgorithmState {
  return mapStateVecs(state as Record<string, unknown>, (v) => cpuVec(tensorsToFlat(problem, v as tf.Tensor[]))) as AlgorithmState;
}

/** The run's θ and algorithm state as tfjs values for core/run.ts's Run. The caller owns the tensors. */
export function toTfjs(run: Run): { params: Params; state: tf.TensorContainer; t: number } {
  return { params: flatToTensors(run.problem, cpuArray(run.theta)), state: stateToTfjs(run.problem, run.state), t: run.t };
}

/** Loads tfjs parameters and a state (same algorithm as the run's) into the cpu run. Does not dispose its inputs. */
export function fromTfjs(run: Run, params: Params, state: tf.TensorContainer): void {
  run.load(run.algorithm.id, run.hyper, cpuVec(tensorsToFlat(run.problem, params)), stateFromTfjs(run.problem, state));
}
