/**
 * tfjs-side pieces of the MM algorithms not yet written against the engine interface (mm-bohning,
 * mm-gauss-newton, proxprop) and of the implied-model probe: MLP downcast, flat float64 views of
 * parameter lists (the Jacobian products: mm-jacobian.ts), block views. The float32 acceptance slack
 * `fSlack` lives with the Lipschitz search (lipschitz.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { MLPObjective } from '../problems/mlp';
import { tfjsContext } from '../engines/tfjs/adapter';
import { tensorsOf, tfjsVec } from '../engines/tfjs/vector-ops';
import type { Objective, Params } from '../types';
import { num } from './common';
import * as generic from './lipschitz';

export { fSlack } from './lipschitz';

/** The MLP structure (X, Y, forward, layerInputs, …) or a clear error for other problems. */
export function asMLP(obj: Objective, who: string): MLPObjective {
  if (obj.kind !== 'mlp') throw new Error(`${who} applies to MLP problems only (got '${obj.kind}')`);
  return obj as MLPObjective;
}

/** f(θ) as a number (tensors freed). */
export function lossAt(obj: Objective, params: Params): number {
  return tf.tidy(() => num(obj.loss(params)));
}

/** Parameter indices of layer l's (W_l, b_l) in [W1, b1, …, WL, bL]. */
export function layerBlock(l: number): number[] {
  return [2 * l, 2 * l + 1];
}

/** All entries of a list of tensors, concatenated in order, as float64. */
export function flatten(ts: tf.Tensor[]): Float64Array {
  const size = ts.reduce((s, t) => s + t.size, 0);
  const out = new Float64Array(size);
  let o = 0;
  for (const t of ts) {
    out.set(t.dataSync(), o);
    o += t.size;
  }
  return out;
}

/** Tensors shaped like `like` holding the entries of a flat vector (inverse of flatten). */
export function unflatten(flat: ArrayLike<number>, like: tf.Tensor[]): tf.Tensor[] {
  let o = 0;
  return like.map((t) => {
    const part = Float32Array.from({ length: t.size }, (_, i) => flat[o + i]);
    o += t.size;
    return tf.tensor(part, t.shape);
  });
}

/** Replaces the tensors at `idx` of `params` by `block` (no copies: a view for evaluation). */
export function withBlock(params: Params, idx: number[], block: tf.Tensor[]): Params {
  return params.map((p, i) => {
    const j = idx.indexOf(i);
    return j < 0 ? p : block[j];
  });
}

/** true when p equals θ exactly on every tensor outside `idx` (the block surrogates' domain). */
export function sameOutside(p: Params, theta: Params, idx: number[]): boolean {
  const others = theta.map((_, i) => i).filter((i) => !idx.includes(i) && p[i] !== theta[i]);
  if (others.length === 0) return true;
  return tf.tidy(() => num(tf.addN(others.map((i) => tf.sum(tf.abs(tf.sub(p[i], theta[i])))))) === 0);
}

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
