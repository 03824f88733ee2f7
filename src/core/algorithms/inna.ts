/**
 * INNA — the inertial Newton algorithm of Castera, Bolte, Févotte & Pauwels ("An Inertial Newton
 * Algorithm for Deep Learning", JMLR 22(134), 2021; arXiv:1905.12278).
 *
 * It discretises the dynamical inertial Newton system (DIN, Alvarez et al. 2002)
 *   θ̈ + αθ̇ + β∇²f(θ)θ̇ + ∇f(θ) = 0      (α: viscous damping, β: Hessian-driven "Newtonian" damping)
 * without any Hessian, through its first-order form in (θ, ψ):
 *   θ̇ = (1/β − α)θ − ψ/β − β∇f(θ),   ψ̇ = (1/β − α)θ − ψ/β.
 * An explicit Euler step γₖ on it is the algorithm (the paper's eq. (INNA), with vₖ a (mini-batch) gradient):
 *   θₖ₊₁ = θₖ + γₖ[(1/β − α)θₖ − ψₖ/β − β∇f(θₖ)]
 *   ψₖ₊₁ = ψₖ + γₖ[(1/β − α)θₖ − ψₖ/β],        γₖ = lr/(k + 1)^decay  (k = 0 at the first step).
 *
 * Initialisation. Along the system, ψ = (1 − αβ)θ − β²∇f(θ) − βθ̇, so ψ₀ fixes the initial velocity θ̇₀.
 * We use θ̇₀ = −s·∇f(θ₀) (s = `speed_ini`, default 1):
 *   ψ₀ = (1 − αβ)θ₀ + β(s − β)∇f(θ₀),
 * which makes the first step a plain gradient step θ₁ = θ₀ − γ₀·s·∇f(θ₀). This is the convention of the
 * authors' reference code (github.com/camcastera/Indian-for-DeepLearning, TF/Keras `speed_ini=1.0`,
 * "the initial velocity is in the direction of steepest descent ... we recommend to keep this parameter
 * unchanged"), which a third-party port attributes to the JMLR paper §5.2.1 as
 * ψ₀ = (1 − αβ)θ₀ − (β² − β)∇f(θ₀). We could not read the paper's page itself to confirm it. s = 0 gives
 * ψ₀ = (1 − αβ)θ₀ − β²∇f(θ₀): zero initial velocity, whose first θ-step is exactly null (only ψ moves).
 * As in that code, ψ₀ is formed lazily from the gradient of the first step's objective (its first
 * mini-batch), so `init` needs no gradient and a switch to INNA starts from the current θ.
 *
 * A special case worth knowing: with lr = β, ψₖ₊₁ = (1 − αβ)θₖ and the iteration is exactly heavy-ball
 * momentum θₖ₊₁ = θₖ − β²∇f(θₖ) + (1 − αβ)(θₖ − θₖ₋₁) (torch SGD with lr β², momentum 1 − αβ when
 * s = β). The defaults (lr = β = 0.1, α = 0.5) are that: step 0.01, momentum 0.95.
 *
 * Not an MM method: nothing majorizes f and f may increase from one step to the next. The implied model
 * is the isotropic quadratic whose minimiser is the θ-step. With mₖ = (1/β − α)θₖ − ψₖ/β,
 *   θₖ₊₁ = θₖ + γₖmₖ − γₖβ∇f(θₖ)  = argmin f(θₖ) + (∇f(θₖ) − mₖ/β)·Δ + ‖Δ‖²/(2γₖβ),
 * a model whose slope at θₖ is not ∇f(θₖ) (the inertial term tilts it): certified: false.
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import type { StepContext, Vec } from '../engine/types';
import { quadraticModel } from './quadratic';
import { innaSpec, type INNAHyper } from './inna-spec';

export type INNAState = {
  /** Steps taken since init (k of γₖ). */
  t: number;
  /** ψₖ; null until the first step forms ψ₀ from that step's gradient. */
  psi: Vec | null;
};

/** γₖ = lr/(k + 1)^decay. */
export const innaStepSize = (h: INNAHyper, k: number): number => (h.decay === 0 ? h.lr : h.lr / (k + 1) ** h.decay);

/** ψ₀ = (1 − αβ)θ₀ + β(s − β)∇f(θ₀), i.e. initial velocity θ̇₀ = −s·∇f(θ₀). */
function initialPsi({ ops }: StepContext, theta: Vec, grad: Vec, h: INNAHyper): Vec {
  return ops.axpby(theta, 1 - h.alpha * h.beta, grad, h.beta * (h.speed_ini - h.beta));
}

/** mₖ = (1/β − α)θₖ − ψₖ/β, the gradient-free part of both updates. */
const phase = ({ ops }: StepContext, theta: Vec, psi: Vec, h: INNAHyper): Vec =>
  ops.sub(ops.scale(theta, 1 / h.beta - h.alpha), ops.divScalar(psi, h.beta));

export const inna: EngineAlgorithm<INNAHyper, INNAState> = {
  ...innaSpec,
  init: () => ({ t: 0, psi: null }),
  step(c, theta, state, h) {
    const { ops } = c;
    const { grad } = c.f.valueAndGrad(theta);
    const gamma = innaStepSize(h, state.t);
    const psiK = state.psi ?? initialPsi(c, theta, grad, h);
    const m = phase(c, theta, psiK, h);
    const psi = ops.addScaled(psiK, m, gamma);
    const next = ops.addScaled(theta, ops.sub(m, ops.scale(grad, h.beta)), gamma);
    return { theta: next, state: { t: state.t + 1, psi }, info: { stepSize: gamma } };
  },
  model(c, theta, state, h) {
    const { ops } = c;
    const gamma = innaStepSize(h, state.t);
    return ops.tidy(() => {
      const { value, grad } = c.f.valueAndGrad(theta);
      const psiK = state.psi ?? initialPsi(c, theta, grad, h);
      // ĝ = ∇f(θₖ) − mₖ/β: with curvature 1/(γβ) the model's minimiser θₖ − γβĝ is the θ-step.
      const g = ops.sub(grad, ops.divScalar(phase(c, theta, psiK, h), h.beta));
      return quadraticModel(c, {
        theta,
        grad: g,
        f0: value,
        curvature: 1 / (gamma * h.beta),
        certified: false,
        formula: 'f(θₖ) + (∇f(θₖ) − mₖ/β)·Δ + ‖Δ‖²/(2γₖβ), mₖ = (1/β − α)θₖ − ψₖ/β (inertia tilts the slope)',
      });
    });
  },
};
