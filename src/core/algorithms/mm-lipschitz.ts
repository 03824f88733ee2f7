/**
 * Lipschitz-quadratic MM with backtracking (docs/ARCHITECTURE.md; the MM invariant f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ f(θₖ)):
 *   g(θ|θₖ) = f(θₖ) + gₖ·Δ + (L/2)‖Δ‖²,  Δ = θ − θₖ,  minimiser θₖ₊₁ = θₖ − gₖ/L.
 * L starts from L_{k−1}/decrease (first step: L0, or a Hessian power-iteration seed; from L_{k−1} itself
 * when the previous decrease was below float32 resolution, see lipschitz.ts) and doubles until
 * f(θₖ − gₖ/L) ≤ f(θₖ) − ‖gₖ‖²/(2L) = g(θₖ₊₁|θₖ) (up to float32 slack, see lipschitz.ts). That test
 * certifies the majorization where the MM invariant needs it — at the accepted point:
 * f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ g(θₖ|θₖ) = f(θₖ). It is a global bound only when L ≥ sup‖∇²f‖ (e.g. least
 * squares with L = λ_max); for a network a backtracked L bounds the curvature along −gₖ, not in every
 * direction. A non-finite f counts as a failed test; after maxBacktracks doublings the step is refused
 * (θ unchanged, accepted: false).
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import { lipschitzSearch, powerIteration } from './lipschitz';
import { quadraticModel } from './quadratic';
import { mmLipschitzSpec, type MMLipschitzHyper } from './mm-lipschitz-spec';

export type MMLipschitzState = {
  t: number;
  /** L accepted at the previous step (before the first step: L0 or the power-iteration seed). */
  L: number;
  /**
   * Whether the next search starts from L/decrease (false before the first step, and after a step whose
   * decrease was below f's float32 rounding: see LipschitzSearch.strict).
   */
  shrink: boolean;
};

const L_MIN = 1e-10;

function startL(state: MMLipschitzState, h: MMLipschitzHyper): number {
  return Math.max(L_MIN, state.shrink ? state.L / h.decrease : state.L);
}

const FORMULA = 'g(θ|θₖ) = f(θₖ) + ∇f(θₖ)·Δ + (L/2)‖Δ‖², L backtracked until f(θₖ − ∇f/L) ≤ g(θₖ − ∇f/L|θₖ)';

export const mmLipschitz: EngineAlgorithm<MMLipschitzHyper, MMLipschitzState> = {
  ...mmLipschitzSpec,
  init(c, theta, h) {
    if (h.powerIterations > 0) {
      const { lambda } = c.ops.tidy(() => powerIteration(c, theta, h.powerIterations));
      if (Number.isFinite(lambda) && lambda > 0) return { t: 0, L: Math.max(L_MIN, lambda), shrink: false };
    }
    return { t: 0, L: h.L0, shrink: false };
  },
  step(c, theta, state, h) {
    const s = lipschitzSearch(c, theta, null, startL(state, h), h.maxBacktracks);
    const info = {
      lossBefore: s.f0,
      lossAfter: s.fNext,
      L: s.L,
      backtracks: s.backtracks,
      accepted: s.accepted,
      gradNorm: Math.sqrt(s.gradNorm2),
    };
    return { theta: s.next ?? c.ops.clone(theta), state: { t: state.t + 1, L: s.L, shrink: s.strict }, info };
  },
  model(c, theta, state, h) {
    return c.ops.tidy(() => {
      const s = lipschitzSearch(c, theta, null, startL(state, h), h.maxBacktracks);
      return quadraticModel(c, {
        theta,
        grad: s.grad,
        f0: s.f0,
        curvature: s.L,
        certified: s.accepted,
        scope: 'step',
        formula: `${FORMULA}; L = ${s.L.toPrecision(4)} (certified at the accepted point θₖ − ∇f/L)`,
      });
    });
  },
};
