/** adamw.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';
import { adamFamilyHyper } from './adam-spec';

export const adamwHyper = adamFamilyHyper(1e-2);
export type AdamWHyper = z.infer<typeof adamwHyper>;

export const adamwSpec: AlgorithmSpec<AdamWHyper> = {
  id: 'adamw',
  label: 'AdamW',
  family: 'gradient',
  problems: ['mlp', 'function'],
  hyper: adamwHyper,
  summary:
    'AdamW: Adam with decoupled weight decay (the parameters shrink by lr·wd before the Adam step, the gradient carries no L2 term), exactly as torch.optim.AdamW.',
  formula: String.raw`\theta_k' = (1-\eta\lambda)\,\theta_k,\quad m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k,\quad v_k = \beta_2 v_{k-1} + (1-\beta_2) g_k^2,\quad \theta_{k+1} = \theta_k' - \frac{\eta}{1-\beta_1^k}\,\frac{m_k}{\sqrt{v_k}/\sqrt{1-\beta_2^k} + \epsilon},\quad g_k = \nabla f(\theta_k)`,
};
