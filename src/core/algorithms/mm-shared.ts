/**
 * tfjs-side helpers left over from the MM algorithms' move to the engine interface: the implied-model
 * probe's Hessian power iteration on tensors. The float32 acceptance slack `fSlack` lives with the
 * Lipschitz search (lipschitz.ts) and is re-exported here for older imports.
 */
import * as tf from '@tensorflow/tfjs';
import { tfjsContext } from '../engines/tfjs/adapter';
import { tensorsOf, tfjsVec } from '../engines/tfjs/vector-ops';
import type { Objective, Params } from '../types';
import * as generic from './lipschitz';

export { fSlack } from './lipschitz';

/**
 * Largest-magnitude Hessian eigenvalue at θ on the tfjs engine (lipschitz.ts's power iteration).
 * Returns |λ| and the unit direction (owned by the caller).
 */
export function powerIteration(obj: Objective, params: Params, iterations: number, seed = 1): { lambda: number; vector: tf.Tensor[] } {
  return tf.tidy(() => {
    const r = generic.powerIteration(tfjsContext(obj, params), tfjsVec(params), iterations, seed);
    return { lambda: r.lambda, vector: tensorsOf(r.vector) };
  });
}
