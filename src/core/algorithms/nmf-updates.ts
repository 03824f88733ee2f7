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
import type { EngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import type { NMFHalfStep, NMFOps } from '../engine/nmf-ops';
import type { StepContext, Vec } from '../engine/types';
import type { NMFAlgorithmExtras, NMFSpec, NoHyper } from './nmf-spec';

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

/** How an NMF algorithm's shown model is built (see nmfModel). */
export interface NMFModelSpec {
  /** θₖ after the algorithm's own W half-step: (W⁺, H̃). */
  halfW(theta: Vec): Vec;
  /** The point H(t) of the path from H̃ and R (H's ratio at (W⁺, H̃)); default H̃ ⊙ Rᵗ. */
  pathH?(Ht: Vec, R: Vec, t: number): Vec;
  /** The t at which the path reaches the algorithm's next iterate. */
  stepT: number;
  certified: boolean;
  formula: string;
}

/**
 * The surrogate shown for one NMF iteration from θₖ = (Wₖ, H̃): W is first moved by the algorithm's
 * own W half-step to W⁺ (spec.halfW); then g(W, H) = G_W(H | H̃) + c (NMFOps.auxiliary, with the
 * penalty's majorizer if any), with c fixed so that g(W⁺, H̃) = f(W⁺, H̃) to the last bit (c only
 * absorbs rounding and sklearn's EPSILON-for-zero quirks). The minimiser is the MM point
 * (W⁺, H̃ ⊙ R^γ), R the H-update ratio at (W⁺, H̃); the path t ↦ (W⁺, H(t)) has H(0) = H̃ and H(γ) the
 * MM point. Vecs returned by `path` are new: the caller frees them.
 */
export function nmfModel(c: StepContext, theta: Vec, spec: NMFModelSpec): VecSurrogate {
  const { ops, f } = c;
  const nmf = nmfOpsOf(c);
  const beta = nmf.beta;
  const gamma = mmExponent(beta);
  const { half, Ht, R, minimiser, offset } = ops.tidy(() => {
    // (W⁺, H̃), a copy: an engine may share storage between Vecs (tfjs: H̃ is θₖ's own tensor)
    const half = ops.clone(spec.halfW(theta));
    const Ht = f.block(half, 1);
    const R = nmf.ratio(half, 1);
    const minimiser = f.withBlock(half, 1, nmf.scaleByRatio(Ht, R, gamma, beta <= 1));
    const offset = f.value(half) - nmf.auxiliary(half, Ht);
    return { half: ops.keep(half), Ht: ops.keep(ops.clone(Ht)), R: ops.keep(R), minimiser: ops.keep(minimiser), offset };
  });
  const pathH = spec.pathH ?? ((h: Vec, r: Vec, t: number) => nmf.scaleByRatio(h, r, t, false));
  return {
    certified: spec.certified,
    formula: spec.formula,
    minimiser,
    value: (p) => nmf.auxiliary(p, Ht) + offset,
    path: (t) => ops.tidy(() => f.withBlock(ops.clone(half), 1, pathH(Ht, R, t))),
    stepT: spec.stepT,
    dispose: () => ops.dispose([half, Ht, R, minimiser]),
  };
}

/**
 * The multiplicative updates' model: W⁺ by the W half-step with exponent e; path H̃ ⊙ Rᵗ, t = γ(β) the
 * MM point (= θₖ₊₁ for nmf-mm), t = 1 the heuristic point (= θₖ₊₁ for nmf-mu). Along the path
 * f(θ(t)) ≤ g(θ(t)), and g(θ(0)) = f(W⁺, H̃) ≤ f(θₖ) (the W half-step is itself MM when e = γ).
 */
export function nmfSurrogate(c: StepContext, theta: Vec, e: number, certified: boolean): VecSurrogate {
  const nmf = nmfOpsOf(c);
  return nmfModel(c, theta, { halfW: (th) => nmf.update(th, [halfStepW(nmf.beta, e)]), stepT: e, certified, formula: SURROGATE_FORMULA });
}

/**
 * The end of an iteration of penalized NMF (Févotte & Idier 2011, §6): W's columns renormalised (H's
 * rows scaled, WH unchanged) when the problem has a penalty with `normalizeW` ≠ 'none'; else θ itself.
 * The renormalisation changes the penalty l1·Σ H, so with it f is not guaranteed to decrease.
 */
export function nmfNormalize(nmf: NMFOps, theta: Vec): Vec {
  return nmf.penalty.l1 > 0 && nmf.penalty.normalizeW !== 'none' ? nmf.normalizeW(theta) : theta;
}

/** Whether the renormalisation step runs (then no algorithm here can promise monotone decrease). */
export const normalizes = (nmf: NMFOps): boolean => nmf.penalty.l1 > 0 && nmf.penalty.normalizeW !== 'none';

// ---------------------------------------------------------------------------------------------
// The two algorithms

/** Iterations taken, and the engine's carry (NMFOps.carry: tfjs's W·H at θ), owned here. */
export type NMFState = { t: number; carry: Vec | null };

/** How a multiplicative-update algorithm steps, beside its spec. */
export interface NMFUpdateRule {
  /** The exponent applied to the update ratios, as a function of β. */
  exponent: (beta: number) => number;
  /** Whether the shown auxiliary function's minimiser is the algorithm's own next point (MM). */
  certified: boolean;
}

export type NMFAlgorithm = EngineAlgorithm<NoHyper, NMFState> & NMFAlgorithmExtras & { readonly exponent: (beta: number) => number };

export function makeNMFAlgorithm(spec: NMFSpec, rule: NMFUpdateRule): NMFAlgorithm {
  return {
    ...spec,
    exponent: rule.exponent,
    init: () => ({ t: 0, carry: null }),
    step(c, theta, state) {
      const nmf = nmfOpsOf(c);
      const e = rule.exponent(nmf.beta);
      const next = nmfNormalize(nmf, nmfIterate(nmf, theta, e));
      return { theta: next, state: { t: state.t + 1, carry: nmf.carry(next) }, info: { exponent: e } };
    },
    model(c, theta) {
      const nmf = nmfOpsOf(c);
      return nmfSurrogate(c, theta, rule.exponent(nmf.beta), rule.certified && !normalizes(nmf));
    },
  };
}
