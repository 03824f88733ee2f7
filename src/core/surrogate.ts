/**
 * The surrogate helpers of core/views/surrogate.ts on tfjs tensors (a tfjs Objective, a core
 * Algorithm from engines/tfjs/algorithms.ts, parameter tensors): for the tfjs-side tests and the
 * implied-model probe (implied-model.ts). Everything is disposed: these helpers leave
 * `tf.memory().numTensors` as they found it.
 */
import * as tf from '@tensorflow/tfjs';
import type { AnyEngineAlgorithm } from './engine/algorithm';
import { tfjsContext } from './engines/tfjs/adapter';
import { disposeReplaced } from './engines/tfjs/problem';
import { tfjsVec, tfjsVectorOps, tensorsOf } from './engines/tfjs/vector-ops';
import * as generic from './views/surrogate';
import type { AnyAlgorithm, Objective, Params, Surrogate } from './types';

export { linspace, type PlaneOptions, type SliceOptions, type SurrogatePlane, type SurrogateSlice } from './views/surrogate';

function engineAlgorithm(alg: AnyAlgorithm): AnyEngineAlgorithm {
  const ea = (alg as { engineAlgorithm?: AnyEngineAlgorithm }).engineAlgorithm;
  if (!ea) throw new Error(`'${alg.id}' is not an engine algorithm (wrap it with onTfjs)`);
  return ea;
}

function layoutOf(params: Params): { offset: number; size: number }[] {
  let offset = 0;
  return params.map((p) => ({ offset: (offset += p.size) - p.size, size: p.size }));
}

function pointOf(obj: Objective, alg: AnyAlgorithm, params: Params, state: tf.TensorContainer, hyper: object): generic.ModelPoint {
  return { c: tfjsContext(obj, params), alg: engineAlgorithm(alg), theta: tfjsVec(params), state: state as object, hyper, layout: layoutOf(params), release: disposeReplaced };
}

export function norm(ts: tf.Tensor[]): number {
  return Math.sqrt(tfjsVectorOps.sumSquares(tfjsVec(ts)));
}

export function evaluate(obj: Objective, model: Surrogate, p: Params): { f: number; g: number } {
  return { f: tf.tidy(() => obj.loss(p).dataSync()[0]), g: model.value(p) };
}

/** A seeded Gaussian direction shaped like `like` (see views/surrogate.ts); the caller owns it. */
export function randomDirection(like: tf.Tensor[], seed: number, support: tf.Tensor[] | null): tf.Tensor[] {
  const p = { c: { ops: tfjsVectorOps }, theta: tfjsVec(like), layout: layoutOf(like) };
  return tensorsOf(generic.randomDirection(p, seed, support ? tfjsVec(support) : null));
}

/** f and g(·|θₖ) along the step (or the surrogate's path). */
export function surrogateSlice(
  obj: Objective,
  alg: AnyAlgorithm,
  params: Params,
  state: tf.TensorContainer,
  hyper: object,
  opts: generic.SliceOptions = {},
): generic.SurrogateSlice {
  return generic.surrogateSlice(pointOf(obj, alg, params, state, hyper), opts);
}

/** f and g on a grid through θₖ spanned by the step and a random direction. */
export function surrogatePlane(
  obj: Objective,
  alg: AnyAlgorithm,
  params: Params,
  state: tf.TensorContainer,
  hyper: object,
  opts: generic.PlaneOptions = {},
): generic.SurrogatePlane {
  return generic.surrogatePlane(pointOf(obj, alg, params, state, hyper), opts);
}
