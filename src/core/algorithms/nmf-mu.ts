/**
 * The heuristic multiplicative updates for β-NMF (Lee & Seung's rule extended to β): the ratio of the
 * negative to the positive part of the gradient, exponent 1 for every β. Identical to 'nmf-mm' for
 * 1 ≤ β ≤ 2; outside that range it over-steps the MM point H̃ ⊙ R^γ and nothing guarantees a decrease
 * (monotone in practice for β ∈ [0, 2], can increase for β > 2). Its shown model is the same
 * Févotte–Idier auxiliary function, not certified: the heuristic point (t = 1 on the path) is not its
 * minimiser.
 */
import { makeNMFAlgorithm } from './nmf-updates';

export const nmfMU = makeNMFAlgorithm({
  id: 'nmf-mu',
  label: 'Heuristic MU',
  family: 'gradient',
  exponent: () => 1,
  certified: false,
  summary:
    'Heuristic multiplicative updates for β-NMF: θ ← θ ⊙ (∇⁻f / ∇⁺f), W then H, exponent 1 for every β. Monotone only for 1 ≤ β ≤ 2 (where it is the MM update).',
  formula: String.raw`H \leftarrow H \odot \frac{W^\top((WH)^{\beta-2} \odot V)}{W^\top (WH)^{\beta-1}}`,
});
