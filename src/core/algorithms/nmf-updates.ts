/**
 * Multiplicative updates for β-NMF, shared by 'nmf-mm' (exponent γ(β), Févotte & Idier's MM) and
 * 'nmf-mu' (exponent 1, the heuristic), and the Févotte–Idier auxiliary function they are judged by.
 *
 * One iteration reproduces scikit-learn 1.2's `_fit_multiplicative_update` loop body with l1 = l2 = 0
 * (`_multiplicative_update_w`, then `_multiplicative_update_h`), only in float32:
 *   W ← W ⊙ [((WH)^{β−2} ⊙ V)Hᵀ / (WH)^{β−1}Hᵀ]^e;  β < 1: W entries < float64 eps → 0;
 *   H ← H ⊙ [Wᵀ((WH)^{β−2} ⊙ V) / Wᵀ(WH)^{β−1}]^e  (with the new W);  β ≤ 1: H entries < eps → 0;
 * with sklearn's guards: for β < 2 exact zeros of WH become EPSILON in the numerator (β < 1: in the
 * denominator too); β = 1 uses V/WH and the row sums of H (column sums of W, zeros → 1) as
 * denominators; β = 2 uses VHᵀ / W(HHᵀ) and WᵀV / (WᵀW)H; zero denominators become EPSILON; the ratio
 * is raised to e only when e ≠ 1.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { betaDivergence, EPS64, zerosToEps, type NMFObjective } from '../problems/nmf';
import { nmfApplyUpdate, nmfWeights } from '../problems/nmf-kernels';
import type { Algorithm, AlgorithmFamily, Objective, Params, Surrogate } from '../types';
import { num } from './common';

/** Févotte & Idier's MM exponent: 1/(2−β) for β < 1, 1 for 1 ≤ β ≤ 2, 1/(β−1) for β > 2. */
export function mmExponent(beta: number): number {
  if (beta < 1) return 1 / (2 - beta);
  if (beta > 2) return 1 / (beta - 1);
  return 1;
}

export function asNMF(obj: Objective): NMFObjective {
  if (obj.kind !== 'nmf') throw new Error(`NMF multiplicative updates need an NMF problem, got '${obj.kind}'`);
  return obj as NMFObjective;
}

const T = (x: tf.Tensor): tf.Tensor2D => x as tf.Tensor2D;

// tfjs-wasm runs a matmul with transposeA/transposeB flags through a slow generic loop (1024²·32:
// 40–160 ms against 3–5 ms): every product below is a plain matMul(A, B) on explicitly transposed
// (small, m×K or K×n) operands. A constant right operand (V, Vᵀ) also stays packed in XNNPACK's
// operator cache across iterations.

/** (WH)^{β−2} ⊙ V with sklearn's guards (the numerator's middle factor), and the denominator's (WH)^{β−1}. */
function weightedWH(V: tf.Tensor2D, W: tf.Tensor2D, H: tf.Tensor2D, beta: number): { num: tf.Tensor2D; den: tf.Tensor2D | null } {
  const m = V.shape[0];
  const QD = nmfWeights(tf.matMul(W, H), V, beta);
  if (beta === 1) return { num: QD, den: null };
  return { num: T(tf.slice(QD, [0, 0], [m, -1])), den: T(tf.slice(QD, [m, 0], [m, -1])) };
}

const epsForZero = (d: tf.Tensor): tf.Tensor => zerosToEps(d);

/** The W-update ratio R_W = numerator / denominator (before the exponent), sklearn's conventions. */
export function ratioW(V: tf.Tensor2D, W: tf.Tensor2D, H: tf.Tensor2D, beta: number): tf.Tensor2D {
  return tf.tidy(() => {
    const HT = tf.transpose(H);
    if (beta === 2) {
      const numer = tf.matMul(V, HT);
      const den = tf.matMul(W, tf.matMul(H, HT));
      return T(tf.div(numer, epsForZero(den)));
    }
    const { num: q, den } = weightedWH(V, W, H, beta);
    const numer = tf.matMul(q, HT);
    const denom = den ? tf.matMul(den, HT) : tf.reshape(tf.sum(H, 1), [1, -1]);
    return T(tf.div(numer, epsForZero(denom)));
  });
}

/** The H-update ratio R_H = numerator / denominator (before the exponent), sklearn's conventions. */
export function ratioH(V: tf.Tensor2D, W: tf.Tensor2D, H: tf.Tensor2D, beta: number): tf.Tensor2D {
  return tf.tidy(() => {
    const WT = tf.transpose(W);
    if (beta === 2) {
      const numer = tf.matMul(WT, V);
      const den = tf.matMul(tf.matMul(WT, W), H);
      return T(tf.div(numer, epsForZero(den)));
    }
    const { num: q, den } = weightedWH(V, W, H, beta);
    const numer = tf.matMul(WT, q);
    let denom: tf.Tensor;
    if (den) denom = tf.matMul(WT, den);
    else {
      const wsum = tf.sum(W, 0);
      denom = tf.reshape(tf.where(tf.equal(wsum, 0), tf.onesLike(wsum), wsum), [-1, 1]);
    }
    return T(tf.div(numer, epsForZero(denom)));
  });
}

function applyRatio(X: tf.Tensor2D, R: tf.Tensor2D, e: number): tf.Tensor2D {
  return T(tf.mul(X, e === 1 ? R : tf.pow(R, e)));
}

/** Entries below float64 eps set to 0 (sklearn's stabilisation for β < 1 / β ≤ 1). */
function zeroTiny(X: tf.Tensor2D): tf.Tensor2D {
  return T(tf.where(tf.less(X, EPS64), tf.zerosLike(X), X));
}

/**
 * W's half-step: W ⊙ R_W^e, then (β < 1) tiny entries → 0. `WH` = W·H when the caller has it.
 * The ratio's numerator and denominator come from one matmul, [Q; D]·Hᵀ, read in place by the update.
 */
export function updateW(obj: NMFObjective, W: tf.Tensor2D, H: tf.Tensor2D, beta: number, e: number, WH?: tf.Tensor2D | null): tf.Tensor2D {
  return tf.tidy(() => {
    const tiny = beta < 1;
    if (beta === 2) {
      // VHᵀ = (H·Vᵀ)ᵀ: read transposed; denominator W(HHᵀ), the K×K Gram matrix first (as sklearn)
      const HVt = tf.matMul(H, obj.VT);
      const den = tf.matMul(W, tf.matMul(H, tf.transpose(H)));
      return nmfApplyUpdate(W, { t: HVt, transposed: true }, { t: den }, e, tiny);
    }
    const HT = tf.transpose(H);
    const QD = nmfWeights(WH ?? tf.matMul(W, H), obj.V, beta);
    const ND = tf.matMul(QD, HT); // [numerator; denominator] stacked, 2m×K (β = 1: numerator only)
    if (beta === 1) return nmfApplyUpdate(W, { t: ND }, { t: tf.sum(H, 1), vector: 'col' }, e, tiny);
    return nmfApplyUpdate(W, { t: ND, half: 0 }, { t: ND, half: 1 }, e, tiny);
  });
}

/**
 * H's half-step with the given (new) W: H ⊙ R_H^e, then (β ≤ 1) tiny entries → 0. Works on the
 * transposes, (WH)ᵀ = HᵀWᵀ against Vᵀ, so that Wᵀ[Q D] is one plain matmul [Qᵀ; Dᵀ]·W.
 */
export function updateH(obj: NMFObjective, W: tf.Tensor2D, H: tf.Tensor2D, beta: number, e: number): tf.Tensor2D {
  return tf.tidy(() => {
    const tiny = beta <= 1;
    const WT = tf.transpose(W);
    if (beta === 2) {
      const num = tf.matMul(WT, obj.V);
      const den = tf.matMul(tf.matMul(WT, W), H); // (WᵀW)H, as sklearn's multi_dot
      return nmfApplyUpdate(H, { t: num }, { t: den }, e, tiny);
    }
    const QDT = nmfWeights(tf.matMul(tf.transpose(H), WT), obj.VT, beta);
    const NDT = tf.matMul(QDT, W); // [numeratorᵀ; denominatorᵀ], 2n×K
    if (beta === 1) return nmfApplyUpdate(H, { t: NDT, transposed: true }, { t: tf.sum(W, 0), vector: 'row' }, e, tiny, true);
    return nmfApplyUpdate(H, { t: NDT, half: 0, transposed: true }, { t: NDT, half: 1, transposed: true }, e, tiny);
  });
}

/**
 * One full iteration, W with the old H then H with the new W, and (β ≠ 2) the product W⁺H⁺ that the
 * next iteration and f(θ⁺) both need (β = 2 needs none). `WH` = W·H when the caller has it.
 */
export function nmfStep(obj: NMFObjective, W: tf.Tensor2D, H: tf.Tensor2D, e: number, WH?: tf.Tensor2D | null): { W: tf.Tensor2D; H: tf.Tensor2D; WH: tf.Tensor2D | null } {
  const [W1, H1, WH1] = tf.tidy(() => {
    const W1 = updateW(obj, W, H, obj.beta, e, WH);
    const H1 = updateH(obj, W1, H, obj.beta, e);
    return obj.beta === 2 ? [W1, H1] : [W1, H1, tf.matMul(W1, H1)];
  });
  return { W: W1, H: H1, WH: WH1 ?? null };
}

/** One full iteration: W with the old H, then H with the new W. */
export function nmfIteration(obj: NMFObjective, W: tf.Tensor2D, H: tf.Tensor2D, e: number): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const W1 = updateW(obj, W, H, obj.beta, e);
    const H1 = updateH(obj, W1, H, obj.beta, e);
    return [W1, H1] as [tf.Tensor2D, tf.Tensor2D];
  });
}

// ---------------------------------------------------------------------------------------------
// The Févotte–Idier auxiliary function

/**
 * G_W(H | H̃) summed with the x-only constants, so that G_W(H̃ | H̃) = D_β(V | WH̃) in exact arithmetic.
 * With Ṽ = WH̃, Q = H/H̃ and A(p) = W(H̃ ⊙ Q^p), d_β(x|·) = č + ĉ + const, č convex, ĉ concave:
 *   Jensen on č(y) = a·y^p:  Σ_k (w_k h̃_k/ṽ) č(ṽ q_k) = a·ṽ^{p−1}·A(p)   (a·log y: a·(log ṽ + A_log/ṽ));
 *   tangent on ĉ:  ĉ(ṽ) + ĉ'(ṽ)·([WH] − ṽ).
 * Split (Févotte & Idier 2011, Table 1): β < 1: č = −x·y^{β−1}/(β−1), ĉ = y^β/β (β = 0: x/y, log y);
 * 1 ≤ β ≤ 2: č = y^β/β − x·y^{β−1}/(β−1) (β = 1: y − x log y), ĉ = 0; β > 2: č = y^β/β,
 * ĉ = −x·y^{β−1}/(β−1). Entries with V ≤ EPSILON have x = 0 as in sklearn's loss (β = 0: constant −1).
 * G = +∞ where H̃ = 0 but H ≠ 0 (the bound cannot leave a zero; MU never does). W may be any ≥ 0
 * matrix: G_W(·|H̃) majorizes D_β(V | W·) for every W, so (W, H) ↦ G_W(H|H̃) majorizes f jointly and
 * touches it on the whole slice H = H̃.
 */
export function auxiliaryH(obj: NMFObjective, W: tf.Tensor2D, Ht: tf.Tensor2D, H: tf.Tensor2D): tf.Scalar {
  const beta = obj.beta;
  return tf.tidy(() => {
    const { V, mask } = obj;
    const pos = tf.greater(Ht, 0);
    const blocked = tf.any(tf.logicalAnd(tf.logicalNot(pos), tf.notEqual(H, 0)));
    const Q = tf.where(pos, tf.div(H, tf.where(pos, Ht, tf.onesLike(Ht))), tf.onesLike(Ht));
    const A = (p: number): tf.Tensor => tf.matMul(W, tf.mul(Ht, p === 1 ? Q : tf.pow(Q, p)));
    const Vt = zerosToEps(tf.matMul(W, Ht));
    const Y = tf.matMul(W, H);
    // V-dependent terms only where V > EPSILON (with `where`, as in betaDivergence); β = 2 counts all.
    const counted = tf.cast(mask, 'bool');
    const Vs = tf.where(counted, V, tf.onesLike(V));
    const onCounted = (x: tf.Tensor, other: number): tf.Tensor => tf.where(counted, x, tf.fill(V.shape, other));
    let entries: tf.Tensor;
    if (beta === 1) {
      const Alog = tf.matMul(W, tf.mul(Ht, tf.log(Q)));
      const xlog = tf.sub(tf.sub(tf.mul(Vs, tf.log(Vs)), Vs), tf.mul(Vs, tf.add(tf.log(Vt), tf.div(Alog, Vt))));
      entries = tf.add(Y, onCounted(xlog, 0));
    } else if (beta === 0) {
      const jensen = tf.mul(tf.mul(Vs, tf.pow(Vt, -2)), A(-1));
      const tangent = tf.add(tf.log(Vt), tf.div(tf.sub(Y, Vt), Vt));
      entries = onCounted(tf.add(tf.sub(tf.neg(tf.log(Vs)), 1), tf.add(jensen, tangent)), -1);
    } else {
      const x = beta === 2 ? V : Vs;
      // y^β/β: convex (Jensen) for β > 1, concave (tangent) for β < 1
      const part1 =
        beta > 1
          ? tf.div(tf.mul(tf.pow(Vt, beta - 1), A(beta)), beta)
          : tf.add(tf.div(tf.pow(Vt, beta), beta), tf.mul(tf.pow(Vt, beta - 1), tf.sub(Y, Vt)));
      // −x·y^{β−1}/(β−1): convex (Jensen) for β ≤ 2, concave (tangent) for β > 2
      const part2 =
        beta <= 2
          ? tf.div(tf.mul(tf.mul(x, tf.pow(Vt, beta - 2)), A(beta - 1)), -(beta - 1))
          : tf.neg(tf.mul(x, tf.add(tf.div(tf.pow(Vt, beta - 1), beta - 1), tf.mul(tf.pow(Vt, beta - 2), tf.sub(Y, Vt)))));
      const xpart = tf.add(tf.div(tf.pow(x, beta), beta * (beta - 1)), part2);
      entries = tf.add(part1, beta === 2 ? xpart : onCounted(xpart, 0));
    }
    const g = tf.sum(entries);
    return tf.where(blocked, tf.scalar(Infinity), g) as tf.Scalar;
  });
}

/**
 * The surrogate shown for one NMF iteration from θₖ = (Wₖ, H̃): W is first moved by the algorithm's
 * own W half-step to W⁺ (exponent e, as the step does); then g(W, H) = G_W(H | H̃) + c, with c fixed
 * so that g(W⁺, H̃) = f(W⁺, H̃) to the last bit (c only absorbs float32 rounding and sklearn's
 * EPSILON-for-zero quirks; g(Wₖ, H̃) = f(θₖ) up to that rounding). Path: t ↦ (W⁺, H̃ ⊙ R^t) with R
 * the H-update ratio at (W⁺, H̃): t = 0 is the half-step point, t = γ(β) the MM point (argmin of
 * G_{W⁺}(·|H̃), = θₖ₊₁ for nmf-mm), t = 1 the heuristic point (= θₖ₊₁ for nmf-mu).
 * Along the path f(θ(t)) ≤ g(θ(t)), and g(θ(0)) = f(W⁺, H̃) ≤ f(θₖ) (the W half-step is itself MM
 * when e = γ). Tensors returned by `path` are new: the caller disposes them.
 */
export function nmfSurrogate(obj: NMFObjective, params: Params, e: number, certified: boolean): Surrogate {
  const beta = obj.beta;
  const gamma = mmExponent(beta);
  const [Wp, Ht, R, Hmin] = tf.tidy(() => {
    const W0 = T(params[0]);
    const H0 = T(params[1]);
    const W1 = updateW(obj, W0, H0, beta, e);
    const R1 = ratioH(obj.V, W1, H0, beta);
    const Hg = applyRatio(H0, R1, gamma);
    return [W1, H0.clone(), R1, beta <= 1 ? zeroTiny(Hg) : Hg];
  });
  const f0 = tf.tidy(() => num(betaDivergence(obj.V, obj.mask, Wp, Ht, beta)));
  const g0 = tf.tidy(() => num(auxiliaryH(obj, Wp, Ht, Ht)));
  const offset = f0 - g0;
  const minimiser = [Wp.clone(), Hmin];
  return {
    certified,
    formula:
      'G(H|H̃) = Σ Jensen(č) + tangent(ĉ) at W⁺ (Févotte–Idier); path H̃⊙Rᵗ: t=γ MM point, t=1 heuristic MU',
    minimiser,
    value: (p) => tf.tidy(() => num(auxiliaryH(obj, T(p[0]), Ht, T(p[1])))) + offset,
    path: (t) => tf.tidy(() => [Wp.clone(), T(tf.mul(Ht, tf.pow(R, t)))]),
    // The algorithm's own next iterate on the path: t = e (γ for MM-MU, 1 for the heuristic).
    stepT: e,
    dispose: () => tf.dispose([Wp, Ht, R, ...minimiser]),
  };
}

// ---------------------------------------------------------------------------------------------
// The two algorithms

/**
 * Iterations taken, and (β ≠ 2) the product W·H at the current θ, owned here and found through
 * `obj.products` by f(θ) and the next step (a type alias, so that it is a tf.TensorContainer).
 */
export type NMFState = { t: number; WH?: tf.Tensor2D };

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

export function makeNMFAlgorithm(spec: NMFAlgorithmSpec): Algorithm<NoHyper, NMFState> & { exponent: (beta: number) => number } {
  return {
    exponent: spec.exponent,
    id: spec.id,
    label: spec.label,
    family: spec.family,
    problems: ['nmf'],
    hyper: noHyper,
    summary: spec.summary,
    formula: spec.formula,
    init: () => ({ t: 0 }),
    step(obj, params, state) {
      const o = asNMF(obj);
      const e = spec.exponent(o.beta);
      const { W, H, WH } = nmfStep(o, T(params[0]), T(params[1]), e, o.products.get(params[0], params[1]));
      if (!WH) return { params: [W, H], state: { t: state.t + 1 }, info: { exponent: e } };
      o.products.put(W, H, WH);
      return { params: [W, H], state: { t: state.t + 1, WH }, info: { exponent: e } };
    },
    model(obj, params) {
      const o = asNMF(obj);
      return nmfSurrogate(o, params, spec.exponent(o.beta), spec.certified);
    },
  };
}

