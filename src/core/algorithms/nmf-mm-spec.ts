/** nmf-mm.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { noHyper, type NMFSpec } from './nmf-spec';

export const nmfMMSpec: NMFSpec = {
  id: 'nmf-mm',
  label: 'MM-MU (Févotte–Idier)',
  family: 'mm',
  problems: ['nmf'],
  hyper: noHyper,
  monotone: () => true,
  summary:
    'Majorization–minimization multiplicative updates for β-NMF: W then H, each the exact minimiser of a separable auxiliary function; monotone for every β (scikit-learn solver="mu").',
  formula: String.raw`H \leftarrow H \odot \left[\frac{W^\top((WH)^{\beta-2} \odot V)}{W^\top (WH)^{\beta-1}}\right]^{\gamma(\beta)},\quad \gamma(\beta) = \begin{cases} \frac{1}{2-\beta} & \beta < 1 \\ 1 & 1 \le \beta \le 2 \\ \frac{1}{\beta-1} & \beta > 2 \end{cases}`,
};
