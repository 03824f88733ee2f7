/**
 * Adagrad — torch.optim.Adagrad (PyTorch ≥ 1.13, single-tensor path, dense gradients):
 *   t ← t + 1;  g ← ∇f + wd·θ;  clr = lr/(1 + (t − 1)·lr_decay);  s ← s + g²;  θ ← θ − clr·g/(√s + eps),
 *   with s starting at initial_accumulator_value.
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import type { Vec } from '../engine/types';
import { quadraticModel } from './quadratic';
import { adagradSpec, type AdagradHyper } from './adagrad-spec';

export type AdagradState = {
  /** Steps taken (torch's state['step']). */
  t: number;
  /** Sums of squared gradients (state['sum']), starting at initial_accumulator_value. */
  sum: Vec | null;
};

export const adagrad: EngineAlgorithm<AdagradHyper, AdagradState> = {
  ...adagradSpec,
  init: ({ ops }, theta, h) => ({ t: 0, sum: ops.fill(theta, h.initial_accumulator_value) }),
  step({ ops, f }, theta, state, h) {
    let g = f.valueAndGrad(theta).grad;
    const t = state.t + 1;
    const clr = h.lr / (1 + (t - 1) * h.lr_decay);
    if (h.weight_decay !== 0) g = ops.addScaled(g, theta, h.weight_decay);
    const sum = ops.add(state.sum ?? ops.fill(theta, h.initial_accumulator_value), ops.mul(g, g));
    const next = ops.addScaled(theta, ops.div(g, ops.addScalar(ops.sqrt(sum), h.eps)), -clr);
    return { theta: next, state: { t, sum }, info: {} };
  },
  /** Implied model: diagonal quadratic with c = (√s′ + eps)/clr, whose minimiser is exactly the next step. */
  model(c, theta, state, h) {
    const { ops } = c;
    return ops.tidy(() => {
      const { value, grad } = c.f.valueAndGrad(theta);
      const clr = h.lr / (1 + state.t * h.lr_decay);
      const g = h.weight_decay !== 0 ? ops.addScaled(grad, theta, h.weight_decay) : grad;
      const sum = ops.add(state.sum ?? ops.fill(theta, h.initial_accumulator_value), ops.mul(g, g));
      return quadraticModel(c, {
        theta,
        grad: g,
        f0: value,
        curvature: ops.divScalar(ops.addScalar(ops.sqrt(sum), h.eps), clr),
        certified: false,
        formula: 'f(θₖ) + g·Δ + ½ Σ c⊙Δ², g = ∇f + wd·θₖ, c = (√(s + g²) + eps)/clr, clr = lr/(1 + t·lr_decay) (the next Adagrad step)',
      });
    });
  },
};
