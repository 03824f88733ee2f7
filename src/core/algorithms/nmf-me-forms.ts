/**
 * Févotte & Idier's majorization–equalization (ME) closed forms (2011, §5), per entry of a factor.
 *
 * For one entry, with x = h/h̃ and r = the multiplicative update's ratio N/D (penalty l1 in D), the
 * auxiliary function G(h|h̃) of nmf-updates.ts is, up to a positive factor and a constant (Table 1's split):
 *   β < 1:        x + r·x^{β−1}/(1 − β)          (tangent of y^β/β, Jensen on −v·y^{β−1}/(β−1))
 *   1 ≤ β ≤ 2:    x^β/β − r·x^{β−1}/(β − 1)      (Jensen on both; β = 1: x − r·log x)
 *   β > 2:        x^β/β − r·x                    (Jensen on y^β/β, tangent of −v·y^{β−1}/(β−1))
 * MM takes its minimiser x = r^{γ(β)}. ME takes the other root of G(x) = G(1), the far point of the same
 * level set: G(x_ME) = G(1), so f(θₖ₊₁) ≤ G(θₖ₊₁|θₖ) = f(θₖ) and ME is monotone like MM, with a step
 * about twice as long. G(x) = G(1) has the known root x = 1, and is a polynomial of degree ≤ 3 (in x or
 * √x) only for β ∈ {−1, 0, 1/2, 3/2, 2, 3}; dividing out (x − 1) leaves a quadratic:
 *   β = −1:  2x² − r·x − r = 0            x = (r + √(r² + 8r)) / 4
 *   β = 0:   x = r                          (the heuristic update)
 *   β = 1/2: u² + u − 2r = 0, u = √x       x = (√(1 + 8r) − 1)² / 4
 *   β = 3/2: u² + u + 1 − 3r = 0, u = √x   x = (√(12r − 3) − 1)² / 4   (r ≥ 1/3, else 0)
 *   β = 2:   x = 2r − 1                    (r ≥ 1/2, else 0)
 *   β = 3:   x² + x + 1 − 3r = 0            x = (√(12r − 3) − 1) / 2    (r ≥ 1/3, else 0)
 * For β ∈ {3/2, 2, 3} the other root is negative when r is small (r < 1/3, 1/2, 1/3): then G(0) ≤ G(1)
 * and x = 0 is the point of the segment [x_MM, x_ME] closest to the equalization point, still monotone
 * (G is convex in x). Other β (KL's β = 1 included: x − r·log x = 1 − r·0 needs Lambert's W) have no
 * closed form, and the lab refuses ME there.
 */
import type { VectorOps, Vec } from '../engine/types';
import { meBetaError } from './nmf-me-spec';

/** The β with closed-form ME updates (nmf-me-spec.ts). */
export { ME_BETAS } from './nmf-me-spec';

/**
 * φ(R): the factor x_ME per entry (the ME point is X̃ ⊙ φ(R)), float32 element-wise ops on any engine.
 * Throws outside ME_BETAS.
 */
export function meFactor(ops: VectorOps, R: Vec, beta: number): Vec {
  const quarter = (v: Vec) => ops.scale(v, 0.25);
  switch (beta) {
    case -1:
      return quarter(ops.add(R, ops.sqrt(ops.add(ops.square(R), ops.scale(R, 8)))));
    case 0:
      return ops.clone(R);
    case 0.5:
      return quarter(ops.square(ops.addScalar(ops.sqrt(ops.addScalar(ops.scale(R, 8), 1)), -1)));
    case 1.5:
      // max(12r − 3, 1) makes the root 0 where it would be negative (r < 1/3)
      return quarter(ops.square(ops.addScalar(ops.sqrt(ops.maximum(ops.addScalar(ops.scale(R, 12), -3), ops.fill(R, 1))), -1)));
    case 2:
      return ops.maximum(ops.addScalar(ops.scale(R, 2), -1), ops.fill(R, 0));
    case 3:
      return ops.scale(ops.addScalar(ops.sqrt(ops.maximum(ops.addScalar(ops.scale(R, 12), -3), ops.fill(R, 1))), -1), 0.5);
    default:
      throw new Error(meBetaError(beta) ?? 'unreachable');
  }
}
