/**
 * SGD with momentum, dampening, Nesterov and weight decay — torch.optim.SGD (PyTorch ≥ 1.13):
 *   g ← ∇f + wd·θ;  if μ ≠ 0: b ← g (first step) else b ← μ·b + (1 − τ)·g;  g ← g + μ·b (Nesterov) or b;
 *   θ ← θ − lr·g.
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import type { Vec } from '../engine/types';
import { quadraticModel } from './quadratic';
import { sgdSpec, type SGDHyper } from './sgd-spec';

export type SGDState = {
  t: number;
  /** Momentum buffer (null until the first step when momentum ≠ 0: torch's buf ← g). */
  buf: Vec | null;
};

export const sgd: EngineAlgorithm<SGDHyper, SGDState> = {
  ...sgdSpec,
  init: () => ({ t: 0, buf: null }),
  step({ ops, f }, theta, state, h) {
    let g = f.valueAndGrad(theta).grad;
    if (h.weight_decay !== 0) g = ops.addScaled(g, theta, h.weight_decay);
    let buf: Vec | null = null;
    if (h.momentum !== 0) {
      buf = state.buf === null ? ops.clone(g) : ops.axpby(state.buf, h.momentum, g, 1 - h.dampening);
      g = h.nesterov ? ops.addScaled(g, buf, h.momentum) : buf;
    }
    // θ − lr·g, as θ + g·(−lr): the same float32 result (negation is exact).
    return { theta: ops.addScaled(theta, g, -h.lr), state: { t: state.t + 1, buf }, info: {} };
  },
  model(c, theta, _state, h) {
    const { ops } = c;
    return ops.tidy(() => {
      const { value, grad } = c.f.valueAndGrad(theta);
      const g = h.weight_decay === 0 ? grad : ops.addScaled(grad, theta, h.weight_decay);
      return quadraticModel(c, { theta, grad: g, f0: value, curvature: 1 / h.lr, certified: false, formula: 'f(θₖ) + ∇f(θₖ)·Δ + ‖Δ‖²/(2·lr)' });
    });
  },
};
