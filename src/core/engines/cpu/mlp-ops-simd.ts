/**
 * The cpu engine's MLP structure on the float32 WebAssembly SIMD kernels (engines/cpu/mlp-ops.ts uses
 * these when its kernels are 'wasm-simd'): the forward pass, J·v and Jᵀu on an F32Net's memory.
 * Float32 storage and products as f's own pass (fused/mlp-net-wasm.ts) and the tfjs engine; sums over
 * one layer's width or F32_CHUNK rows only, Jᵀu's partial sums added in float64.
 */
import { activate } from '../../fused/mlp-kernels';
import type { NetSpec } from '../../fused/mlp-net';
import { F32_CHUNK, type F32Net } from './mlp-ops-kernels';

/** The network's shape as the kernels need it (θ's layout offsets, widths, activation). */
export interface NetShape {
  readonly sizes: readonly number[];
  /** Number of linear layers. */
  readonly L: number;
  /** Outputs. */
  readonly K: number;
  readonly wOff: readonly number[];
  readonly bOff: readonly number[];
  readonly activation: NetSpec['activation'];
}

/**
 * The forward pass on the SIMD kernels, bit for bit the one fused/mlp-net-wasm.ts evaluates f with
 * (the same float32 gemm — each entry sums its products in the same order whatever the blocking —
 * and the same activation kernels), so that the features an algorithm builds its model from are the
 * ones f sees: Böhning's bound is exact for mse, and a model built on features that differ from f's
 * by float32 rounding mispredicts f(θ⁺) by more than the acceptance slack. Also stores Wᵀ (l ≥ 1) for
 * Jᵀu. The float64 activations (acts) are copied from these on demand (ensureActs64).
 */
export function forward32(s: NetShape, net: F32Net, theta: Float32Array, A0: Float64Array, n: number): void {
  const { sizes, L, wOff, bOff } = s;
  const { k, act, actPtr, thPtr } = net;
  net.th.set(theta);
  for (let l = 1; l < L; l++) {
    const K = sizes[l], N = sizes[l + 1], wo = wOff[l], wt = net.wt[l];
    for (let a = 0; a < K; a++) for (let b = 0; b < N; b++) wt[b * K + a] = theta[wo + a * N + b];
  }
  act[0].set(A0.subarray(0, n * sizes[0]));
  for (let l = 0; l < L; l++) {
    const K = sizes[l], N = sizes[l + 1];
    k.gemm(actPtr[l], K * 4, 4, thPtr + wOff[l] * 4, thPtr + bOff[l] * 4, actPtr[l + 1], n, K, N, 0);
    if (l < L - 1) {
      if (s.activation === 'tanh') k.tanh(actPtr[l + 1], n * N);
      else if (s.activation === 'relu') k.relu(actPtr[l + 1], n * N);
      else activate(act[l + 1], n * N, s.activation);
    }
  }
}

/** In place: D ← D ⊙ σ′(A) on the SIMD net (A: the activations at byte `aPtr`). */
function dact32(activation: NetShape['activation'], net: F32Net, dPtr: number, aPtr: number, len: number): void {
  const k = net.k;
  if (activation === 'tanh') k.dtanh(dPtr, aPtr, len);
  else if (activation === 'relu') k.drelu(dPtr, aPtr, len);
  else if (activation === 'sigmoid') k.dsigmoid(dPtr, aPtr, len);
}

/** J·v on the SIMD net, float32 (sums over one layer's width only). */
export function jvp32(s: NetShape, net: F32Net, n: number, v: Float32Array): Float64Array {
  const { sizes, L, wOff, bOff } = s;
  const { k, actPtr, vPtr, thPtr, zeroPtr } = net;
  net.v.set(v);
  let Z = 0;
  k.gemm(actPtr[0], sizes[0] * 4, 4, vPtr + wOff[0] * 4, vPtr + bOff[0] * 4, net.bufPtr[Z], n, sizes[0], sizes[1], 0);
  for (let l = 1; l < L; l++) {
    const K = sizes[l], N = sizes[l + 1];
    const z = net.bufPtr[Z], next = net.bufPtr[1 - Z];
    dact32(s.activation, net, z, actPtr[l], n * K); // ȧ_l = σ′(a_l) ⊙ ż_l
    k.gemm(actPtr[l], K * 4, 4, vPtr + wOff[l] * 4, vPtr + bOff[l] * 4, next, n, K, N, 0);
    k.gemm(z, K * 4, 4, thPtr + wOff[l] * 4, zeroPtr, next, n, K, N, 1);
    Z = 1 - Z;
  }
  const len = n * s.K;
  const src = net.buf[Z];
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) out[i] = src[i];
  return out;
}

/**
 * Jᵀu on the SIMD net: float32 products; the weight and bias gradients summed in float32 over
 * F32_CHUNK rows at a time, those partial sums in float64 (as fused/mlp-net-wasm.ts's gradient).
 */
export function vjp32(s: NetShape, net: F32Net, n: number, u: Float64Array, g64: Float64Array): Float64Array {
  const { sizes, L, wOff, bOff } = s;
  const { k, actPtr, gPtr, zeroPtr, onesPtr } = net;
  g64.fill(0);
  const g = net.g;
  let D = 0;
  const len = n * s.K;
  const d0 = net.buf[0];
  for (let i = 0; i < len; i++) d0[i] = u[i];
  for (let l = L - 1; l >= 0; l--) {
    const K = sizes[l], N = sizes[l + 1];
    const dp = net.bufPtr[D];
    for (let start = 0; start < n; start += F32_CHUNK) {
      const r = Math.min(F32_CHUNK, n - start);
      const dr = dp + start * N * 4;
      const ar = actPtr[l] + start * K * 4;
      // ∇W_l (these rows) = A_lᵀ·Δ; with one output as Δᵀ·A_l (vectorised along K)
      if (N === 1) k.gemm(dr, 0, 4, ar, zeroPtr, gPtr + wOff[l] * 4, 1, r, K, 0);
      else k.gemm(ar, 4, K * 4, dr, zeroPtr, gPtr + wOff[l] * 4, K, r, N, 0);
      k.gemm(onesPtr, 0, 4, dr, zeroPtr, gPtr + bOff[l] * 4, 1, r, N, 0);
      for (let p = wOff[l], e = bOff[l] + N; p < e; p++) g64[p] += g[p];
    }
    if (l === 0) break;
    // Δ_{l−1} = (Δ_l W_lᵀ) ⊙ σ′(a_{l−1})
    const prev = net.bufPtr[1 - D];
    k.gemm(dp, N * 4, 4, net.wtPtr[l], zeroPtr, prev, n, N, K, 0);
    dact32(s.activation, net, prev, actPtr[l], n * K);
    D = 1 - D;
  }
  return g64;
}
