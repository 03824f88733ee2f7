/**
 * Adam — torch.optim.Adam (PyTorch ≥ 1.13, single-tensor path), with L2 weight decay and AMSGrad:
 *   t ← t + 1;  g ← ∇f + wd·θ;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  v̂ ← max(v̂, v) (AMSGrad, else v̂ = v);
 *   denom = √v̂ / √(1 − β₂ᵗ) + eps  (eps after the bias correction);  θ ← θ − lr/(1 − β₁ᵗ) · m/denom.
 * AdamW (adamw.ts) shares the update through `adamUpdate` with decoupled decay instead of L2.
 */
import type { EngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import type { StepContext, Vec } from '../engine/types';
import { quadraticModel } from './quadratic';
import { adamSpec, type AdamHyper } from './adam-spec';

export type AdamState = {
  /** Steps taken (torch's state['step']). */
  t: number;
  /** First moments m (exp_avg). */
  m: Vec | null;
  /** Second moments v (exp_avg_sq). */
  v: Vec | null;
  /** Running max of v (max_exp_avg_sq); null unless amsgrad. */
  vmax: Vec | null;
};

export function adamInit({ ops }: StepContext, theta: Vec, h: AdamHyper): AdamState {
  return { t: 0, m: ops.fill(theta, 0), v: ops.fill(theta, 0), vmax: h.amsgrad ? ops.fill(theta, 0) : null };
}

/** One Adam (decoupled = false) or AdamW (decoupled = true) step, in torch's order of operations. */
export function adamUpdate(c: StepContext, theta: Vec, state: AdamState, h: AdamHyper, decoupled: boolean) {
  const { ops } = c;
  const { grad } = c.f.valueAndGrad(theta);
  const t = state.t + 1;
  const [b1, b2] = h.betas;
  const stepSize = h.lr / (1 - b1 ** t);
  const bc2Sqrt = Math.sqrt(1 - b2 ** t);
  let p = theta;
  let g = grad;
  if (decoupled) {
    if (h.weight_decay !== 0) p = ops.scale(p, 1 - h.lr * h.weight_decay);
  } else if (h.weight_decay !== 0) g = ops.addScaled(g, p, h.weight_decay);
  // Slots may be missing after a hyper-parameter change that kept the state (e.g. amsgrad on).
  const zeros = () => ops.fill(theta, 0);
  const m = ops.axpby(state.m ?? zeros(), b1, g, 1 - b1);
  const v = ops.axpby(state.v ?? zeros(), b2, ops.mul(g, g), 1 - b2);
  const vmax = h.amsgrad ? ops.maximum(state.vmax ?? zeros(), v) : null;
  const denom = ops.addScalar(ops.divScalar(ops.sqrt(vmax ?? v), bc2Sqrt), h.eps);
  const next = ops.addScaled(p, ops.div(m, denom), -stepSize);
  return { theta: next, state: { t, m, v, vmax }, info: {} };
}

/**
 * Implied model: the diagonal quadratic whose minimiser is the next step with the momentum m̂ = m/(1 − β₁ᵗ)
 * replaced by the gradient itself (exactly the first step of Adam, where m̂ = g):
 *   c = (√v̂′/√(1 − β₂ᵗ⁺¹) + eps)/lr, with v′ = β₂v + (1 − β₂)g² the state after this gradient.
 * Adam: g = ∇f + wd·θ. AdamW: the decoupled decay enters as ĝ = ∇f + wd·lr·c⊙θₖ, so argmin = θₖ(1 − lr·wd) − ∇f/c.
 */
export function adamModel(c: StepContext, theta: Vec, state: AdamState, h: AdamHyper, decoupled: boolean): VecSurrogate {
  const { ops } = c;
  return ops.tidy(() => {
    const { value, grad } = c.f.valueAndGrad(theta);
    const t = state.t + 1;
    const [, b2] = h.betas;
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    let g = grad;
    if (!decoupled && h.weight_decay !== 0) g = ops.addScaled(g, theta, h.weight_decay);
    let v = ops.axpby(state.v ?? ops.fill(theta, 0), b2, ops.mul(g, g), 1 - b2);
    if (h.amsgrad) v = ops.maximum(state.vmax ?? ops.fill(theta, 0), v);
    const denom = ops.addScalar(ops.divScalar(ops.sqrt(v), bc2Sqrt), h.eps);
    if (decoupled && h.weight_decay !== 0) g = ops.addScaled(g, ops.mul(denom, theta), h.weight_decay);
    return quadraticModel(c, {
      theta,
      grad: g,
      f0: value,
      curvature: ops.divScalar(denom, h.lr),
      certified: false,
      formula: decoupled
        ? 'f(θₖ) + ĝ·Δ + ½ Σ c⊙Δ², c = (√v̂′/√(1−β₂ᵗ⁺¹) + eps)/lr, ĝ = ∇f + wd·lr·c⊙θₖ (momentum-free AdamW step)'
        : 'f(θₖ) + g·Δ + ½ Σ c⊙Δ², g = ∇f + wd·θₖ, c = (√v̂′/√(1−β₂ᵗ⁺¹) + eps)/lr (momentum-free Adam step)',
    });
  });
}

export const adam: EngineAlgorithm<AdamHyper, AdamState> = {
  ...adamSpec,
  init: (c, theta, h) => adamInit(c, theta, h),
  step: (c, theta, state, h) => adamUpdate(c, theta, state, h, false),
  model: (c, theta, state, h) => adamModel(c, theta, state, h, false),
};
