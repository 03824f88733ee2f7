/**
 * The cpu engine's objective operations for an MLP: f and ∇f by the net's chunked forward/backward
 * pass (core/fused/mlp-net.ts: JS loops, or the WebAssembly SIMD kernels), on the whole data set or on
 * the rows of a mini-batch (flat-objective.ts: blocks, the cache by θ's identity). Blocks are the
 * layers; block l = (W_l, b_l) is one contiguous range of θ.
 */
import type { ObjectiveOps } from '../../engine/types';
import { paramLayout, type FusedData, type FusedNet } from '../../fused/mlp-net';
import { FlatObjective } from './flat-objective';
import { CpuMLPOps } from './mlp-ops';

export class CpuMLPObjective extends FlatObjective<FusedNet> implements ObjectiveOps {
  /** The network's structure on this objective's rows (Gauss–Newton, Böhning, ProxProp). */
  readonly mlp: CpuMLPOps;

  constructor(
    net: FusedNet,
    data: FusedData,
    /** The mini-batch's rows (null: every row). */
    rows: Int32Array | null = null,
    withPenalty = true,
    /** Report f in float64 (the views near convergence); the fold's objectives round it to float32. */
    float64 = false,
  ) {
    const { wOff, bOff } = paramLayout(net.spec.sizes);
    super(net, data, wOff.map((w, l) => [w, bOff[l] + net.spec.sizes[l + 1]] as const), rows, withPenalty, float64);
    this.mlp = new CpuMLPOps(net.spec, data, () => this.rows, withPenalty, net.kernels);
  }
}
