/**
 * The structure of an MLP objective f(θ) = h(c(θ)) + (l2/2)·Σ‖W‖² that the structured MM algorithms
 * exploit (Gauss–Newton, Böhning, ProxProp): the network map c (outputs on this objective's data), its
 * Jacobian products, the layers' inputs. Offered by `ObjectiveOps.mlp` on every engine.
 *
 * Data-space arrays (outputs, tangents, cotangents, activations) are plain row-major Float64Arrays
 * whatever the engine: they are small next to θ's work and the algorithms' linear algebra
 * (core/linalg.ts) runs on them in float64. θ-space vectors are Vecs.
 */
import type { Vec } from './vec';

export interface MLPOps {
  /** Layer sizes, input to output, e.g. [2, 8, 8, 1]. */
  readonly sizes: readonly number[];
  readonly activation: 'tanh' | 'relu' | 'sigmoid' | 'linear';
  readonly loss: 'bce' | 'softmax_ce' | 'mse';
  readonly l2: number;
  /** Number of examples n of this objective's data. */
  readonly n: number;
  /** c_h: h″ ≤ c_h/n per output coordinate (bce ¼, softmax_ce ½, mse 2/K). */
  readonly curvatureBound: number;
  /** An identity for the data set (equal for objectives on the same rows), to cache factorisations. */
  readonly dataKey: unknown;
  /** Targets Y, n×K (one-hot for softmax_ce). */
  targets(): Float64Array;
  /** c(θ): the outputs z_L, n×K. */
  outputs(theta: Vec): Float64Array;
  /** The inputs of each linear layer a_0 = X, a_1, …, a_{L−1} (n×sizes[l] each). */
  layerInputs(theta: Vec): Float64Array[];
  /** J·v: the outputs' directional derivative along v, n×K. */
  jvp(theta: Vec, v: Vec): Float64Array;
  /** Jᵀu for u shaped like the outputs (n×K). */
  vjp(theta: Vec, u: Float64Array): Vec;
  /** JᵀJ, P×P row-major in θ's layout order (float64). */
  jacobianGram(theta: Vec): Float64Array;
  /** 1 on weight entries, 0 on biases (the ridge penalty's diagonal), as a Vec. */
  weightMask(like: Vec): Vec;
}
