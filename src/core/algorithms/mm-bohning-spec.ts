/** mm-bohning.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const mmBohningHyper = z
  .object({
    /** Extra κ·I added to the bound (κ ≥ 0 keeps it a majorizer; shorter, safer steps). */
    damping: z.number().min(0, 'damping must be in [0, 1e4]').max(1e4, 'damping must be in [0, 1e4]').default(0),
  })
  .strict();
export type MMBohningHyper = z.infer<typeof mmBohningHyper>;

export const mmBohningSpec: AlgorithmSpec<MMBohningHyper> = {
  id: 'mm-bohning',
  label: 'MM (Böhning–Lindsay)',
  family: 'mm',
  problems: ['mlp'],
  hyper: mmBohningHyper,
  summary:
    'Bound the Hessian of the logistic / softmax loss by a fixed matrix (¼XᵀX/n, resp. ½(I − 11ᵀ/K) ⊗ XᵀX/n) ' +
    'plus the ridge, factor it once and take θ ← θ − B⁻¹∇f: a global quadratic majorizer, monotone with no ' +
    'line search. With hidden layers it moves the last layer only (its features fixed).',
  formula: String.raw`g(\theta|\theta_k) = f(\theta_k) + \nabla f^\top\Delta + \tfrac12\Delta^\top B\Delta,\; B = \tfrac14\tilde X^\top\tilde X/n + \lambda D\ \big(\text{softmax: } \tfrac12(I-\tfrac{11^\top}{K})\otimes\tilde X^\top\tilde X/n\big),\; \theta_{k+1} = \theta_k - B^{-1}\nabla f`,
};
