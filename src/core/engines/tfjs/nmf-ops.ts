/**
 * The tfjs engine's NMF operations (engine/nmf-ops.ts) over a core NMF objective (problems/nmf.ts): the
 * multiplicative-update pieces on tfjs tensors, so they run on every tfjs backend. On the cpu and wasm
 * backends the per-entry parts run as fused kernels (problems/nmf-kernels.ts), elsewhere as tfjs ops.
 *
 * One iteration reproduces scikit-learn 1.2's `_fit_multiplicative_update` loop body with l1 = l2 = 0
 * (`_multiplicative_update_w`, then `_multiplicative_update_h`), only in float32:
 *   W ← W ⊙ [((WH)^{β−2} ⊙ V)Hᵀ / (WH)^{β−1}Hᵀ]^e;  β < 1: W entries < float64 eps → 0;
 *   H ← H ⊙ [Wᵀ((WH)^{β−2} ⊙ V) / Wᵀ(WH)^{β−1}]^e  (with the new W);  β ≤ 1: H entries < eps → 0;
 * with sklearn's guards (see engine/nmf-ops.ts). `carry` is W·H at the new θ: the algorithm's state
 * owns it, and f(θ) (problems/nmf.ts's loss) and the next W half-step find it through `obj.products`.
 */
import * as tf from '@tensorflow/tfjs';
import type { NMFOps } from '../../engine/nmf-ops';
import { EPS64, zerosToEps, type NMFObjective } from '../../problems/nmf';
import { nmfApplyUpdate, nmfWeights } from '../../problems/nmf-kernels';
import { tensorsOf, tfjsVec } from './vector-ops';

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

/**
 * The H-update ratio R_H = numerator / (denominator + l1) (before the exponent), sklearn's conventions
 * (l1 added after β = 1's zeros → 1 and before zeros → EPSILON, as `_multiplicative_update_h`).
 */
export function ratioH(V: tf.Tensor2D, W: tf.Tensor2D, H: tf.Tensor2D, beta: number, l1 = 0): tf.Tensor2D {
  return tf.tidy(() => {
    const WT = tf.transpose(W);
    const plus = (d: tf.Tensor): tf.Tensor => (l1 === 0 ? d : tf.add(d, l1));
    if (beta === 2) {
      const numer = tf.matMul(WT, V);
      const den = tf.matMul(tf.matMul(WT, W), H);
      return T(tf.div(numer, epsForZero(plus(den))));
    }
    const { num: q, den } = weightedWH(V, W, H, beta);
    const numer = tf.matMul(WT, q);
    let denom: tf.Tensor;
    if (den) denom = tf.matMul(WT, den);
    else {
      const wsum = tf.sum(W, 0);
      denom = tf.reshape(tf.where(tf.equal(wsum, 0), tf.onesLike(wsum), wsum), [-1, 1]);
    }
    return T(tf.div(numer, epsForZero(plus(denom))));
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
 * W's half-step: W ⊙ R_W^e, then (tiny) entries < float64 eps → 0. `WH` = W·H when the caller has it.
 * The ratio's numerator and denominator come from one matmul, [Q; D]·Hᵀ, read in place by the update.
 */
export function updateW(obj: NMFObjective, W: tf.Tensor2D, H: tf.Tensor2D, beta: number, e: number, WH: tf.Tensor2D | null, tiny: boolean): tf.Tensor2D {
  return tf.tidy(() => {
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
 * H's half-step with the given (new) W: H ⊙ R_H^e, then (tiny) entries < float64 eps → 0. Works on the
 * transposes, (WH)ᵀ = HᵀWᵀ against Vᵀ, so that Wᵀ[Q D] is one plain matmul [Qᵀ; Dᵀ]·W.
 */
export function updateH(obj: NMFObjective, W: tf.Tensor2D, H: tf.Tensor2D, beta: number, e: number, tiny: boolean): tf.Tensor2D {
  return tf.tidy(() => {
    if (obj.penalty.l1 !== 0) {
      // penalized: R_H with l1 in the denominator, then H ⊙ (R_H / 1)^e (÷1 is exact)
      const R = ratioH(obj.V, W, H, beta, obj.penalty.l1);
      return nmfApplyUpdate(H, { t: R }, { t: tf.onesLike(R) }, e, tiny);
    }
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
    // the penalty's majorizer l1·Σ H̃ ⊙ φ(H/H̃) (engine/nmf-ops.ts NMFPenalty), 0 where H̃ = 0
    const l1 = obj.penalty.l1;
    const bound = l1 === 0 ? tf.scalar(0) : tf.mul(tf.sum(beta <= 1 ? tf.mul(Ht, Q) : tf.where(pos, tf.mul(Ht, tf.add(1, tf.div(tf.sub(tf.pow(Q, beta), 1), beta))), tf.zerosLike(Ht))), l1);
    const g = tf.add(tf.sum(entries), bound);
    return tf.where(blocked, tf.scalar(Infinity), g) as tf.Scalar;
  });
}

/** The NMF operations of the tfjs engine for `obj`. */
export function tfjsNMFOps(obj: NMFObjective): NMFOps {
  const beta = obj.beta;
  const [rows, cols] = obj.V.shape;
  return {
    beta,
    rows,
    cols,
    rank: obj.rank,
    update(theta, halves) {
      let [W, H] = tensorsOf(theta) as tf.Tensor2D[];
      for (const h of halves) {
        if (h.block === 0) W = updateW(obj, W, H, beta, h.exponent, obj.products.get(W, H), h.zeroTiny);
        else H = updateH(obj, W, H, beta, h.exponent, h.zeroTiny);
      }
      return tfjsVec([W, H]);
    },
    ratio(theta, block) {
      const [W, H] = tensorsOf(theta) as tf.Tensor2D[];
      return tfjsVec([block === 0 ? ratioW(obj.V, W, H, beta) : ratioH(obj.V, W, H, beta, obj.penalty.l1)]);
    },
    scaleByRatio(X, R, t, tiny) {
      return tfjsVec([
        tf.tidy(() => {
          const Y = applyRatio(T(tensorsOf(X)[0]), T(tensorsOf(R)[0]), t);
          return tiny ? zeroTiny(Y) : Y;
        }),
      ]);
    },
    auxiliary(theta, Ht) {
      const [W, H] = tensorsOf(theta) as tf.Tensor2D[];
      return tf.tidy(() => auxiliaryH(obj, W, T(tensorsOf(Ht)[0]), H).dataSync()[0]);
    },
    penalty: obj.penalty,
    normalizeW(theta) {
      const [W, H] = tensorsOf(theta) as tf.Tensor2D[];
      if (obj.penalty.normalizeW === 'none') return tfjsVec([tf.clone(W), tf.clone(H)]);
      return tfjsVec(normalizeWTensors(W, H, obj.penalty.normalizeW));
    },
    jointRatio(ref, theta, block) {
      const [Wt, Ht] = tensorsOf(ref) as tf.Tensor2D[];
      const [W, H] = tensorsOf(theta) as tf.Tensor2D[];
      return tfjsVec([jointRatioTensors(obj, Wt, Ht, W, H, block)]);
    },
    carry(theta) {
      if (beta === 2) return null; // the β = 2 updates need no W·H
      const [W, H] = tensorsOf(theta) as tf.Tensor2D[];
      const WH = T(tf.matMul(W, H));
      obj.products.put(W, H, WH);
      return tfjsVec([WH]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Penalized NMF's normalisation and joint MM (engine/nmf-ops.ts; cpu: engines/cpu/nmf-joint.ts)

/** W's columns to unit ℓ1/ℓ2 norm, H's rows times the old norms (zero columns kept). */
function normalizeWTensors(W: tf.Tensor2D, H: tf.Tensor2D, norm: 'l1' | 'l2'): tf.Tensor2D[] {
  return tf.tidy(() => {
    const s = norm === 'l1' ? tf.sum(tf.abs(W), 0) : tf.sqrt(tf.sum(tf.square(W), 0));
    const c = tf.where(tf.greater(s, 0), s, tf.onesLike(s));
    return [T(tf.div(W, tf.reshape(c, [1, -1]))), T(tf.mul(H, tf.reshape(c, [-1, 1])))];
  });
}

/** χ₁ (p = β − 1; identity for β > 2) or χ₂ (p = β; identity for β < 1) of X relative to X̃, 0 where X̃ = 0. */
function chi(X: tf.Tensor2D, Xt: tf.Tensor2D, beta: number, which: 1 | 2): tf.Tensor2D {
  const p = which === 1 ? beta - 1 : beta;
  if (which === 1 ? beta > 2 : beta < 1) return X;
  if (p === 1) return X;
  const pos = tf.greater(Xt, 0);
  if (p === 0) return T(tf.where(pos, Xt, tf.zerosLike(Xt)));
  const safe = tf.where(pos, Xt, tf.onesLike(Xt));
  return T(tf.where(pos, tf.mul(Xt, tf.pow(tf.div(X, safe), p)), tf.zerosLike(Xt)));
}

/**
 * The joint auxiliary function's ratio for block b (NMFOps.jointRatio; Marmin, Goulart & Févotte 2023):
 * P̃ = V ⊙ Ṽ^{β−2}, Q̃ = Ṽ^{β−1} at Ṽ = W̃H̃ (sklearn's guards; β = 2: V and Ṽ; β = 1: V/Ṽ and 1),
 * recomputed per call (the cpu engine caches them by the reference).
 */
function jointRatioTensors(obj: NMFObjective, Wt: tf.Tensor2D, Ht: tf.Tensor2D, W: tf.Tensor2D, H: tf.Tensor2D, block: 0 | 1): tf.Tensor2D {
  const beta = obj.beta;
  return tf.tidy(() => {
    const m = obj.V.shape[0];
    const Vt = T(tf.matMul(Wt, Ht));
    let P: tf.Tensor2D;
    let Q: tf.Tensor2D | null;
    if (beta === 2) [P, Q] = [obj.V, Vt];
    else if (beta === 1) [P, Q] = [nmfWeights(Vt, obj.V, 1), null];
    else {
      const QD = nmfWeights(Vt, obj.V, beta);
      [P, Q] = [T(tf.slice(QD, [0, 0], [m, -1])), T(tf.slice(QD, [m, 0], [m, -1]))];
    }
    if (block === 0) {
      const c1 = T(tf.transpose(chi(H, Ht, beta, 1)));
      const c2 = chi(H, Ht, beta, 2);
      const numer = tf.matMul(P, c1);
      const denom = Q ? tf.matMul(Q, T(tf.transpose(c2))) : tf.reshape(tf.sum(c2, 1), [1, -1]);
      return T(tf.div(numer, epsForZero(denom)));
    }
    const c1 = T(tf.transpose(chi(W, Wt, beta, 1)));
    const c2 = chi(W, Wt, beta, 2);
    const numer = tf.matMul(c1, P);
    let denom: tf.Tensor;
    if (Q) denom = tf.matMul(T(tf.transpose(c2)), Q);
    else {
      const s = tf.sum(c2, 0);
      denom = tf.reshape(tf.where(tf.equal(s, 0), tf.onesLike(s), s), [-1, 1]);
    }
    if (obj.penalty.l1 !== 0) denom = tf.add(denom, obj.penalty.l1);
    return T(tf.div(numer, epsForZero(denom)));
  });
}
