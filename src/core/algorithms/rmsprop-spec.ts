/** rmsprop.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const rmspropHyper = z
  .object({
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(1e-2),
    alpha: z.number().min(0, 'alpha must be in [0, 1)').lt(1, 'alpha must be in [0, 1)').default(0.99),
    eps: z.number().gt(0, 'eps must be > 0').lte(1, 'eps must be ≤ 1').default(1e-8),
    weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(0),
    momentum: z.number().min(0, 'momentum must be in [0, 1)').lt(1, 'momentum must be in [0, 1)').default(0),
    centered: z.boolean().default(false),
  })
  .strict();
export type RMSpropHyper = z.infer<typeof rmspropHyper>;

export const rmspropSpec: AlgorithmSpec<RMSpropHyper> = {
  id: 'rmsprop',
  label: 'RMSprop',
  family: 'gradient',
  problems: ['mlp', 'function'],
  hyper: rmspropHyper,
  summary:
    'RMSprop: divides the gradient by the root of a running mean of its square (optionally centred by the running mean of the gradient), with optional momentum, exactly as torch.optim.RMSprop.',
  formula: String.raw`v_k = \alpha v_{k-1} + (1-\alpha) g_k^2,\quad b_k = \mu b_{k-1} + \frac{g_k}{\sqrt{v_k - \bar g_k^2} + \epsilon},\quad \theta_{k+1} = \theta_k - \eta\, b_k,\quad g_k = \nabla f(\theta_k) + \lambda\theta_k`,
};
