/**
 * AdamW — torch.optim.AdamW (PyTorch ≥ 1.13, single-tensor path): decoupled weight decay,
 *   θ ← θ(1 − lr·wd) first, then the Adam update with the raw gradient ∇f (no L2 term in g):
 *   m ← β₁m + (1 − β₁)∇f;  v ← β₂v + (1 − β₂)∇f²;  v̂ ← max(v̂, v) (AMSGrad);
 *   θ ← θ − lr/(1 − β₁ᵗ) · m/(√v̂/√(1 − β₂ᵗ) + eps).  Same hyper-parameters as Adam but wd defaults to 1e-2.
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import { adamInit, adamModel, adamUpdate, type AdamState } from './adam';
import { adamwSpec, type AdamWHyper } from './adamw-spec';

export type AdamWState = AdamState;

export const adamw: EngineAlgorithm<AdamWHyper, AdamWState> = {
  ...adamwSpec,
  init: (c, theta, h) => adamInit(c, theta, h),
  step: (c, theta, state, h) => adamUpdate(c, theta, state, h, true),
  model: (c, theta, state, h) => adamModel(c, theta, state, h, true),
};
