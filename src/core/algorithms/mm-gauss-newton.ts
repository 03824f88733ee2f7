/**
 * Gauss–Newton / prox-linear MM for f = h ∘ c + penalty (c: parameters → network outputs on the data,
 * h: the mean loss of the outputs, convex with h″ ≤ c_h/n per output coordinate: bce ¼, softmax ½,
 * mse 2/K exactly — MLPObjective.curvatureBound):
 *   g_λ(θₖ + d) = f(θₖ) + gₖ·d + ½ dᵀ(c_h·JₖᵀJₖ/n + l2·D + λI) d,
 * Jₖ = ∂c/∂θ at θₖ, D = diag(1 on weights, 0 on biases) (the ridge penalty's exact quadratic). The step
 * solves (c_h·JᵀJ/n + l2·D + λI) d = −gₖ and is accepted only when f(θₖ + d) ≤ g_λ(θₖ + d) (float32
 * slack, see lipschitz.ts); then λ ← λ/decrease (kept when only the slack let it pass), else
 * λ ← λ·increase and the system is solved again (at most maxTries solves; then θ stays, accepted: false).
 *
 * Why the test: h(c(θₖ) + Jd) ≤ the quadratic above (h″ ≤ c_h/n), but c(θₖ + d) ≠ c(θₖ) + Jd for a
 * network, so g_λ is NOT a majorizer of f in general; the acceptance test certifies it at the accepted
 * point, which is all the MM invariant f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ f(θₖ) needs. When c is linear (logistic,
 * softmax or least-squares regression, hidden: []) g_λ is a global majorizer for every λ ≥ 0.
 *
 * Linear algebra: with P ≤ maxDirect parameters, JᵀJ is formed exactly (per-example Jacobian rows,
 * accumulated in float64) and factored by Cholesky in plain TS; beyond, conjugate gradients on
 * v ↦ c_h·Jᵀ(Jv)/n + l2·Dv + λv, with Jv by forward-mode (tangent propagation through the layers) and Jᵀu
 * by one reverse pass — the engine's NetOps (engine/net-ops.ts; dense MLPs: engines/{cpu,tfjs}/mlp-ops.ts,
 * CNNs: engines/{cpu,tfjs}/cnn-ops.ts — a convolution is linear in its input and in its kernel, so J·v
 * goes through it as conv(ȧ, K) + conv(a, V) + v_c, the activation's derivative and the pool's argmax).
 * A CNN has thousands of parameters: above maxDirect (the default 300) the path is CG, whose memory is
 * O(P + nK); the direct path holds two P×P float64 arrays. The solves run in float64 on flat arrays in
 * θ's layout order; a direction d enters θ rounded to float32 (θ + d is one float32 addition).
 */
import type { EngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import { requireNet, type NetOps } from '../engine/net-ops';
import type { StepContext, Vec } from '../engine/types';
import { choleskyScaledShifted, cholSolve, conjugateGradient, dot, matVec } from '../linalg';
import { fSlack } from './lipschitz';
import { mmGaussNewtonSpec, type MMGaussNewtonHyper } from './mm-gauss-newton-spec';

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
  /** θₖ + d when accepted, else null. */
  next: Vec | null;
  /** Accepted without the float32 slack (else λ is not decreased: see lipschitz.ts's fSlack). */
  strict: boolean;
  direct: boolean;
  cgIterations: number;
  /** dᵀ(c_h·JᵀJ/n + l2·D)d, for any d (without λ). */
  quad: (d: Float64Array) => number;
}

/**
 * Work arrays of the direct path (JᵀJ, the factor of the shifted curvature matrix), reused from
 * step to step: allocating P×P arrays per step costs more than the solve on a small net (V8
 * zero-fills each and frees it by a full GC). One set, for the last P seen, up to SCRATCH_MAX entries
 * each (beyond, the O(nP²) product dominates and they are allocated per step). `step` only: a model's
 * surrogate keeps its matrix for its lifetime.
 */
interface DirectBuffers {
  G: Float64Array;
  L: Float64Array;
}
const SCRATCH_MAX = 512 * 512;
let scratch: DirectBuffers | null = null;

function directBuffers(P: number, reuse: boolean): DirectBuffers {
  const make = (): DirectBuffers => ({ G: new Float64Array(P * P), L: new Float64Array(P * P) });
  if (!reuse || P * P > SCRATCH_MAX) return make();
  if (!scratch || scratch.G.length !== P * P) scratch = make();
  return scratch;
}

/** (c_h·JᵀJ/n + l2·D) at θ: explicit (P ≤ maxDirect) or as a matrix-free product (J·v then Jᵀu). */
function curvatureOperator(
  { ops }: StepContext,
  net: NetOps,
  theta: Vec,
  P: number,
  bufs: DirectBuffers | null,
): {
  apply: (v: Float64Array) => Float64Array;
  quad: (d: Float64Array) => number;
  /** Direct path: JᵀJ (unscaled; the matrix is c·JᵀJ + diag(ridge)), c and the ridge diagonal l2·D. */
  Gm: Float64Array | null;
  c: number;
  ridge: Float64Array;
} {
  const c = net.curvatureBound / net.n;
  const mask = Float64Array.from(ops.toArray(net.weightMask(theta)));
  const l2 = net.l2;
  const penalty = (d: Float64Array): number => {
    let pen = 0;
    for (let i = 0; i < P; i++) pen += mask[i] * d[i] * d[i];
    return l2 * pen;
  };
  const ridge = mask.map((m) => l2 * m);
  if (bufs) {
    // JᵀJ is kept unscaled: c and the ridge enter where it is used (the factorisation's copy, quad).
    const G = net.jacobianGram(theta, bufs.G);
    const apply = (v: Float64Array): Float64Array => {
      const r = matVec(G, P, v);
      for (let i = 0; i < P; i++) r[i] = c * r[i] + ridge[i] * v[i];
      return r;
    };
    return { Gm: G, c, ridge, apply, quad: (d) => c * dot(d, matVec(G, P, d)) + penalty(d) };
  }
  const apply = (v: Float64Array): Float64Array => {
    let r = new Float64Array(0);
    ops.tidy(() => {
      r = Float64Array.from(ops.toArray(net.vjp(theta, net.jvp(theta, ops.fromArray(theta, v)))));
      return 0;
    });
    for (let i = 0; i < P; i++) r[i] = c * r[i] + l2 * mask[i] * v[i];
    return r;
  };
  const quad = (d: Float64Array): number => {
    let jd2 = 0;
    ops.tidy(() => {
      const jd = net.jvp(theta, ops.fromArray(theta, d));
      for (let i = 0; i < jd.length; i++) jd2 += jd[i] * jd[i];
      return 0;
    });
    return c * jd2 + penalty(d);
  };
  return { Gm: null, c, ridge, apply, quad };
}

/**
 * The damped search at θ: solve, test f(θ + d) ≤ g_λ(θ + d) (+ slack), raise λ until it holds. `theta`
 * must outlive `quad` (the matrix-free path evaluates J at θ).
 */
function gnSearch(c: StepContext, theta: Vec, lambdaStart: number, h: MMGaussNewtonHyper, reuse: boolean): GNSearch {
  const { ops, f } = c;
  const net = requireNet(f, WHO);
  const { value: f0, grad } = f.valueAndGrad(theta);
  const g = Float64Array.from(ops.toArray(grad));
  const P = g.length;
  const direct = P <= h.maxDirect;
  const zero = new Float64Array(P);
  const base = { f0, g, direct, cgIterations: 0 };
  if (!Number.isFinite(f0) || !g.every(Number.isFinite))
    return { ...base, d: zero, lambda: lambdaStart, accepted: false, strict: false, tries: 0, fNext: f0, next: null, quad: () => 0 };
  if (g.every((v) => v === 0))
    return { ...base, d: zero, lambda: lambdaStart, accepted: true, strict: false, tries: 0, fNext: f0, next: ops.clone(theta), quad: () => 0 };

  const bufs = direct ? directBuffers(P, reuse) : null;
  const op = curvatureOperator(c, net, theta, P, bufs);
  const rhs = g.map((v) => -v);
  const shift = new Float64Array(P);
  let lambda = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, lambdaStart));
  let cgIterations = 0;
  for (let tries = 0; tries < h.maxTries; tries++) {
    let d: Float64Array;
    if (op.Gm && bufs) {
      for (let i = 0; i < P; i++) shift[i] = op.ridge[i] + lambda;
      const { L, jitter } = choleskyScaledShifted(op.Gm, P, op.c, shift, bufs.L);
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
    const cand = ops.add(theta, ops.fromArray(theta, d));
    const fNew = f.value(cand);
    if (Number.isFinite(fNew) && fNew <= predicted + fSlack(f0)) {
      const strict = fNew <= predicted;
      return { ...base, d, lambda, accepted: true, strict, tries, fNext: fNew, next: cand, cgIterations, quad: op.quad };
    }
    ops.dispose(cand);
    if (lambda >= LAMBDA_MAX) break;
    lambda = Math.min(LAMBDA_MAX, lambda * h.increase);
  }
  return { ...base, d: zero, lambda, accepted: false, strict: false, tries: h.maxTries, fNext: f0, next: null, cgIterations, quad: op.quad };
}

export const mmGaussNewton: EngineAlgorithm<MMGaussNewtonHyper, MMGaussNewtonState> = {
  ...mmGaussNewtonSpec,
  init: (_c, _theta, h) => ({ t: 0, lambda: h.lambda0 }),
  step(c, theta, state, h) {
    const s = gnSearch(c, theta, state.lambda, h, true);
    const next = s.next ?? c.ops.clone(theta);
    const lambda = s.accepted && s.strict ? Math.max(LAMBDA_MIN, s.lambda / h.decrease) : s.lambda;
    return {
      theta: next,
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
  model(c, theta, state, h): VecSurrogate {
    const { ops, f } = c;
    const net = requireNet(f, WHO);
    // θₖ is kept for the surrogate's lifetime: the matrix-free quad evaluates J there.
    const thetaK = ops.keep(ops.clone(theta));
    const s = ops.tidy(() => {
      const r = gnSearch(c, thetaK, state.lambda, h, false);
      ops.keep(r.next);
      return { ...r, next: null, minimiser: r.accepted && r.next ? r.next : null };
    }) as GNSearch & { minimiser: Vec | null };
    const thetaFlat = Float64Array.from(ops.toArray(thetaK));
    const minimiser = s.minimiser ?? ops.keep(ops.tidy(() => ops.add(thetaK, ops.fromArray(thetaK, s.d))));
    const { f0, g, lambda, quad } = s;
    const linear = f.blocks === 1;
    return {
      certified: s.accepted,
      scope: linear ? 'global' : 'step',
      formula:
        `g_λ(θₖ + d) = f(θₖ) + ∇f·d + ½dᵀ(${net.curvatureBound.toPrecision(3)}·JᵀJ/n + ${net.l2}·D + λI)d, λ = ${lambda.toPrecision(3)}` +
        (linear ? '; c is linear here: a global majorizer' : '; certified at the accepted point only (linearised network)'),
      minimiser,
      value: (p) => {
        const d = Float64Array.from(ops.toArray(p));
        for (let i = 0; i < d.length; i++) d[i] -= thetaFlat[i];
        return f0 + dot(g, d) + 0.5 * (quad(d) + lambda * dot(d, d));
      },
      dispose: () => ops.dispose([thetaK, minimiser]),
    };
  },
};
