/**
 * Curvature-quadratic MM for 2-D test functions (engine/function-ops.ts): the quadratic surrogate
 *   g(θ|θₖ) = f(θₖ) + gₖ·Δ + ½ Δᵀ(Bₖ + μI)Δ,  Δ = θ − θₖ,  minimiser θₖ₊₁ = θₖ − (Bₖ + μI)⁻¹gₖ,
 * with Bₖ one of
 *   - 'hessian':      ∇²f(θₖ) (damped Newton; μ ≥ −λmin(Bₖ) + λ so Bₖ + μI ≻ 0),
 *   - 'gauss-newton': 2c·JₖᵀJₖ for f = c·‖r‖² (Levenberg–Marquardt),
 *   - 'bound':        a constant B ⪰ ∇²f(θ) for every θ (the quadratic's A, logistic's Böhning bound),
 *                     for which g is a global majorizer (Taylor with the integral remainder) at μ = 0.
 * For 'hessian' and 'gauss-newton' g is not a majorizer of f in general: the step is accepted only when
 * f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) (float32 slack, see lipschitz.ts), which is all the MM invariant
 * f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ g(θₖ|θₖ) = f(θₖ) needs; then λ ← λ/decrease, else λ ← λ·increase and solve again
 * (at most maxTries solves; then θ stays, accepted: false). 'bound' uses λ = 0 and is always certified.
 */
import type { EngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import { requireFunction, type Sym2 } from '../engine/function-ops';
import type { StepContext, Vec } from '../engine/types';
import { fSlack } from './lipschitz';
import { mmCurvatureSpec, type MMCurvatureHyper } from './mm-curvature-spec';

export type MMCurvatureState = { t: number; lambda: number };

const WHO = 'Curvature MM';
const LAMBDA_MIN = 1e-12;

interface Search {
  f0: number;
  g: [number, number];
  /** The accepted (or last tried) curvature M = B + μI and the point θₖ − M⁻¹g. */
  M: Sym2;
  lambda: number;
  accepted: boolean;
  tries: number;
  next: Vec | null;
  fNext: number;
}

function curvatureAt(c: StepContext, theta: Vec, h: MMCurvatureHyper): Sym2 {
  const fn = requireFunction(c.f, WHO);
  if (h.curvature === 'bound') {
    if (!fn.bound) throw new Error(`${WHO}: ${fn.name} has no global curvature bound (use 'hessian' or 'gauss-newton')`);
    return fn.bound;
  }
  if (h.curvature === 'gauss-newton') {
    const gn = fn.gaussNewton(theta);
    if (!gn) throw new Error(`${WHO}: ${fn.name} is not a sum of squares, Gauss–Newton does not apply (use 'hessian')`);
    return gn;
  }
  return fn.hessian(theta);
}

/** (B + μI)⁻¹g for a symmetric positive definite 2×2 B + μI. */
function solve([a, b, d]: Sym2, [g1, g2]: [number, number]): [number, number] {
  const det = a * d - b * b;
  return [(d * g1 - b * g2) / det, (a * g2 - b * g1) / det];
}

const quad = ([a, b, d]: Sym2, x: number, y: number): number => a * x * x + 2 * b * x * y + d * y * y;

function search(c: StepContext, theta: Vec, lambda: number, h: MMCurvatureHyper): Search {
  const { ops, f } = c;
  // f and ∇f in float64: the surrogate is then exact to float64 rounding (a global one majorizes f to ~1e-15).
  const f0 = f.value(theta);
  const g = requireFunction(f, WHO).gradient(theta);
  const B = curvatureAt(c, theta, h);
  const bound = h.curvature === 'bound';
  // Shift an indefinite Hessian to positive definite: μ = λ + max(0, −λmin(B)).
  const lmin = (B[0] + B[2]) / 2 - Math.hypot((B[0] - B[2]) / 2, B[1]);
  const base = { f0, g, lambda, accepted: false, tries: 0, next: null, fNext: f0 };
  if (!Number.isFinite(f0) || !g.every(Number.isFinite) || !B.every(Number.isFinite)) return { ...base, M: B };
  let lam = bound ? 0 : Math.max(lambda, LAMBDA_MIN);
  let M: Sym2 = B;
  for (let k = 0; k < (bound ? 1 : h.maxTries); k++) {
    const mu = lam + (bound ? 0 : Math.max(0, -lmin));
    M = [B[0] + mu, B[1], B[2] + mu];
    const [s1, s2] = solve(M, g);
    const cand = ops.add(theta, ops.fromArray(theta, [-s1, -s2]));
    const d = ops.toArray(ops.sub(cand, theta));
    const gNext = f0 + g[0] * d[0] + g[1] * d[1] + 0.5 * quad(M, d[0], d[1]);
    const fc = f.value(cand);
    if (Number.isFinite(fc) && Number.isFinite(gNext) && fc <= gNext + fSlack(f0) && gNext <= f0 + fSlack(f0))
      return { ...base, M, lambda: lam, accepted: true, tries: k + 1, next: cand, fNext: fc };
    lam *= h.increase;
  }
  return { ...base, M, lambda: lam / h.increase, tries: bound ? 1 : h.maxTries };
}

const FORMULA = 'g(θ|θₖ) = f(θₖ) + ∇f(θₖ)·Δ + ½Δᵀ(Bₖ + μI)Δ';

export const mmCurvature: EngineAlgorithm<MMCurvatureHyper, MMCurvatureState> = {
  ...mmCurvatureSpec,
  init: (_c, _theta, h) => ({ t: 0, lambda: h.lambda0 }),
  step(c, theta, state, h) {
    const s = search(c, theta, state.lambda, h);
    const lambda = s.accepted ? Math.max(s.lambda / h.decrease, LAMBDA_MIN) : s.lambda;
    const info = { lossBefore: s.f0, lossAfter: s.fNext, lambda: s.lambda, tries: s.tries, accepted: s.accepted };
    return { theta: s.next ?? c.ops.clone(theta), state: { t: state.t + 1, lambda }, info };
  },
  model(c, theta, state, h): VecSurrogate {
    const { ops } = c;
    const s = search(c, theta, state.lambda, h);
    const th = ops.toArray(theta);
    const global = h.curvature === 'bound';
    return {
      certified: s.accepted,
      scope: global ? 'global' : 'step',
      formula: `${FORMULA}, B = ${h.curvature === 'bound' ? 'a global Hessian bound' : h.curvature === 'hessian' ? '∇²f(θₖ)' : '2c·JᵀJ'}${global ? '' : `, damping λ = ${s.lambda.toPrecision(3)} (certified at the accepted point)`}`,
      ...(s.next ? { minimiser: s.next } : {}),
      value: (p) => {
        const a = ops.toArray(p);
        const dx = a[0] - th[0];
        const dy = a[1] - th[1];
        return s.f0 + s.g[0] * dx + s.g[1] * dy + 0.5 * quad(s.M, dx, dy);
      },
      dispose: () => {},
    };
  },
};
