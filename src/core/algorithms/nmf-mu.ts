/**
 * The heuristic multiplicative updates for β-NMF (Lee & Seung's rule extended to β): the ratio of the
 * negative to the positive part of the gradient, exponent 1 for every β. Identical to 'nmf-mm' for
 * 1 ≤ β ≤ 2. Outside that range it over-steps the MM point H̃ ⊙ R^γ, but Févotte & Idier (2011)
 * prove it monotone for β ∈ (0, 1) with the same auxiliary function: per entry, with x = h/h̃ and r the
 * ratio, G is ∝ x + r·x^{β−1}/(1 − β), and G(r) ≤ G(1) for every r > 0 when 0 < β < 1. At β = 0 the
 * heuristic point is the ME point (G(r) = G(1) exactly, see nmf-me.ts). So it is proven monotone for
 * β ∈ [0, 2] (`monotone`), and not for β < 0 or β > 2, where it can increase f. Its shown model stays
 * uncertified: the heuristic point (t = 1 on the path) is not the auxiliary function's minimiser.
 */
import { makeNMFAlgorithm } from './nmf-updates';
import { nmfMUSpec } from './nmf-mu-spec';

export const nmfMU = makeNMFAlgorithm(nmfMUSpec, { exponent: () => 1, certified: false });
