/**
 * AdamW — torch.optim.AdamW (PyTorch ≥ 1.13, single-tensor path): decoupled weight decay,
 *   θ ← θ(1 − lr·wd) first, then the Adam update with the raw gradient ∇f (no L2 term in g):
 *   m ← β₁m + (1 − β₁)∇f;  v ← β₂v + (1 − β₂)∇f²;  v̂ ← max(v̂, v) (AMSGrad);
 *   θ ← θ − lr/(1 − β₁ᵗ) · m/(√v̂/√(1 − β₂ᵗ) + eps).  Same hyper-parameters as Adam but wd defaults to 1e-2.
 */
import { z } from 'zod';
import type { EngineAlgorithm } from '../engine/algorithm';
import { adamFamilyHyper, adamInit, adamModel, adamUpdate, type AdamState } from './adam';

export const adamwHyper = adamFamilyHyper(1e-2);
export type AdamWHyper = z.infer<typeof adamwHyper>;
export type AdamWState = AdamState;

export const adamw: EngineAlgorithm<AdamWHyper, AdamWState> = {
  id: 'adamw',
  label: 'AdamW',
  family: 'gradient',
  problems: ['mlp', 'function'],
  hyper: adamwHyper,
  summary:
    'AdamW: Adam with decoupled weight decay (the parameters shrink by lr·wd before the Adam step, the gradient carries no L2 term), exactly as torch.optim.AdamW.',
  formula: String.raw`\theta_k' = (1-\eta\lambda)\,\theta_k,\quad m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k,\quad v_k = \beta_2 v_{k-1} + (1-\beta_2) g_k^2,\quad \theta_{k+1} = \theta_k' - \frac{\eta}{1-\beta_1^k}\,\frac{m_k}{\sqrt{v_k}/\sqrt{1-\beta_2^k} + \epsilon},\quad g_k = \nabla f(\theta_k)`,
  init: (c, theta, h) => adamInit(c, theta, h),
  step: (c, theta, state, h) => adamUpdate(c, theta, state, h, true),
  model: (c, theta, state, h) => adamModel(c, theta, state, h, true),
};
