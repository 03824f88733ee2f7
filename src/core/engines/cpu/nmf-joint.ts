/**
 * The cpu engine's pieces for penalized and joint-MM β-NMF (engine/nmf-ops.ts: `jointRatio`,
 * `normalizeW`, the penalty's majorizer), as plain float64 loops over float32 arrays: O(m·n·K) per
 * call, a few times slower than the workspace's SIMD passes and fine for the lab's sizes.
 *
 * Joint MM (Marmin, Goulart & Févotte, Signal Processing 2023): Jensen's inequality on the convex part
 * of d_β(v|·) over the K terms w̃_k h̃_k a_k b_k (a = w/w̃, b = h/h̃), with weights w̃_k h̃_k / ṽ, and the
 * tangent of the concave part at ṽ, give one auxiliary function of (W, H) built at (W̃, H̃):
 *   G = Σ [ Q̃ ⊙ (χ₂(W) χ₂(H)) ] / β − Σ [ P̃ ⊙ (χ₁(W) χ₁(H)) ] / (β − 1) + const   (1 < β < 2; the other
 * ranges replace a power by its tangent, i.e. χ by the identity — the split of Févotte & Idier's Table 1),
 * with P̃ = V ⊙ Ṽ^{β−2}, Q̃ = Ṽ^{β−1}. It is separable in each block for the other fixed, so each block's
 * minimiser is X̃ ⊙ (N/D)^{γ(β)} with N, D the products below.
 */
import { EPSILON, weightsLoop } from '../../problems/nmf-loops';

export interface JointCache {
  ref: Float32Array | null;
  /** P̃ then (β ≠ 1) Q̃, m×n each, at the reference's Ṽ = W̃H̃. */
  PQ: Float32Array;
}

/** χ₁ (p = β − 1, identity for β > 2) or χ₂ (p = β, identity for β < 1) of X relative to X̃. */
export function chi(X: Float32Array, Xt: Float32Array, beta: number, which: 1 | 2): Float64Array {
  const out = new Float64Array(X.length);
  const identity = which === 1 ? beta > 2 : beta < 1;
  const p = which === 1 ? beta - 1 : beta;
  for (let i = 0; i < X.length; i++) {
    const xt = Xt[i];
    if (identity) out[i] = X[i];
    else if (!(xt > 0)) out[i] = 0;
    else out[i] = p === 1 ? X[i] : p === 0 ? xt : xt * Math.pow(X[i] / xt, p);
  }
  return out;
}

/** P̃ and Q̃ at Ṽ = W̃H̃ (float64 sums rounded to float32, then sklearn's weights). */
function referencePQ(V: Float32Array, Wt: Float32Array, Ht: Float32Array, m: number, n: number, K: number, beta: number): Float32Array {
  const Vt = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += Wt[i * K + k] * Ht[k * n + j];
      Vt[i * n + j] = s;
    }
  const PQ = new Float32Array(2 * m * n);
  weightsLoop(PQ, Vt, V, beta);
  return PQ;
}

/**
 * The joint auxiliary function's ratio for block b at θ = (W, H) around ref = (W̃, H̃) (NMFOps.jointRatio),
 * row-major, shaped like block b. `cache` keeps P̃, Q̃ of the last reference (by identity).
 */
export function jointRatioCpu(
  V: Float32Array, ref: Float32Array, theta: Float32Array, m: number, n: number, K: number, beta: number, block: 0 | 1, l1: number, cache: JointCache,
): Float32Array {
  const mK = m * K;
  const Wt = ref.subarray(0, mK);
  const Ht = ref.subarray(mK);
  if (cache.ref !== ref) {
    cache.PQ = referencePQ(V, Wt, Ht, m, n, K, beta);
    cache.ref = ref;
  }
  const P = cache.PQ;
  const qOff = m * n;
  const kl = beta === 1; // Q̃ = 1
  const [X, Xt] = block === 0 ? [theta.subarray(mK), Ht] : [theta.subarray(0, mK), Wt];
  const c1 = chi(X, Xt, beta, 1);
  const c2 = chi(X, Xt, beta, 2);
  const rows = block === 0 ? m : K;
  const cols = block === 0 ? K : n;
  const out = new Float32Array(rows * cols);
  const N = new Float64Array(rows * cols);
  const D = new Float64Array(rows * cols);
  if (block === 0) {
    // N_W = P̃ χ₁(H)ᵀ, D_W = Q̃ χ₂(H)ᵀ (χ(H) is K×n)
    for (let i = 0; i < m; i++)
      for (let k = 0; k < K; k++) {
        let sn = 0;
        let sd = 0;
        for (let j = 0; j < n; j++) {
          sn += P[i * n + j] * c1[k * n + j];
          sd += (kl ? 1 : P[qOff + i * n + j]) * c2[k * n + j];
        }
        N[i * K + k] = sn;
        D[i * K + k] = sd;
      }
  } else {
    // N_H = χ₁(W)ᵀ P̃, D_H = χ₂(W)ᵀ Q̃ (χ(W) is m×K); β = 1: column sums of χ₂(W), zeros → 1
    for (let i = 0; i < m; i++)
      for (let k = 0; k < K; k++) {
        const a = c1[i * K + k];
        const b = c2[i * K + k];
        for (let j = 0; j < n; j++) {
          N[k * n + j] += a * P[i * n + j];
          D[k * n + j] += b * (kl ? 1 : P[qOff + i * n + j]);
        }
      }
  }
  for (let i = 0; i < out.length; i++) {
    let d = Math.fround(D[i]);
    if (block === 1 && kl && d === 0) d = 1;
    if (block === 1 && l1 !== 0) d = Math.fround(d + l1);
    out[i] = Math.fround(N[i]) / (d === 0 ? EPSILON : d);
  }
  return out;
}

/** θ with W's columns at unit ℓ1 or ℓ2 norm and H's rows scaled by the old norms (zero columns kept). */
export function normalizeWCpu(theta: Float32Array, m: number, n: number, K: number, norm: 'l1' | 'l2'): Float32Array {
  const out = theta.slice();
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += norm === 'l1' ? Math.abs(theta[i * K + k]) : theta[i * K + k] ** 2;
    const c = Math.fround(norm === 'l1' ? s : Math.sqrt(s));
    if (!(c > 0) || !Number.isFinite(c)) continue;
    for (let i = 0; i < m; i++) out[i * K + k] = theta[i * K + k] / c;
    for (let j = 0; j < n; j++) out[m * K + k * n + j] = theta[m * K + k * n + j] * c;
  }
  return out;
}

/** l1·Σ H̃ ⊙ φ(H/H̃), φ(x) = x (β ≤ 1) or 1 + (x^β − 1)/β (β > 1): the penalty's majorizer (NMFPenalty). */
export function penaltyBound(Ht: Float32Array, H: Float32Array, beta: number, l1: number): number {
  if (l1 === 0) return 0;
  let s = 0;
  for (let i = 0; i < H.length; i++) {
    const ht = Ht[i];
    if (!(ht > 0)) continue;
    s += beta <= 1 ? H[i] : ht * (1 + (Math.pow(H[i] / ht, beta) - 1) / beta);
  }
  return l1 * s;
}
