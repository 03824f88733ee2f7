/**
 * The structure of a β-NMF objective f(W, H) = D_β(V | WH) that the NMF algorithms exploit, offered by
 * `ObjectiveOps.nmf` on every engine (tfjs: engines/tfjs/nmf-ops.ts; cpu: engines/cpu/nmf-objective.ts).
 * θ = (W, H) with W m×K and H K×n; block 0 is W, block 1 is H (`ObjectiveOps.block`), each a Vec of
 * that factor's entries in row-major order. f(θ) itself is `ObjectiveOps.value` (scikit-learn's
 * `_beta_divergence`, never below 0).
 *
 * The multiplicative updates are ratios of the two parts of the gradient, ∇_X f = D_X − N_X:
 *   block W:  N_W = ((WH)^{β−2} ⊙ V)Hᵀ,   D_W = (WH)^{β−1}Hᵀ
 *   block H:  N_H = Wᵀ((WH)^{β−2} ⊙ V),   D_H = Wᵀ(WH)^{β−1}
 *   R_X(θ) = N_X / D_X, with scikit-learn's `mu` conventions (sklearn 1.2 `_multiplicative_update_w/_h`,
 *   l1 = l2 = 0): for β < 2 exact zeros of WH become EPSILON (2⁻²³) in the numerator (β < 1: in the
 *   denominator too); β = 1 uses V/WH and the row sums of H (for W) or the column sums of W (for H,
 *   zeros → 1) as denominators; β = 2 forms VHᵀ / W(HHᵀ) and WᵀV / (WᵀW)H; zero denominators become
 *   EPSILON. The engines compute N and D in float32 products and the per-entry weights in float64
 *   (or float32 tfjs ops on GPU backends).
 *
 * An algorithm chooses the exponent of the ratio, the order of the half-steps and when small entries
 * are zeroed (sklearn: W for β < 1, H for β ≤ 1); the engine does the arithmetic. The engine may fuse
 * the passes (the cpu engine never forms the m×n matrices) and never materialises the θ between two
 * half-steps of one `update` call.
 */
import type { Vec } from './vec';

/** One half-step of the multiplicative updates: block X ← X ⊙ R_X(θ)^exponent at the current θ. */
export interface NMFHalfStep {
  /** 0: W, 1: H. */
  readonly block: 0 | 1;
  /** The exponent e applied to the ratio (1: the heuristic MU; γ(β): Févotte–Idier's MM). */
  readonly exponent: number;
  /** Afterwards set entries below float64 eps (2⁻⁵²) to 0 (scikit-learn's stabilisation). */
  readonly zeroTiny: boolean;
}

export interface NMFOps {
  /** β of the divergence. */
  readonly beta: number;
  /** V is rows × cols (m × n); the factorisation rank K. */
  readonly rows: number;
  readonly cols: number;
  readonly rank: number;
  /**
   * θ after the half-steps, in order, each at the θ the previous one produced: block X replaced by
   * X ⊙ R_X(θ)^e (the ratio taken exactly, then raised and multiplied, one rounding to float32 per
   * entry on the cpu engine), then entries < 2⁻⁵² → 0 where `zeroTiny`. A new Vec; θ is not mutated.
   */
  update(theta: Vec, halves: readonly NMFHalfStep[]): Vec;
  /** The update ratio R_b(θ) = N_b / D_b of block b (sklearn's conventions above), shaped like block b. */
  ratio(theta: Vec, block: 0 | 1): Vec;
  /** X ⊙ R^t for X and R shaped like one block (then entries < 2⁻⁵² → 0 where `zeroTiny`): a point on the update's path. */
  scaleByRatio(X: Vec, R: Vec, t: number, zeroTiny: boolean): Vec;
  /**
   * Févotte & Idier's auxiliary function for H at θ = (W, H) around H̃ (`Ht`, shaped like block H),
   * summed with the terms constant in H, so that it equals D_β(V | WH̃) at H = H̃ in exact arithmetic:
   * Jensen's inequality on the convex part of d_β(v|·), the tangent of its concave part (Table 1 of
   * Févotte & Idier 2011); V-dependent terms only where V > EPSILON, as in f. +∞ where H̃ = 0 but H ≠ 0.
   * It majorizes D_β(V | W·) for every W ≥ 0, so (W, H) ↦ G_W(H | H̃) majorizes f jointly.
   */
  auxiliary(theta: Vec, Ht: Vec): number;
  /**
   * Work an engine carries from a step to the next, for the algorithm to hold in its state (and so free
   * with it) and never read: tfjs returns the product W·H at θ, which f(θ) and the next W half-step then
   * reuse; the cpu engine keeps its own (null). Null is always valid (e.g. after moving engines).
   */
  carry(theta: Vec): Vec | null;
}
