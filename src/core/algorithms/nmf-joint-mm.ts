/**
 * Joint majorization–minimization for β-NMF (Marmin, Goulart & Févotte, "Joint majorization-minimization
 * for nonnegative matrix factorization with the β-divergence", Signal Processing 2023; id 'nmf-joint-mm').
 *
 * One auxiliary function G(W, H | W̃, H̃) for both factors, built once per iteration at θₖ = (W̃, H̃)
 * (NMFOps.jointRatio: Jensen over the K products w̃_k h̃_k·(w_k/w̃_k)(h_k/h̃_k), the tangent of d_β's
 * concave part), with P̃ = V ⊙ Ṽ^{β−2} and Q̃ = Ṽ^{β−1} at Ṽ = W̃H̃ only. G is separable in either factor
 * for the other fixed, and an iteration takes `sweeps` block-minimisations of it:
 *   W ← W̃ ⊙ [P̃ χ₁(H)ᵀ / Q̃ χ₂(H)ᵀ]^{γ(β)},   H ← H̃ ⊙ [χ₁(W)ᵀ P̃ / (χ₂(W)ᵀ Q̃ + l1)]^{γ(β)},
 * χ₁(X) = X̃ ⊙ (X/X̃)^{β−1} (β ≤ 2), χ₂(X) = X̃ ⊙ (X/X̃)^β (β ≥ 1), else X. Each block update minimises
 * G exactly, so f(θₖ₊₁) ≤ G(θₖ₊₁|θₖ) ≤ G(θₖ|θₖ) = f(θₖ): monotone for every β. The first W update is
 * nmf-mm's; the H update reuses P̃, Q̃ instead of forming (W⁺H̃)'s powers again — the saving the paper
 * measures in wall time (one product WH and one pass of powers per iteration instead of two).
 * sklearn's zeroing of tiny entries (W: β < 1, H: β ≤ 1) is applied once, after the sweeps (inside
 * them a zero would make χ₁ infinite for β < 1).
 *
 * Its model: the Févotte–Idier auxiliary function of H at (W⁺, H̃) (as nmf-mm), W⁺ = the joint
 * iteration's W; the joint H update is not that function's minimiser, so the model is not certified
 * (the joint function itself is a function of both blocks and has no single path to show).
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import type { StepContext, Vec } from '../engine/types';
import { mmExponent, nmfModel, nmfNormalize, nmfOpsOf, type NMFState } from './nmf-updates';
import { nmfJointMMSpec, type JointHyper } from './nmf-joint-mm-spec';
import type { NMFAlgorithmExtras } from './nmf-spec';

/** One joint-MM iteration from ref = θₖ: `sweeps` W-then-H minimisations of G(·|θₖ), then the zeroing. */
export function jointIterate(c: StepContext, ref: Vec, sweeps: number): Vec {
  const { ops, f } = c;
  const nmf = nmfOpsOf(c);
  const beta = nmf.beta;
  const g = mmExponent(beta);
  return ops.tidy(() => {
    const Wt = f.block(ref, 0);
    const Ht = f.block(ref, 1);
    let theta = ref;
    for (let s = 0; s < sweeps; s++) {
      theta = f.withBlock(theta, 0, nmf.scaleByRatio(Wt, nmf.jointRatio(ref, theta, 0), g, false));
      theta = f.withBlock(theta, 1, nmf.scaleByRatio(Ht, nmf.jointRatio(ref, theta, 1), g, false));
    }
    // sklearn's stabilisation, once: entries below float64 eps → 0 (W for β < 1, H for β ≤ 1)
    const one = ops.fill(Wt, 1);
    if (beta < 1) theta = f.withBlock(theta, 0, nmf.scaleByRatio(f.block(theta, 0), one, 1, true));
    if (beta <= 1) theta = f.withBlock(theta, 1, nmf.scaleByRatio(f.block(theta, 1), ops.fill(Ht, 1), 1, true));
    return ops.clone(theta);
  });
}

export const nmfJointMM: EngineAlgorithm<JointHyper, NMFState> & NMFAlgorithmExtras = {
  ...nmfJointMMSpec,
  init: () => ({ t: 0, carry: null }),
  step(c, theta, state, h) {
    const nmf = nmfOpsOf(c);
    const next = c.ops.tidy(() => nmfNormalize(nmf, jointIterate(c, theta, h.sweeps)));
    return { theta: next, state: { t: state.t + 1, carry: null }, info: { sweeps: h.sweeps } };
  },
  model(c, theta, _state, h) {
    const nmf = nmfOpsOf(c);
    // W⁺: the joint iteration's W (one sweep's W is nmf-mm's W half-step at γ)
    return nmfModel(c, theta, {
      halfW: (th) => c.f.withBlock(th, 0, c.f.block(jointIterate(c, th, h.sweeps), 0)),
      stepT: mmExponent(nmf.beta),
      certified: false,
      formula: 'G(H|H̃) (Févotte–Idier) at the joint W⁺; the joint H step minimises the joint majorizer, not this one',
    });
  },
};
