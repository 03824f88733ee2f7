/**
 * Multiplicative updates for β-NMF, written once against the engine interface (engine/nmf-ops.ts) and
 * shared by 'nmf-mm' (exponent γ(β), Févotte & Idier's MM) and 'nmf-mu' (exponent 1, the heuristic),
 * with the Févotte–Idier auxiliary function they are judged by.
 *
 * One iteration is scikit-learn 1.2's `_fit_multiplicative_update` loop body with l1 = l2 = 0: W with the
 * old H, then H with the new W, each X ← X ⊙ R_X^e; entries of W below float64 eps are zeroed for β < 1,
 * those of H for β ≤ 1 (sklearn's stabilisation). The ratios and their guards are the engine's
 * (NMFOps.update); the exponent, the order and the zeroing are the algorithm's, here.
 */
import { z } from 'zod';
import type { AlgorithmFamily, EngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import type { NMFHalfStep, NMFOps } from '../engine/nmf-ops';
import type { StepContext, Vec } from '../engine/types';

/** Févotte & Idier's MM exponent: 1/(2−β) for β < 1, 1 for 1 ≤ β ≤ 2, 1/(β−1) for β > 2. */
export function mmExponent(beta: number): number {
  if (beta < 1) return 1 / (2 - beta);
  if (beta > 2) return 1 / (beta - 1);
  return 1;
}

/** The NMF operations of the step's objective (the NMF algorithms apply to NMF objectives only). */
export function nmfOpsOf(c: StepContext): NMFOps {
  if (!c.f.nmf) throw new Error(`NMF multiplicative updates need an NMF problem, got '${c.f.kind}'`);
  return c.f.nmf;
}

/** W's half-step with exponent e (sklearn: W entries < float64 eps → 0 for β < 1). */
export const halfStepW = (beta: number, e: number): NMFHalfStep => ({ block: 0, exponent: e, zeroTiny: beta < 1 });
/** H's half-step with exponent e (sklearn: H entries < float64 eps → 0 for β ≤ 1). */
export const halfStepH = (beta: number, e: number): NMFHalfStep => ({ block: 1, exponent: e, zeroTiny: beta <= 1 });

/** One full iteration, W with the old H then H with the new W, exponent e. */
export function nmfIterate(nmf: NMFOps, theta: Vec, e: number): Vec {
  return nmf.update(theta, [halfStepW(nmf.beta, e), halfStepH(nmf.beta, e)]);
}

// ---------------------------------------------------------------------------------------------
// The Févotte–Idier auxiliary function

const SURROGATE_FORMULA = 'G(H|H̃) = Σ Jensen(č) + tangent(ĉ) at W⁺ (Févotte–Idier); path H̃⊙Rᵗ: t=γ MM point, t=1 heuristic MU';

/**
 * The surrogate shown for one NMF iteration from θₖ = (Wₖ, H̃): W is first moved by the algorithm's
 * own W half-step to W⁺ (exponent e, as the step does); then g(W, H) = G_W(H | H̃) + c (NMFOps.auxiliary),
 * with c fixed so that g(W⁺, H̃) = f(W⁺, H̃) to the last bit (c only absorbs rounding and sklearn's
 * EPSILON-for-zero quirks; g(Wₖ, H̃) = f(θₖ) up to that rounding). Path: t ↦ (W⁺, H̃ ⊙ R^t) with R the
 * H-update ratio at (W⁺, H̃): t = 0 is the half-step point, t = γ(β) the MM point (argmin of
 * G_{W⁺}(·|H̃), = θₖ₊₁ for nmf-mm), t = 1 the heuristic point (= θₖ₊₁ for nmf-mu). Along the path
 * f(θ(t)) ≤ g(θ(t)), and g(θ(0)) = f(W⁺, H̃) ≤ f(θₖ) (the W half-step is itself MM when e = γ). Vecs
 * returned by `path` are new: the caller frees them.
 */
export function nmfSurrogate(c: StepContext, theta: Vec, e: number, certified: boolean): VecSurrogate {
  const { ops, f } = c;
  const nmf = nmfOpsOf(c);
  const beta = nmf.beta;
  const gamma = mmExponent(beta);
  const { half, Ht, R, minimiser, offset } = ops.tidy(() => {
    // (W⁺, H̃), a copy: an engine may share storage between Vecs (tfjs: H̃ is θₖ's own tensor)
    const half = ops.clone(nmf.update(theta, [halfStepW(beta, e)]));
    const Ht = f.block(half, 1);
    const R = nmf.ratio(half, 1);
    const minimiser = f.withBlock(half, 1, nmf.scaleByRatio(Ht, R, gamma, beta <= 1));
    const offset = f.value(half) - nmf.auxiliary(half, Ht);
    return { half: ops.keep(half), Ht: ops.keep(ops.clone(Ht)), R: ops.keep(R), minimiser: ops.keep(minimiser), offset };
  });
  return {
    certified,
    formula: SURROGATE_FORMULA,
    minimiser,
    value: (p) => nmf.auxiliary(p, Ht) + offset,
    path: (t) => ops.tidy(() => f.withBlock(ops.clone(half), 1, nmf.scaleByRatio(Ht, R, t, false))),
    // The algorithm's own next iterate on the path: t = e (γ for MM-MU, 1 for the heuristic).
    stepT: e,
    dispose: () => ops.dispose([half, Ht, R, minimiser]),
  };
}

// ---------------------------------------------------------------------------------------------
// The two algorithms

/** Iterations taken, and the engine's carry (NMFOps.carry: tfjs's W·H at θ), owned here. */
export type NMFState = { t: number; carry: Vec | null };

export const noHyper = z.strictObject({});
export type NoHyper = z.infer<typeof noHyper>;

export interface NMFAlgorithmSpec {
  id: string;
  label: string;
  family: AlgorithmFamily;
  /** The exponent applied to the update ratios, as a function of β. */
  exponent: (beta: number) => number;
  /** Whether the shown auxiliary function is proven to majorize at the algorithm's own next point. */
  certified: boolean;
  summary: string;
  formula: string;
}

export type NMFAlgorithm = EngineAlgorithm<NoHyper, NMFState> & { readonly exponent: (beta: number) => number };

export function makeNMFAlgorithm(spec: NMFAlgorithmSpec): NMFAlgorithm {
  return {
    exponent: spec.exponent,
    id: spec.id,
    label: spec.label,
    family: spec.family,
    problems: ['nmf'],
    hyper: noHyper,
    summary: spec.summary,
    formula: spec.formula,
    init: () => ({ t: 0, carry: null }),
    step(c, theta, state) {
      const nmf = nmfOpsOf(c);
      const e = spec.exponent(nmf.beta);
      const next = nmfIterate(nmf, theta, e);
      return { theta: next, state: { t: state.t + 1, carry: nmf.carry(next) }, info: { exponent: e } };
    },
    model(c, theta) {
      return nmfSurrogate(c, theta, spec.exponent(nmfOpsOf(c).beta), spec.certified);
    },
  };
}
