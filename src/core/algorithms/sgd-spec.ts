/** sgd.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const sgdHyper = z
  .object({
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(0.01),
    momentum: z.number().min(0, 'momentum must be in [0, 1)').lt(1, 'momentum must be in [0, 1)').default(0),
    dampening: z.number().min(0, 'dampening must be in [0, 1]').max(1, 'dampening must be in [0, 1]').default(0),
    nesterov: z.boolean().default(false),
    weight_decay: z.number().min(0, 'weight_decay must be ≥ 0').max(10, 'weight_decay must be ≤ 10').default(0),
  })
  .strict()
  .refine((h) => !h.nesterov || (h.momentum > 0 && h.dampening === 0), {
    message: 'Nesterov momentum requires momentum > 0 and dampening = 0 (as in torch.optim.SGD)',
    path: ['nesterov'],
  });
export type SGDHyper = z.infer<typeof sgdHyper>;

export const sgdSpec: AlgorithmSpec<SGDHyper> = {
  id: 'sgd',
  label: 'SGD',
  family: 'gradient',
  problems: ['mlp', 'function'],
  hyper: sgdHyper,
  summary: 'Stochastic gradient descent with optional (Nesterov) momentum, exactly as torch.optim.SGD.',
  formula: String.raw`b_k = \mu b_{k-1} + (1-\tau)\,g_k,\quad \theta_{k+1} = \theta_k - \eta\,(g_k + \mu b_k \text{ or } b_k)`,
};
