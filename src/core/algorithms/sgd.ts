/**
 * SGD with momentum, dampening, Nesterov and weight decay — torch.optim.SGD (PyTorch ≥ 1.13):
 *   g ← ∇f + wd·θ;  if μ ≠ 0: b ← g (first step) else b ← μ·b + (1 − τ)·g;  g ← g + μ·b (Nesterov) or b;
 *   θ ← θ − lr·g.
 */
import { z } from 'zod';
import type { EngineAlgorithm } from '../engine/algorithm';
import type { Vec } from '../engine/types';
import { quadraticModel } from './quadratic';

export const sgdHyper = z
  .object({
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(0.01),
    momentum: z.number().min(0, 'momentum must be in [0, 1)').lt(1, 'momentum must be in [0, 1)').default(0),
    dampening: z.number().min(0, 'dampening must be in [0, 1]').max(1, 'dampening must be in [0, 1]').default(0),
    nesterov: z.boolean().default(false),
    weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(0),
  })
  .strict()
  .refine((h) => !h.nesterov || (h.momentum > 0 && h.dampening === 0), {
    message: 'Nesterov momentum requires momentum > 0 and dampening = 0 (as in torch.optim.SGD)',
    path: ['nesterov'],
  });
export type SGDHyper = z.infer<typeof sgdHyper>;

export type SGDState = {
  t: number;
  /** Momentum buffer (null until the first step when momentum ≠ 0: torch's buf ← g). */
  buf: Vec | null;
};

export const sgd: EngineAlgorithm<SGDHyper, SGDState> = {
  id: 'sgd',
  label: 'SGD',
  family: 'gradient',
  problems: ['mlp', 'function'],
  hyper: sgdHyper,
  summary: 'Stochastic gradient descent with optional (Nesterov) momentum, exactly as torch.optim.SGD.',
  formula: String.raw`b_k = \mu b_{k-1} + (1-\tau)\,g_k,\quad \theta_{k+1} = \theta_k - \eta\,(g_k + \mu b_k \text{ or } b_k)`,
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
