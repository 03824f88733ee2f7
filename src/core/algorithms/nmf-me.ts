/**
 * Majorization–equalization for β-NMF (Févotte & Idier 2011, §5; algorithm id 'nmf-me'): each half-step
 * moves every entry to the far point of the level set of the auxiliary function through the current
 * one, G(h|h̃) = G(h̃|h̃), instead of to its minimiser (MM). The closed forms and the β they exist for
 * are in nmf-me-forms.ts (β ∈ {−1, 0, 1/2, 3/2, 2, 3}); elsewhere the config check and `init` refuse the
 * algorithm with the reason. One iteration: W then H (with the new W), as nmf-mm, on the same ratios
 * (NMFOps.ratio, sklearn's guards, the penalty in H's denominator), so f(θₖ₊₁) ≤ G(θₖ₊₁|θₖ) = f(θₖ).
 *
 * `blend` (the paper's pure ME is 1) takes X̃ ⊙ [(1 − b)·R^γ + b·φ(R)], a point between the MM and ME
 * points: G is convex per entry, so every such point is monotone too, and b < 1 keeps entries off the
 * exact zeros ME can reach for β ≥ 3/2 (a multiplicative update never leaves a zero).
 *
 * Its model (the surrogate view): the same auxiliary function as nmf-mm at W⁺ (ME's own W half-step),
 * along a path through both points: t ∈ [0, γ]: H̃ ⊙ Rᵗ (t = γ the MM point, the minimiser);
 * t ≥ γ: H̃ ⊙ max(0, R^γ + ((t − γ)/γ)·(φ(R) − R^γ)), so t = 2γ is the ME point (on G's level set through
 * t = 0) and `stepT` = γ(1 + b) is the algorithm's next iterate.
 */
import type { EngineAlgorithm } from '../engine/algorithm';
import type { NMFOps } from '../engine/nmf-ops';
import type { StepContext, Vec } from '../engine/types';
import { meFactor } from './nmf-me-forms';
import { meBetaError, nmfMESpec, type MEHyper } from './nmf-me-spec';
import type { NMFAlgorithmExtras } from './nmf-spec';
import { mmExponent, nmfModel, nmfNormalize, nmfOpsOf, normalizes, type NMFState } from './nmf-updates';

function requireBeta(nmf: NMFOps): void {
  const why = meBetaError(nmf.beta);
  if (why) throw new Error(why);
}

/** The factor applied to X̃: φ(R) (blend 1), or (1 − b)·R^γ + b·φ(R). */
function factor(c: StepContext, nmf: NMFOps, R: Vec, blend: number): Vec {
  const me = meFactor(c.ops, R, nmf.beta);
  if (blend === 1) return me;
  const mm = nmf.scaleByRatio(c.ops.fill(R, 1), R, mmExponent(nmf.beta), false);
  return c.ops.axpby(mm, 1 - blend, me, blend);
}

/** Block b's ME half-step at θ: X ⊙ factor(R_b(θ)), then sklearn's zeroing of tiny entries. */
function meHalf(c: StepContext, theta: Vec, block: 0 | 1, blend: number): Vec {
  const nmf = nmfOpsOf(c);
  return c.ops.tidy(() => {
    const F = factor(c, nmf, nmf.ratio(theta, block), blend);
    const zeroTiny = block === 0 ? nmf.beta < 1 : nmf.beta <= 1;
    return c.f.withBlock(theta, block, nmf.scaleByRatio(c.f.block(theta, block), F, 1, zeroTiny));
  });
}

export const nmfME: EngineAlgorithm<MEHyper, NMFState> & NMFAlgorithmExtras = {
  ...nmfMESpec,
  init(c) {
    requireBeta(nmfOpsOf(c));
    return { t: 0, carry: null };
  },
  step(c, theta, state, h) {
    const nmf = nmfOpsOf(c);
    requireBeta(nmf);
    const next = c.ops.tidy(() => {
      const half = meHalf(c, theta, 0, h.blend);
      return nmfNormalize(nmf, meHalf(c, half, 1, h.blend));
    });
    return { theta: next, state: { t: state.t + 1, carry: null }, info: { blend: h.blend } };
  },
  model(c, theta, _state, h) {
    const nmf = nmfOpsOf(c);
    requireBeta(nmf);
    const gamma = mmExponent(nmf.beta);
    const { ops } = c;
    return nmfModel(c, theta, {
      halfW: (th) => meHalf(c, th, 0, h.blend),
      pathH: (Ht, R, t) => {
        if (t <= gamma) return nmf.scaleByRatio(Ht, R, t, false);
        const mm = nmf.scaleByRatio(ops.fill(R, 1), R, gamma, false);
        const s = (t - gamma) / gamma;
        const F = ops.maximum(ops.axpby(mm, 1 - s, meFactor(ops, R, nmf.beta), s), ops.fill(R, 0));
        return nmf.scaleByRatio(Ht, F, 1, false);
      },
      stepT: gamma * (1 + h.blend),
      certified: !normalizes(nmf),
      formula: 'G(H|H̃) (Févotte–Idier) at W⁺; path: t=γ MM point (argmin G), t=2γ ME point (G = G(H̃|H̃))',
    });
  },
};
