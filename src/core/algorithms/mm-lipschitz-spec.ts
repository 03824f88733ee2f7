/** mm-lipschitz.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';
import { backtrackingHyper } from './backtracking-hyper';

export const mmLipschitzHyper = z
  .object({
    /** L0 (ignored when powerIterations > 0), decrease, maxBacktracks. */
    ...backtrackingHyper,
    /** > 0: seed L at init with this many power iterations on Hessian-vector products (local curvature). */
    powerIterations: z
      .number()
      .int('powerIterations must be an integer')
      .min(0, 'powerIterations must be in [0, 100]')
      .max(100, 'powerIterations must be in [0, 100]')
      .default(0),
  })
  .strict();
export type MMLipschitzHyper = z.infer<typeof mmLipschitzHyper>;

export const mmLipschitzSpec: AlgorithmSpec<MMLipschitzHyper> = {
  id: 'mm-lipschitz',
  label: 'MM (Lipschitz quadratic)',
  family: 'mm',
  problems: ['mlp', 'function'],
  hyper: mmLipschitzHyper,
  summary:
    'Majorize f by a quadratic with curvature L and jump to its minimiser θ − ∇f/L; L is backtracked ' +
    '(from L_{k−1}/2, doubling) until the bound holds at the new point, so f never increases. The bound is ' +
    'certified at the accepted point (a global bound only if L ≥ the largest Hessian eigenvalue everywhere).',
  formula: String.raw`g(\theta|\theta_k) = f(\theta_k) + \nabla f(\theta_k)^\top\Delta + \tfrac{L}{2}\|\Delta\|^2,\quad \theta_{k+1} = \theta_k - \nabla f(\theta_k)/L`,
};
