/**
 * The structure of an MLP objective f(θ) = h(c(θ)) + (l2/2)·Σ‖W‖² that the structured MM algorithms
 * exploit: the network map c and its Jacobian products (NetOps, engine/net-ops.ts: Gauss–Newton,
 * Böhning — CNNs offer those too), and the dense layers' inputs (ProxProp, AGD). Offered by `ObjectiveOps.mlp` on every engine
 * (engines/tfjs/mlp-ops.ts, engines/cpu/mlp-ops.ts).
 *
 * Data-space arrays (outputs, tangents, cotangents, activations) are plain row-major Float64Arrays
 * whatever the engine: they are small next to θ's work and the algorithms' linear algebra
 * (core/linalg.ts) runs on them in float64. θ-space vectors are Vecs. Every returned array is the
 * caller's (a fresh copy): engines may cache their forward pass by θ's identity (Vecs are values), never
 * the arrays they hand out.
 *
 * The network: z_l = a_{l−1}W_l + b_l (W_l stored [in, out]), a_l = σ(z_l) for hidden layers, outputs
 * c(θ) = z_L; a_0 = X. θ's layout order (VectorOps.toArray) is [W1 (in×out row-major), b1, W2, b2, …] on
 * every engine, so flat arrays over θ (gradients, JᵀJ, directions) mean the same everywhere.
 */
import type { LastLayer, NetOps } from './net-ops';
import type { Vec } from './vec';

/** The dense network's structure: NetOps (what Gauss–Newton and Böhning need) plus the layers. */
export interface MLPOps extends NetOps {
  /** Layer sizes, input to output, e.g. [2, 8, 8, 1]. */
  readonly sizes: readonly number[];
  readonly activation: 'tanh' | 'relu' | 'sigmoid' | 'linear';
  /** The inputs of each linear layer a_0 = X, a_1, …, a_{L−1} (n×sizes[l] each). */
  layerInputs(theta: Vec): Float64Array[];
  /**
   * Ã_lᵀÃ_l for the input Ã_l = [a_l, 1] of each layer l + 1 (a column of ones appended, so the bias is
   * the last row/column): (sizes[l] + 1)² row-major each, not divided by n. The engine computes them
   * where it is fast (tfjs: a matMul on its backend, float32; cpu: float64 loops).
   */
  inputGrams(theta: Vec): Float64Array[];
}

/** NetOps.layoutKey and NetOps.lastLayer of a dense MLP (its sizes; its last layer W_L, b_L). */
export function mlpNetShape(sizes: readonly number[]): { layoutKey: readonly number[]; lastLayer: LastLayer } {
  const L = sizes.length - 1;
  return { layoutKey: sizes, lastLayer: { inputs: sizes[L - 1], outputs: sizes[L], offset: mlpLayout(sizes).wOff[L - 1] } };
}

/** Offsets of W_l and b_l (l = 0 … L−1) in θ's layout order, and the number of parameters. */
export function mlpLayout(sizes: readonly number[]): { wOff: number[]; bOff: number[]; nParams: number } {
  const wOff: number[] = [];
  const bOff: number[] = [];
  let o = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    wOff.push(o);
    o += sizes[l] * sizes[l + 1];
    bOff.push(o);
    o += sizes[l + 1];
  }
  return { wOff, bOff, nParams: o };
}

/** 1 on the weight entries of θ's layout, 0 on the biases (float64). */
export function weightMaskArray(sizes: readonly number[]): Float64Array {
  const { wOff, bOff, nParams } = mlpLayout(sizes);
  const m = new Float64Array(nParams);
  wOff.forEach((w, l) => m.fill(1, w, bOff[l]));
  return m;
}

/** c_h of the output loss (see MLPOps.curvatureBound). */
export function curvatureBoundOf(loss: NetOps['loss'], outputs: number): number {
  return loss === 'bce' ? 0.25 : loss === 'softmax_ce' ? 0.5 : 2 / outputs;
}

/**
 * MLPOps.dataKey from the inputs: a 52-bit FNV-1a-style hash of the float32 bits of X's rows (d values
 * each) in the given order (rows: indices into X, null: every row), and of n and d.
 */
export function inputsKey(X: ArrayLike<number>, n: number, d: number, rows: ArrayLike<number> | null = null): number {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  // Two 32-bit FNV-1a lanes with different offsets, combined into one safe integer.
  let h1 = 0x811c9dc5 ^ n;
  let h2 = 0x01000193 ^ (d * 2654435761);
  for (let i = 0; i < n; i++) {
    const o = (rows ? rows[i] : i) * d;
    for (let k = 0; k < d; k++) {
      f[0] = X[o + k];
      const x = u[0];
      h1 = Math.imul(h1 ^ x, 0x01000193);
      h2 = Math.imul(h2 ^ ((x >>> 16) | (x << 16)), 0x85ebca6b);
    }
  }
  return (h1 >>> 0) * 2 ** 20 + ((h2 >>> 0) & 0xfffff);
}

/** The objective's MLP structure, or a clear error for other problems (and engines that lack it). */
export function requireMLP(f: { readonly kind: string; readonly mlp?: MLPOps }, who: string): MLPOps {
  if (f.kind !== 'mlp') throw new Error(`${who} applies to MLP problems only (got '${f.kind}')`);
  if (!f.mlp) throw new Error(`${who}: this engine offers no MLP structure (ObjectiveOps.mlp)`);
  return f.mlp;
}
