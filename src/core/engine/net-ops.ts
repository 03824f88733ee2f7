/**
 * What Gauss–Newton MM and Böhning MM need of a network objective f(θ) = h(c(θ)) + (l2/2)·Σ‖weights‖²,
 * whatever its layers (dense MLP, CNN): the network map c (outputs on this objective's data), its
 * Jacobian products, and the last dense layer (Böhning's block). Offered by `ObjectiveOps.net` on CNN
 * objectives and, as part of `MLPOps` (engine/mlp-ops.ts, which extends it), by `ObjectiveOps.mlp` on
 * dense ones — `requireNet` finds either.
 *
 * Conventions as MLPOps: data-space arrays (outputs, tangents, cotangents, features) are row-major
 * Float64Arrays, θ-space vectors are Vecs, flat θ arrays are in θ's layout order (VectorOps.toArray),
 * and every returned array is the caller's.
 */
import type { Vec } from './vec';

export type NetLoss = 'bce' | 'softmax_ce' | 'mse';

/** The last dense layer z_L = a·W_L + b_L: its fan-in d, its outputs K, where W_L starts in θ. */
export interface LastLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** Offset of W_L (d×K row-major, then b_L) in θ's layout order: the objective's last block. */
  readonly offset: number;
}

export interface NetOps {
  readonly loss: NetLoss;
  /** The ridge weight of f's penalty (0 on an objective without penalty). */
  readonly l2: number;
  /** Number of examples n of this objective's data. */
  readonly n: number;
  /** c_h: h″ ≤ c_h/n per output coordinate (bce ¼, softmax_ce ½, mse 2/K). */
  readonly curvatureBound: number;
  /** A fingerprint of this objective's inputs (MLPOps.dataKey: equal on equal rows, on every engine). */
  readonly dataKey: number;
  /** Numbers that identify the architecture (an MLP: its sizes; a CNN: its blocks, then its dense sizes). */
  readonly layoutKey: readonly number[];
  readonly lastLayer: LastLayer;
  /** Targets Y, n×K (one-hot for softmax_ce; the target repeated over the outputs for mse). */
  targets(): Float64Array;
  /** c(θ): the outputs, n×K. */
  outputs(theta: Vec): Float64Array;
  /** The last dense layer's inputs a_{L−1} (n×lastLayer.inputs): Böhning's features. */
  lastLayerInputs(theta: Vec): Float64Array;
  /** J·v: the outputs' directional derivative along v, n×K. */
  jvp(theta: Vec, v: Vec): Float64Array;
  /** Jᵀu for u shaped like the outputs (n×K). */
  vjp(theta: Vec, u: Float64Array): Vec;
  /** JᵀJ, P×P row-major in θ's layout order (float64); written into `out` when given (see MLPOps). */
  jacobianGram(theta: Vec, out?: Float64Array): Float64Array;
  /** 1 on weight entries (kernels included), 0 on biases (the ridge penalty's diagonal), as a Vec. */
  weightMask(like: Vec): Vec;
}

/** The objective's network structure (a CNN's `net` or a dense MLP's `mlp`), or a clear error. */
export function requireNet(f: { readonly kind: string; readonly net?: NetOps; readonly mlp?: NetOps }, who: string): NetOps {
  if (f.kind !== 'mlp') throw new Error(`${who} applies to network (MLP / CNN) problems only (got '${f.kind}')`);
  const net = f.net ?? f.mlp;
  if (!net) throw new Error(`${who}: this engine offers no network structure (ObjectiveOps.net / mlp)`);
  return net;
}
