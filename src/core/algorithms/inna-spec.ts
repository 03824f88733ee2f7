/** inna.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const innaHyper = z
  .object({
    /** γ: the step size (the paper's γ₀ when decay > 0). */
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(0.1),
    /** α: viscous damping (friction). */
    alpha: z.number().min(0, 'alpha must be ≥ 0').max(100, 'alpha must be ≤ 100').default(0.5),
    /** β: Hessian-driven (Newtonian) damping. */
    beta: z.number().gt(0, 'beta must be > 0').lte(100, 'beta must be ≤ 100').default(0.1),
    /** Exponent q of the schedule γₖ = lr/(k + 1)^q (0: constant step; the paper's theory needs q > 0). */
    decay: z.number().min(0, 'decay must be in [0, 1]').max(1, 'decay must be in [0, 1]').default(0),
    /** s: initial velocity θ̇₀ = −s·∇f(θ₀) (the authors' `speed_ini`; 0: start at rest). */
    speed_ini: z.number().min(0, 'speed_ini must be in [0, 10]').max(10, 'speed_ini must be in [0, 10]').default(1),
  })
  .strict();
export type INNAHyper = z.infer<typeof innaHyper>;

export const innaSpec: AlgorithmSpec<INNAHyper> = {
  id: 'inna',
  label: 'INNA',
  family: 'gradient',
  problems: ['mlp', 'function'],
  hyper: innaHyper,
  summary:
    'INNA (Castera, Bolte, Févotte & Pauwels, JMLR 2021): an inertial Newton method. It discretises θ̈ + αθ̇ + β∇²f θ̇ + ∇f = 0 — friction α plus Hessian-driven damping β — using gradients only, through an auxiliary variable ψ. A gradient method, not an MM method: no surrogate majorizes f and there is no monotonicity guarantee (f may rise between steps). With lr = β it is heavy-ball momentum 1 − αβ with step β².',
  formula: String.raw`\theta_{k+1} = \theta_k + \gamma_k\Big[\big(\tfrac{1}{\beta}-\alpha\big)\theta_k - \tfrac{1}{\beta}\psi_k - \beta\,\nabla f(\theta_k)\Big],\quad \psi_{k+1} = \psi_k + \gamma_k\Big[\big(\tfrac{1}{\beta}-\alpha\big)\theta_k - \tfrac{1}{\beta}\psi_k\Big],\quad \gamma_k = \frac{\mathrm{lr}}{(k+1)^{q}},\quad \psi_0 = (1-\alpha\beta)\,\theta_0 + \beta(s-\beta)\,\nabla f(\theta_0)`,
};
