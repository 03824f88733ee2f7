/** proxprop.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { z } from 'zod';
import type { AlgorithmSpec } from '../engine/algorithm';

export const proxpropHyper = z
  .object({
    /** η: the explicit step on the layer outputs z. */
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(1),
    /** τ: the proximal step of the linear layers (τ → 0: gradient descent with lr η·τ). */
    tau: z.number().gt(0, 'tau must be > 0').lte(1e6, 'tau must be ≤ 1e6').default(10),
  })
  .strict();
export type ProxPropHyper = z.infer<typeof proxpropHyper>;

export const proxpropSpec: AlgorithmSpec<ProxPropHyper> = {
  id: 'proxprop',
  label: 'ProxProp',
  family: 'gradient',
  problems: ['mlp'],
  hyper: proxpropHyper,
  summary:
    'Backprop with proximal (implicit) steps on the linear layers (Frerix et al., 2018): each layer moves by its gradient preconditioned with (ÃÃᵀ/n + I/τ)⁻¹, its input Gram matrix. Not a majorizer: large steps can increase f.',
  formula: String.raw`\Theta_l \leftarrow \Theta_l - \eta\, \nabla_{\Theta_l} f \left(\tfrac{1}{n}\tilde A_l \tilde A_l^\top + \tfrac{1}{\tau} I\right)^{-1},\quad \tilde A_l = \begin{bmatrix} a_{l-1} \\ \mathbf{1}^\top \end{bmatrix}`,
};
