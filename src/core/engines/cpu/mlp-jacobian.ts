/**
 * JᵀJ of an MLP on the cpu engine (engines/cpu/mlp-ops.ts's jacobianGram): per output k, the
 * per-example Jacobian rows [a_0 ⊗ δ_1, δ_1, a_1 ⊗ δ_2, δ_2, …] (δ_L = e_k, back-propagated through the
 * stored float64 activations) built for a chunk of rows at a time and accumulated into the lower
 * triangle of JᵀJ — by a 4×4 register-blocked float64 kernel (syrkLower) or the WebAssembly f64x2
 * kernel (syrk64) — then mirrored.
 */
import { gemmNT } from '../../fused/mlp-kernels';
import { SIMD_CHUNK, syrkLower, type GramKernel } from './mlp-ops-kernels';
import type { NetShape } from './mlp-ops-simd';

/** Rows of per-example Jacobian rows built before they are folded into JᵀJ (bounds memory to CHUNK·P). */
export const CHUNK = 32;

/** The forward pass's float64 activations, θ in float64, and scratch (CHUNK rows of J, two δ buffers). */
export interface GramInputs {
  readonly acts: Float64Array[];
  readonly theta64: Float64Array;
  readonly jchunk: Float64Array;
  readonly dchunkA: Float64Array;
  readonly dchunkB: Float64Array;
}

/**
 * Writes the per-example Jacobian rows of output k for rows [start, start + r) into J (r×P,
 * row-major with row stride ld ≥ P): ∂z_k/∂W_l[p, j] = a_l[p]·δ_l[j] at wOff + p·out + j and ∂z_k/∂b_l[j] = δ_l[j],
 * δ_L = e_k, δ_{l−1} = (δ_l W_lᵀ) ⊙ σ′(a_{l−1}).
 */
function jacobianRows(s: NetShape, w: GramInputs, k: number, start: number, r: number, J: Float64Array, ld: number): void {
  const { sizes, L, K, wOff, bOff } = s;
  const { acts } = w;
  let D = w.dchunkA;
  let prev = w.dchunkB;
  D.fill(0, 0, r * K);
  for (let i = 0; i < r; i++) D[i * K + k] = 1;
  for (let l = L - 1; l >= 0; l--) {
    const din = sizes[l];
    const out = sizes[l + 1];
    const A = acts[l];
    const wo = wOff[l];
    const bo = bOff[l];
    if (out === 1) {
      for (let i = 0, row = 0, a = start * din; i < r; i++, row += ld, a += din) {
        const d = D[i];
        const o = row + wo;
        for (let p = 0; p < din; p++) J[o + p] = A[a + p] * d;
        J[row + bo] = d;
      }
    } else {
      for (let i = 0, row = 0, a = start * din, dr = 0; i < r; i++, row += ld, a += din, dr += out) {
        let o = row + wo;
        for (let p = 0; p < din; p++, o += out) {
          const ap = A[a + p];
          for (let j = 0; j < out; j++) J[o + j] = ap * D[dr + j];
        }
        const ob = row + bo;
        for (let j = 0; j < out; j++) J[ob + j] = D[dr + j];
      }
    }
    if (l === 0) break;
    // δ_{l−1} = (δ_l W_lᵀ) ⊙ σ′(a_{l−1}), σ′ from the stored activations of this chunk's rows
    gemmNT(D, w.theta64, wo, prev, r, out, din);
    const len = r * din;
    const a0 = start * din;
    switch (s.activation) {
      case 'tanh':
        for (let t = 0; t < len; t++) {
          const v = A[a0 + t];
          prev[t] *= 1 - v * v;
        }
        break;
      case 'sigmoid':
        for (let t = 0; t < len; t++) {
          const v = A[a0 + t];
          prev[t] *= v * (1 - v);
        }
        break;
      case 'relu':
        for (let t = 0; t < len; t++) if (!(A[a0 + t] > 0)) prev[t] = 0;
        break;
      case 'linear':
        break;
    }
    const tmp = D;
    D = prev;
    prev = tmp;
  }
}

/** G += Σ_k J_kᵀJ_k (lower triangle), float64 loops (syrkLower) over chunks of CHUNK rows. */
export function gramJs(s: NetShape, w: GramInputs, P: number, n: number, G: Float64Array): void {
  for (let k = 0; k < s.K; k++)
    for (let start = 0; start < n; start += CHUNK) {
      const r = Math.min(CHUNK, n - start);
      jacobianRows(s, w, k, start, r, w.jchunk, P);
      syrkLower(w.jchunk, r, P, G, P);
    }
}

/**
 * G = Σ_k J_kᵀJ_k (whole, symmetric) with the WebAssembly f64x2 kernel syrk64 (fused/kernels/gram.ts):
 * the same float64 products and sums as syrkLower, two at a time and without bounds checks. The
 * rows are padded to a multiple of 4 columns with zeros (never written, so they stay zero).
 */
export function gramSimd(shape: NetShape, w: GramInputs, P: number, n: number, G: Float64Array, s: GramKernel): void {
  const { ld, J, G: Gw } = s;
  Gw.fill(0);
  for (let k = 0; k < shape.K; k++)
    for (let start = 0; start < n; start += SIMD_CHUNK) {
      const r = Math.min(SIMD_CHUNK, n - start);
      jacobianRows(shape, w, k, start, r, J, ld);
      s.syrk64(s.jPtr, r, ld, s.gPtr);
    }
  // G (P×P) ← the lower triangle of Gw (leading dimension ld), mirrored: every entry written.
  for (let p = 0; p < P; p++) {
    const o = p * P;
    const w = p * ld;
    for (let q = 0; q < p; q++) {
      const x = Gw[w + q];
      G[o + q] = x;
      G[q * P + p] = x;
    }
    G[o + p] = Gw[w + p];
  }
}
