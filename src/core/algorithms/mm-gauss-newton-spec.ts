/** mm-gauss-newton.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

const bounded = (name: string, lo: number, hi: number) =>
  z.number().min(lo, `${name} must be in [${lo}, ${hi}]`).max(hi, `${name} must be in [${lo}, ${hi}]`);
const intIn = (name: string, lo: number, hi: number) =>
  z.number().int(`${name} must be an integer`).min(lo, `${name} must be in [${lo}, ${hi}]`).max(hi, `${name} must be in [${lo}, ${hi}]`);

export const mmGaussNewtonHyper = z
  .object({
    /** Initial damping λ. */
    lambda0: z.number().gt(0, 'lambda0 must be > 0').lte(1e8, 'lambda0 must be ≤ 1e8').default(1),
    /** λ ← λ·increase after a refused step. */
    increase: z.number().gt(1, 'increase must be in (1, 1000]').lte(1000, 'increase must be in (1, 1000]').default(10),
    /** λ ← λ/decrease after an accepted step. */
    decrease: bounded('decrease', 1, 1000).default(3),
    /** Solves per step before giving up (θ unchanged). */
    maxTries: intIn('maxTries', 1, 100).default(30),
    /** Cholesky on the explicit P×P matrix when P ≤ maxDirect, else conjugate gradients. */
    maxDirect: intIn('maxDirect', 0, 2000).default(300),
    cgIterations: intIn('cgIterations', 1, 1000).default(100),
    cgTolerance: z.number().gt(0, 'cgTolerance must be in (0, 1)').lt(1, 'cgTolerance must be in (0, 1)').default(1e-6),
  })
  .strict();
export type MMGaussNewtonHyper = z.infer<typeof mmGaussNewtonHyper>;

export const mmGaussNewtonSpec: AlgorithmSpec<MMGaussNewtonHyper> = {
  id: 'mm-gauss-newton',
  label: 'MM (Gauss–Newton, prox-linear)',
  family: 'mm',
  problems: ['mlp'],
  hyper: mmGaussNewtonHyper,
  summary:
    'Linearise the network, bound the loss by its curvature bound (¼ for logistic, ½ for softmax, exact for ' +
    'MSE) and add λ‖d‖²/2: solve (c·JᵀJ/n + λI)d = −∇f, accept only if f(θ + d) stays below that model ' +
    '(then λ/3), else λ×10. A majorizer certified at the accepted point (globally when the model is linear).',
  formula: String.raw`g_\lambda(\theta_k + d) = f(\theta_k) + \nabla f^\top d + \tfrac12 d^\top\big(c_h J_k^\top J_k/n + \ell_2 D + \lambda I\big)d,\quad d = -\big(c_h J_k^\top J_k/n + \ell_2 D + \lambda I\big)^{-1}\nabla f`,
};
