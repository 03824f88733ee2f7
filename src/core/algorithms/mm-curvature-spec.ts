/** mm-curvature.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const CURVATURES = ['hessian', 'gauss-newton', 'bound'] as const;

export const mmCurvatureHyper = z
  .object({
    curvature: z.enum(CURVATURES, { error: `curvature must be one of ${CURVATURES.join(', ')}` }).default('hessian'),
    lambda0: z.number().min(0, 'lambda0 must be in [0, 1e8]').max(1e8, 'lambda0 must be in [0, 1e8]').default(1e-3),
    increase: z.number().gt(1, 'increase must be in (1, 1000]').lte(1000, 'increase must be in (1, 1000]').default(10),
    decrease: z.number().min(1, 'decrease must be in [1, 1000]').max(1000, 'decrease must be in [1, 1000]').default(3),
    maxTries: z.number().int('maxTries must be an integer').min(1, 'maxTries must be in [1, 100]').max(100, 'maxTries must be in [1, 100]').default(40),
  })
  .strict();
export type MMCurvatureHyper = z.infer<typeof mmCurvatureHyper>;

export const mmCurvatureSpec: AlgorithmSpec<MMCurvatureHyper> = {
  id: 'mm-curvature',
  label: 'MM (curvature quadratic)',
  family: 'mm',
  problems: ['function'],
  hyper: mmCurvatureHyper,
  summary:
    'For 2-D test functions: majorize f by a quadratic whose curvature is the Hessian (damped Newton), the ' +
    'Gauss–Newton JᵀJ of a sum of squares, or a global Hessian bound, and jump to its minimiser; the damping ' +
    'grows until the bound holds at the new point (a global bound needs no damping and majorizes f everywhere).',
  formula: String.raw`g(\theta|\theta_k) = f(\theta_k) + \nabla f^\top\Delta + \tfrac12\Delta^\top(B_k + \mu I)\Delta,\quad \theta_{k+1} = \theta_k - (B_k + \mu I)^{-1}\nabla f`,
};
