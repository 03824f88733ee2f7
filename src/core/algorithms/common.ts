/**
 * Pieces shared by the algorithms: f and ∇f in one pass, and quadratic models
 * g(θ) = f(θₖ) + ∇f(θₖ)·Δ + ½ Σ c ⊙ Δ² (Δ = θ − θₖ) with scalar or diagonal curvature c.
 */
import * as tf from '@tensorflow/tfjs';
import type { Objective, Params, Surrogate, SurrogateScope } from '../types';

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

/** g(θ) = f(θₖ) + gₖ·Δ + ½ Σ c⊙Δ²; its minimiser is θₖ − gₖ/c. */
export function quadraticModel(spec: QuadraticModelSpec): Surrogate {
  // tf.keep: the surrogate owns these copies even when it is built inside a tf.tidy (they live in
  // closures, which tidy cannot see, so it would otherwise dispose them on exit).
  const theta = spec.params.map((p) => tf.keep(p.clone()));
  const g = spec.grads.map((x) => tf.keep(x.clone()));
  const c = typeof spec.curvature === 'number' ? null : spec.curvature.map((x) => tf.keep(x.clone()));
  const cScalar = typeof spec.curvature === 'number' ? spec.curvature : 1;
  const minimiser = tf.tidy(() =>
    theta.map((t, i) => tf.keep(tf.sub(t, c ? tf.div(g[i], c[i]) : tf.div(g[i], cScalar)))),
  );
  return {
    certified: spec.certified,
    scope: spec.scope,
    formula: spec.formula,
    minimiser,
    value: (p) =>
      tf.tidy(() => {
        const terms = p.map((pi, i) => {
          const d = tf.sub(pi, theta[i]);
          const quad = c ? tf.mul(c[i], tf.square(d)) : tf.mul(tf.square(d), cScalar);
          return tf.sum(tf.add(tf.mul(g[i], d), tf.mul(quad, 0.5)));
        });
        return spec.f0 + num(tf.addN(terms));
      }),
    dispose: () => tf.dispose([...theta, ...g, ...(c ?? []), ...minimiser]),
  };
}

/** True when every entry of every tensor is finite. */
export function allFinite(ts: tf.Tensor[]): boolean {
  return tf.tidy(() => ts.every((t) => num(tf.all(tf.isFinite(t)).toFloat()) === 1));
}
