/** adagrad.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const adagradHyper = z
  .object({
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(1e-2),
    lr_decay: z.number().min(0, 'lr_decay must be ≥ 0').max(10, 'lr_decay must be ≤ 10').default(0),
    weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(0),
    initial_accumulator_value: z
      .number()
      .min(0, 'initial_accumulator_value must be ≥ 0')
      .max(1e6, 'initial_accumulator_value must be ≤ 1e6')
      .default(0),
    eps: z.number().gt(0, 'eps must be > 0').lte(1, 'eps must be ≤ 1').default(1e-10),
  })
  .strict();
export type AdagradHyper = z.infer<typeof adagradHyper>;

export const adagradSpec: AlgorithmSpec<AdagradHyper> = {
  id: 'adagrad',
  label: 'Adagrad',
  family: 'gradient',
  problems: ['mlp', 'function'],
  hyper: adagradHyper,
  summary:
    'Adagrad: divides the gradient by the root of the sum of all past squared gradients, with optional learning-rate decay, exactly as torch.optim.Adagrad.',
  formula: String.raw`s_k = s_{k-1} + g_k^2,\quad \theta_{k+1} = \theta_k - \frac{\eta}{1 + (k-1)\,\delta}\,\frac{g_k}{\sqrt{s_k} + \epsilon},\quad g_k = \nabla f(\theta_k) + \lambda\theta_k`,
};
