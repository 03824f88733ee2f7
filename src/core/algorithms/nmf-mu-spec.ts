/** nmf-mu.ts's spec: what the page, the config schema and the docs read (the page loads no step code). */
import { noHyper, type NMFSpec } from './nmf-spec';

export const nmfMUSpec: NMFSpec = {
  id: 'nmf-mu',
  label: 'Heuristic MU',
  family: 'gradient',
  problems: ['nmf'],
  hyper: noHyper,
  monotone: (beta) => beta >= 0 && beta <= 2,
  summary:
    'Heuristic multiplicative updates for β-NMF: θ ← θ ⊙ (∇⁻f / ∇⁺f), W then H, exponent 1 for every β. Proven monotone for 0 ≤ β ≤ 2 (the MM update for 1 ≤ β ≤ 2; Févotte & Idier prove 0 < β < 1 with the same auxiliary function; β = 0 is the ME update), not for β < 0 or β > 2.',
  formula: String.raw`H \leftarrow H \odot \frac{W^\top((WH)^{\beta-2} \odot V)}{W^\top (WH)^{\beta-1}}`,
};
