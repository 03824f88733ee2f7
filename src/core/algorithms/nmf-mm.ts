/**
 * MM multiplicative updates for β-NMF (Févotte & Idier 2011): each half-step minimises the auxiliary
 * function built from Jensen's inequality on the convex part of d_β(v|·) and the tangent of its concave
 * part, whose minimiser is the multiplicative update raised to γ(β) = 1/(2−β) (β < 1), 1 (1 ≤ β ≤ 2),
 * 1/(β−1) (β > 2). Monotone for every β. This is scikit-learn's NMF(solver='mu') with l1 = l2 = 0,
 * reproduced step by step (see nmf-updates.ts). No hyper-parameters: the update has none. With the
 * problem's ℓ1 penalty (Févotte & Idier §6) H's denominator gets + l1 (sklearn's alpha_H, l1_ratio = 1)
 * and W's columns are renormalised after each iteration when the problem asks for it (then not monotone).
 */
import { makeNMFAlgorithm, mmExponent } from './nmf-updates';
import { nmfMMSpec } from './nmf-mm-spec';

export const nmfMM = makeNMFAlgorithm(nmfMMSpec, { exponent: mmExponent, certified: true });
