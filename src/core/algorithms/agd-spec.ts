/** agd.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const agdHyper = z
  .object({
    /** The reference code's gain on the step (1: the paper's AGD). */
    gain: z.number().gt(0, 'gain must be in (0, 10]').lte(10, 'gain must be in (0, 10]').default(1),
  })
  .strict();
export type AGDHyper = z.infer<typeof agdHyper>;

export const agdSpec: AlgorithmSpec<AGDHyper> = {
  id: 'agd',
  label: 'AGD (automatic gradient descent)',
  family: 'mm',
  problems: ['mlp'],
  hyper: agdHyper,
  summary:
    'Automatic gradient descent (Bernstein et al., 2023): no learning rate. Each layer’s weights move by ' +
    '(η/L)·√(d_l/d_{l−1}) along its normalised gradient, with η = log((1 + √(1 + 4G))/2) from the gradient ' +
    'summary G — the minimiser of the paper’s architecture-aware majorizer f − ηG + ½(e^η − 1)². Biases are ' +
    'kept fixed (the paper’s networks have none; the lab’s θ₀ has zero biases). The bound rests on the ' +
    'paper’s assumptions (square loss or a curvature-bounded loss, weights scaled as √(d_l/d_{l−1}), the ' +
    'network’s linearisation error orthogonal to the loss gradient), so it is shown but not certified and f ' +
    'may rise.',
  formula: String.raw`G = \tfrac{1}{L}\sum_l \sqrt{d_l/d_{l-1}}\,\|\nabla_{W_l} f\|_F,\quad \eta = \log\tfrac{1+\sqrt{1+4G}}{2},\quad W_l \leftarrow W_l - \tfrac{\eta}{L}\sqrt{d_l/d_{l-1}}\,\tfrac{\nabla_{W_l} f}{\|\nabla_{W_l} f\|_F}`,
};
