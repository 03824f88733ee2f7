/**
 * SGD with the stochastic Armijo line search (SLS) of Vaswani, Mishkin, Laradji, Schmidt, Gidel &
 * Lacoste-Julien, "Painless Stochastic Gradient: Interpolation, Line-Search, and Convergence Rates"
 * (NeurIPS 2019; arXiv:1905.09997), as the authors' `sls` package does it (github.com/IssamLaradji/sls,
 * sls/sls.py + sls/utils.py, line_search_fn = 'armijo'):
 *
 *   η ← reset(η_{k−1})                           (reset_option 1: η·γ^{1/n_batches_per_epoch}, capped at η_max)
 *   while f_B(θₖ − η∇f_B(θₖ)) > f_B(θₖ) − c·η‖∇f_B(θₖ)‖²:  η ← β_b·η     (at most maxBacktracks times)
 *   θₖ₊₁ = θₖ − η∇f_B(θₖ)
 *
 * f_B is the step's objective (the mini-batch, or the full set): the test evaluates f and ∇f on the SAME
 * batch. As in `sls`: no search when ‖∇f_B‖ < 1e-8 (θ unchanged); when every try fails, θ moves by
 * 1e-6·∇f_B and the last η (decreased once more) is kept. reset_option follows the package's numbering
 * (0: keep η, 1: grow by γ^{1/n_batches_per_epoch} — b/n for a batch of b out of n examples —, 2: restart
 * from init_step_size). The package applies its η_max only to its Goldstein search; here the grown
 * step is capped at η_max as the issue asks (tools/sls_agd_fixture.py applies the same cap).
 *
 * As MM: the accepted test reads f(θₖ₊₁) ≤ f(θₖ) − c·η‖∇f‖², a sufficient decrease; with c = ½ it is
 * exactly the Lipschitz-MM test of mm-lipschitz for L = 1/η (the quadratic g(θ|θₖ) = f(θₖ) + ∇f·Δ +
 * ‖Δ‖²/(2η), minimised by the step, lies above f at its minimiser). With c < ½ the test is weaker: the
 * model shown is that quadratic, certified at the accepted point only when the decrease actually reached
 * η‖∇f‖²/2 (scope 'step'), and never a global bound on a network.
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import type { StepContext, Vec } from '../engine/types';
import { fSlack } from './lipschitz';
import { quadraticModel } from './quadratic';
import { sgdArmijoSpec, type SGDArmijoHyper } from './sgd-armijo-spec';

export { sgdArmijoHyper } from './sgd-armijo-spec';

export type SGDArmijoState = {
  t: number;
  /** The step size η accepted (or last tried) at the previous step; init_step_size before the first. */
  eta: number;
};

/** The sls package's reset_step (the first step too: state.eta starts at init_step_size), the growth capped at η_max. */
export function resetStep(state: SGDArmijoState, h: SGDArmijoHyper): number {
  if (h.reset_option === 2) return h.init_step_size;
  if (h.reset_option === 0) return state.eta;
  return Math.min(state.eta * h.gamma ** (1 / h.n_batches_per_epoch), h.eta_max);
}

export interface ArmijoSearch {
  f0: number;
  grad: Vec;
  gradNorm2: number;
  /** The step size to keep in the state (the accepted one; the last decreased one when none was). */
  eta: number;
  /** The step taken: eta when accepted, 1e-6 when every try failed, 0 when ‖∇f‖ < 1e-8. */
  stepSize: number;
  accepted: boolean;
  backtracks: number;
  next: Vec;
  /** f_B(θₖ₊₁) (f0 when θ did not move; NaN after the 1e-6 fallback step, not evaluated). */
  fNext: number;
}

/** The Armijo backtracking of sls.py's step on the step's objective (pure: θ is not mutated). */
export function armijoSearch({ ops, f }: StepContext, theta: Vec, eta0: number, h: SGDArmijoHyper): ArmijoSearch {
  const { value: f0, grad } = f.valueAndGrad(theta);
  const gradNorm2 = ops.sumSquares(grad);
  const base = { f0, grad, gradNorm2 };
  if (!(Math.sqrt(gradNorm2) >= 1e-8))
    return { ...base, eta: eta0, stepSize: 0, accepted: false, backtracks: 0, next: ops.clone(theta), fNext: f0 };
  let eta = eta0;
  for (let k = 0; k < h.maxBacktracks; k++) {
    // θ − η·∇f as θ + ∇f·(−η): the same float32 result as torch's p − step_size·g.
    const cand = ops.addScaled(theta, grad, -eta);
    const fc = f.value(cand);
    // sls: break_condition = loss_next − (loss − η·c·‖g‖²) ≤ 0 (a NaN loss fails the test).
    if (fc - (f0 - eta * h.c * gradNorm2) <= 0) return { ...base, eta, stepSize: eta, accepted: true, backtracks: k, next: cand, fNext: fc };
    eta *= h.beta_b;
  }
  return { ...base, eta, stepSize: 1e-6, accepted: false, backtracks: h.maxBacktracks, next: ops.addScaled(theta, grad, -1e-6), fNext: NaN };
}

const FORMULA = 'g(θ|θₖ) = f(θₖ) + ∇f(θₖ)·Δ + ‖Δ‖²/(2η), η backtracked (η ← β_b·η) until f(θₖ − η∇f) ≤ f(θₖ) − c·η‖∇f‖² on the batch';

export const sgdArmijo: EngineAlgorithm<SGDArmijoHyper, SGDArmijoState> = {
  ...sgdArmijoSpec,
  init: (_c, _theta, h) => ({ t: 0, eta: h.init_step_size }),
  step(c, theta, state, h) {
    const s = armijoSearch(c, theta, resetStep(state, h), h);
    const info = {
      lossBefore: s.f0,
      lossAfter: s.fNext,
      eta: s.stepSize,
      backtracks: s.backtracks,
      accepted: s.accepted,
      gradNorm: Math.sqrt(s.gradNorm2),
    };
    return { theta: s.next, state: { t: state.t + 1, eta: s.eta }, info };
  },
  model(c, theta, state, h) {
    return c.ops.tidy(() => {
      const s = armijoSearch(c, theta, resetStep(state, h), h);
      const eta = s.stepSize > 0 ? s.stepSize : s.eta;
      // The quadratic with curvature 1/η lies above f at its minimiser θₖ − η∇f iff the decrease reached η‖∇f‖²/2.
      const certified = s.accepted && s.fNext <= s.f0 - (eta * s.gradNorm2) / 2 + fSlack(s.f0);
      return quadraticModel(c, {
        theta,
        grad: s.grad,
        f0: s.f0,
        curvature: 1 / eta,
        certified,
        scope: 'step',
        formula: `${FORMULA}; η = ${eta.toPrecision(4)} (${s.backtracks} backtracks)${certified ? ', certified at θₖ₊₁' : ', Armijo decrease only (c < ½)'}`,
      });
    });
  },
};
