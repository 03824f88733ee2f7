/**
 * Gauss–Newton / prox-linear MM for f = h ∘ c + penalty (c: parameters → network outputs on the data,
 * h: the mean loss of the outputs, convex with h″ ≤ c_h/n per output coordinate: bce ¼, softmax ½,
 * mse 2/K exactly — MLPObjective.curvatureBound):
 *   g_λ(θₖ + d) = f(θₖ) + gₖ·d + ½ dᵀ(c_h·JₖᵀJₖ/n + l2·D + λI) d,
 * Jₖ = ∂c/∂θ at θₖ, D = diag(1 on weights, 0 on biases) (the ridge penalty's exact quadratic). The step
 * solves (c_h·JᵀJ/n + l2·D + λI) d = −gₖ and is accepted only when f(θₖ + d) ≤ g_λ(θₖ + d) (float32
 * slack, see mm-shared.ts); then λ ← λ/decrease (kept when only the slack let it pass), else
 * λ ← λ·increase and the system is solved again (at most maxTries solves; then θ stays, accepted: false).
 *
 * Why the test: h(c(θₖ) + Jd) ≤ the quadratic above (h″ ≤ c_h/n), but c(θₖ + d) ≠ c(θₖ) + Jd for a
 * network, so g_λ is NOT a majorizer of f in general; the acceptance test certifies it at the accepted
 * point, which is all the MM invariant f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ f(θₖ) needs. When c is linear (logistic,
 * softmax or least-squares regression, hidden: []) g_λ is a global majorizer for every λ ≥ 0.
 *
 * Linear algebra: with P ≤ maxDirect parameters, JᵀJ is formed exactly (per-example Jacobian rows,
 * accumulated in float64) and factored by Cholesky in plain TS; beyond, conjugate gradients on
 * v ↦ c_h·Jᵀ(Jv)/n + l2·Dv + λv, with Jv by hand-written forward-mode (tangent propagation through the
 * layers: tfjs has neither jvp nor nested gradients) and Jᵀu by one tf.grads (see mm-shared.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { cholesky, cholSolve, conjugateGradient, dot, matVec } from '../linalg';
import type { MLPObjective } from '../problems/mlp';
import type { Algorithm, Params, Surrogate } from '../types';
import { num } from './common';
import { jacobianGram, jvp, vjp, weightMask } from './mm-jacobian';
import { asMLP, flatten, fSlack, lossAt, unflatten } from './mm-shared';

const bounded = (name: string, lo: number, hi: number) =>
  z.number().min(lo, `${name} must be in [${lo}, ${hi}]`).max(hi, `${name} must be in [${lo}, ${hi}]`);
const intIn = (name: string, lo: number, hi: number) =>
  z.number().int(`${name} must be an integer`).min(lo, `${name} must be in [${lo}, ${hi}]`).max(hi, `${name} must be in [${lo}, ${hi}]`);

export const mmGaussNewtonHyper = z
  .object({
    /** Initial damping λ. */
    lambda0: z.number().gt(0, 'lambda0 must be > 0').lte(1e8, 'lambda0 must be ≤ 1e8').default(1),
    /** λ ← λ·increase after a refused step. */
    increase: z.number().gt(1, 'increase must be in (1, 1000]').lte(1000, 'increase must be in (1, 1000]').default(10),
    /** λ ← λ/decrease after an accepted step. */
    decrease: bounded('decrease', 1, 1000).default(3),
    /** Solves per step before giving up (θ unchanged). */
    maxTries: intIn('maxTries', 1, 100).default(30),
    /** Cholesky on the explicit P×P matrix when P ≤ maxDirect, else conjugate gradients. */
    maxDirect: intIn('maxDirect', 0, 2000).default(300),
    cgIterations: intIn('cgIterations', 1, 1000).default(100),
    cgTolerance: z.number().gt(0, 'cgTolerance must be in (0, 1)').lt(1, 'cgTolerance must be in (0, 1)').default(1e-6),
  })
  .strict();
export type MMGaussNewtonHyper = z.infer<typeof mmGaussNewtonHyper>;

export type MMGaussNewtonState = {
  t: number;
  /** Damping to try first at the next step. */
  lambda: number;
};

const WHO = 'Gauss–Newton MM';
const LAMBDA_MIN = 1e-12;
const LAMBDA_MAX = 1e15;

interface GNSearch {
  f0: number;
  g: Float64Array;
  d: Float64Array;
  lambda: number;
  accepted: boolean;
  tries: number;
  fNext: number;
  /** Accepted without the float32 slack (else λ is not decreased: see mm-shared.ts). */
  strict: boolean;
  direct: boolean;
  cgIterations: number;
  /** dᵀ(c_h·JᵀJ/n + l2·D)d, for any d (without λ). */
  quad: (d: Float64Array) => number;
  /** Frees the tensors `quad` holds (CG path). */
  release: () => void;
}

function curvatureOperator(obj: MLPObjective, params: Params, P: number, direct: boolean): Pick<GNSearch, 'quad' | 'release'> & { apply: (v: Float64Array) => Float64Array; Gm: Float64Array | null } {
  const c = obj.curvatureBound / obj.n;
  const mask = weightMask(params);
  const l2 = obj.spec.l2;
  if (direct) {
    const { G } = jacobianGram(obj, params);
    for (let i = 0; i < P * P; i++) G[i] *= c;
    for (let i = 0; i < P; i++) G[i * P + i] += l2 * mask[i];
    return { Gm: G, apply: (v) => matVec(G, P, v), quad: (d) => dot(d, matVec(G, P, d)), release: () => {} };
  }
  const theta = params.map((p) => tf.keep(p.clone()));
  const apply = (v: Float64Array): Float64Array => {
    const out = tf.tidy(() => {
      const vt = unflatten(v, theta);
      const u = jvp(obj, theta, vt);
      return vjp(obj, theta, u);
    });
    const r = flatten(out);
    tf.dispose(out);
    for (let i = 0; i < P; i++) r[i] = c * r[i] + l2 * mask[i] * v[i];
    return r;
  };
  const quad = (d: Float64Array): number => {
    const jd2 = tf.tidy(() => num(tf.sum(tf.square(jvp(obj, theta, unflatten(d, theta))))));
    let pen = 0;
    for (let i = 0; i < P; i++) pen += mask[i] * d[i] * d[i];
    return c * jd2 + l2 * pen;
  };
  return { Gm: null, apply, quad, release: () => tf.dispose(theta) };
}

function gnSearch(obj: MLPObjective, params: Params, lambdaStart: number, h: MMGaussNewtonHyper): GNSearch {
  const { value, grads } = tf.tidy(() => {
    const r = tf.valueAndGrads((...p: tf.Tensor[]) => obj.loss(p))(params);
    return { value: r.value, grads: r.grads };
  });
  const f0 = num(value);
  const g = flatten(grads);
  tf.dispose([value, ...grads]);
  const P = g.length;
  const direct = P <= h.maxDirect;
  const zero = new Float64Array(P);
  const base = { f0, g, direct, cgIterations: 0 };
  if (!Number.isFinite(f0) || !g.every(Number.isFinite))
    return { ...base, d: zero, lambda: lambdaStart, accepted: false, strict: false, tries: 0, fNext: f0, quad: () => 0, release: () => {} };
  if (g.every((v) => v === 0))
    return { ...base, d: zero, lambda: lambdaStart, accepted: true, strict: false, tries: 0, fNext: f0, quad: () => 0, release: () => {} };

  const op = curvatureOperator(obj, params, P, direct);
  const rhs = g.map((v) => -v);
  let lambda = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, lambdaStart));
  let cgIterations = 0;
  for (let tries = 0; tries < h.maxTries; tries++) {
    let d: Float64Array;
    if (op.Gm) {
      const A = Float64Array.from(op.Gm);
      for (let i = 0; i < P; i++) A[i * P + i] += lambda;
      const { L, jitter } = cholesky(A, P);
      if (jitter > 0) lambda += jitter; // the factored matrix is A + jitter·I: count it in λ
      d = cholSolve(L, P, rhs);
    } else {
      const lam = lambda;
      const r = conjugateGradient((v) => {
        const a = op.apply(v);
        for (let i = 0; i < P; i++) a[i] += lam * v[i];
        return a;
      }, rhs, h.cgIterations, h.cgTolerance);
      d = r.x;
      cgIterations += r.iterations;
    }
    const predicted = f0 + dot(g, d) + 0.5 * (op.quad(d) + lambda * dot(d, d));
    const fNew = tf.tidy(() => {
      const delta = unflatten(d, params);
      return lossAt(obj, params.map((p, i) => tf.add(p, delta[i])));
    });
    if (Number.isFinite(fNew) && fNew <= predicted + fSlack(f0)) {
      const strict = fNew <= predicted;
      return { ...base, d, lambda, accepted: true, strict, tries, fNext: fNew, cgIterations, quad: op.quad, release: op.release };
    }
    if (lambda >= LAMBDA_MAX) break;
    lambda = Math.min(LAMBDA_MAX, lambda * h.increase);
  }
  return { ...base, d: zero, lambda, accepted: false, strict: false, tries: h.maxTries, fNext: f0, cgIterations, quad: op.quad, release: op.release };
}

function addFlat(params: Params, d: Float64Array): Params {
  return tf.tidy(() => {
    const delta = unflatten(d, params);
    return params.map((p, i) => tf.add(p, delta[i]));
  });
}

export const mmGaussNewton: Algorithm<MMGaussNewtonHyper, MMGaussNewtonState> = {
  id: 'mm-gauss-newton',
  label: 'MM (Gauss–Newton, prox-linear)',
  family: 'mm',
  problems: ['mlp'],
  hyper: mmGaussNewtonHyper,
  summary:
    'Linearise the network, bound the loss by its curvature bound (¼ for logistic, ½ for softmax, exact for ' +
    'MSE) and add λ‖d‖²/2: solve (c·JᵀJ/n + λI)d = −∇f, accept only if f(θ + d) stays below that model ' +
    '(then λ/3), else λ×10. A majorizer certified at the accepted point (globally when the model is linear).',
  formula: String.raw`g_\lambda(\theta_k + d) = f(\theta_k) + \nabla f^\top d + \tfrac12 d^\top\big(c_h J_k^\top J_k/n + \ell_2 D + \lambda I\big)d,\quad d = -\big(c_h J_k^\top J_k/n + \ell_2 D + \lambda I\big)^{-1}\nabla f`,
  init: (_params, h) => ({ t: 0, lambda: h.lambda0 }),
  step(objective, params, state, h) {
    const obj = asMLP(objective, WHO);
    const s = gnSearch(obj, params, state.lambda, h);
    s.release();
    const next = s.accepted ? addFlat(params, s.d) : params.map((p) => p.clone());
    const lambda = s.accepted && s.strict ? Math.max(LAMBDA_MIN, s.lambda / h.decrease) : s.lambda;
    return {
      params: next,
      state: { t: state.t + 1, lambda },
      info: {
        lossBefore: s.f0,
        lossAfter: s.fNext,
        lambda: s.lambda,
        tries: s.tries,
        accepted: s.accepted,
        direct: s.direct,
        ...(s.direct ? {} : { cgIterations: s.cgIterations }),
      },
    };
  },
  model(objective, params, state, h) {
    const obj = asMLP(objective, WHO);
    const s = gnSearch(obj, params, state.lambda, h);
    const thetaFlat = flatten(params);
    const minimiser = addFlat(params, s.d).map((t) => tf.keep(t));
    const { f0, g, lambda, quad } = s;
    const linear = params.length === 2;
    const surrogate: Surrogate = {
      certified: s.accepted,
      scope: linear ? 'global' : 'step',
      formula:
        `g_λ(θₖ + d) = f(θₖ) + ∇f·d + ½dᵀ(${obj.curvatureBound.toPrecision(3)}·JᵀJ/n + ${obj.spec.l2}·D + λI)d, λ = ${lambda.toPrecision(3)}` +
        (linear ? '; c is linear here: a global majorizer' : '; certified at the accepted point only (linearised network)'),
      minimiser,
      value: (p) => {
        const d = flatten(p);
        for (let i = 0; i < d.length; i++) d[i] -= thetaFlat[i];
        return f0 + dot(g, d) + 0.5 * (quad(d) + lambda * dot(d, d));
      },
      dispose: () => {
        s.release();
        tf.dispose(minimiser);
      },
    };
    return surrogate;
  },
};
