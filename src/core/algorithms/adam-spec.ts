/** adam.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

const beta = (name: string, d: number) =>
  z.number().min(0, `${name} must be in [0, 1)`).lt(1, `${name} must be in [0, 1)`).default(d);

/** Adam's and AdamW's hyper-parameters (torch's names); only weight_decay's default differs. */
export const adamFamilyHyper = (weightDecayDefault: number) =>
  z
    .object({
      lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(1e-3),
      betas: z
        .tuple([beta('betas[0]', 0.9), beta('betas[1]', 0.999)], { error: 'betas must be a pair [β₁, β₂], each in [0, 1)' })
        .default([0.9, 0.999]),
      eps: z.number().gt(0, 'eps must be > 0').lte(1, 'eps must be ≤ 1').default(1e-8),
      weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(weightDecayDefault),
      amsgrad: z.boolean().default(false),
    })
    .strict();

export const adamHyper = adamFamilyHyper(0);
export type AdamHyper = z.infer<typeof adamHyper>;

export const adamSpec: AlgorithmSpec<AdamHyper> = {
  id: 'adam',
  label: 'Adam',
  family: 'gradient',
  problems: ['mlp', 'function'],
  hyper: adamHyper,
  summary:
    'Adam: bias-corrected running means of the gradient and its square give a per-parameter step size; optional L2 weight decay and AMSGrad, exactly as torch.optim.Adam.',
  formula: String.raw`m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k,\quad v_k = \beta_2 v_{k-1} + (1-\beta_2) g_k^2,\quad \theta_{k+1} = \theta_k - \frac{\eta}{1-\beta_1^k}\,\frac{m_k}{\sqrt{v_k}/\sqrt{1-\beta_2^k} + \epsilon},\quad g_k = \nabla f(\theta_k) + \lambda\theta_k`,
};
