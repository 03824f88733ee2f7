/** mm-layerwise.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';
import { backtrackingHyper } from './backtracking-hyper';

export const mmLayerwiseHyper = z
  .object({
    order: z.enum(['output-first', 'input-first'], { error: "order must be 'output-first' or 'input-first'" }).default('output-first'),
    /** L0 (the initial L_l of every layer), decrease, maxBacktracks. */
    ...backtrackingHyper,
  })
  .strict();
export type MMLayerwiseHyper = z.infer<typeof mmLayerwiseHyper>;

export const mmLayerwiseSpec: AlgorithmSpec<MMLayerwiseHyper> = {
  id: 'mm-layerwise',
  label: 'MM (layer-wise blocks)',
  family: 'mm',
  problems: ['mlp'],
  hyper: mmLayerwiseHyper,
  summary:
    'Sweep the layers; for each, majorize f in that layer alone by a quadratic with its own backtracked ' +
    'constant L_l and minimise it, the other layers fixed. Every block step is an MM step, so the sweep ' +
    'never increases f; the composition of the network enters through the per-layer curvatures.',
  formula: String.raw`g_l(\theta|\theta^{(l)}) = f(\theta^{(l)}) + \nabla_{\theta_l} f^\top\Delta_l + \tfrac{L_l}{2}\|\Delta_l\|^2,\quad \theta_l \leftarrow \theta_l - \nabla_{\theta_l} f/L_l`,
};
