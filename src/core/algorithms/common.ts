/**
 * Pieces shared by the algorithms: f and ∇f in one pass, and quadratic models
 * g(θ) = f(θₖ) + ∇f(θₖ)·Δ + ½ Σ c ⊙ Δ² (Δ = θ − θₖ) with scalar or diagonal curvature c.
 */
import * as tf from '@tensorflow/tfjs';
import { tfjsContext, tfjsSurrogate } from '../engines/tfjs/adapter';
import { tfjsVec } from '../engines/tfjs/vector-ops';
import type { Objective, Params, Surrogate, SurrogateScope } from '../types';
import { quadraticModel as genericQuadratic } from './quadratic';

export function valueAndGrads(obj: Objective, params: Params): { value: tf.Scalar; grads: tf.Tensor[] } {
  const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => obj.loss(p))(params);
  return { value: value as tf.Scalar, grads };
}

/** Σᵢ ⟨aᵢ, bᵢ⟩ over lists of same-shaped tensors. */
export function dotAll(a: tf.Tensor[], b: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.addN(a.map((ai, i) => tf.sum(tf.mul(ai, b[i])))) as tf.Scalar);
}

/** Reads a scalar synchronously (models and line searches need the number now). */
export function num(t: tf.Tensor): number {
  return t.dataSync()[0];
}

export interface QuadraticModelSpec {
  obj: Objective;
  /** θₖ — copied, so the caller keeps ownership of its tensors. */
  params: Params;
  /** ∇f(θₖ) — copied. */
  grads: tf.Tensor[];
  /** f(θₖ). */
  f0: number;
  /** Curvature: a scalar (L, 1/lr) or one tensor per parameter (diagonal preconditioner). */
  curvature: number | tf.Tensor[];
  certified: boolean;
  /** See Surrogate.scope. */
  scope?: SurrogateScope;
  formula: string;
}

/** quadratic.ts's g(θ) = f(θₖ) + gₖ·Δ + ½ Σ c⊙Δ² on tfjs tensors (for the algorithms still written on tfjs). */
export function quadraticModel(spec: QuadraticModelSpec): Surrogate {
  const { curvature: c } = spec;
  return tfjsSurrogate(
    genericQuadratic(tfjsContext(spec.obj, spec.params), {
      ...spec,
      theta: tfjsVec(spec.params),
      grad: tfjsVec(spec.grads),
      curvature: typeof c === 'number' ? c : tfjsVec(c),
    }),
  );
}

/** True when every entry of every tensor is finite. */
export function allFinite(ts: tf.Tensor[]): boolean {
  return tf.tidy(() => ts.every((t) => num(tf.all(tf.isFinite(t)).toFloat()) === 1));
}
