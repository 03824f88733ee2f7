/**
 * The cpu engine's objective operations for a CNN (cnn-net.ts): f and ∇f on the whole data set or a
 * mini-batch's rows (flat-objective.ts: blocks, the cache by θ's identity); blocks are the layers —
 * each convolution's (K_b, c_b), then each dense (W_l, b_l) — contiguous ranges of θ. Its `net`
 * structure (cnn-ops.ts: J·v, Jᵀu, the last layer's inputs) serves Gauss–Newton and Böhning MM; the
 * dense-only algorithms (MLPOps: proxprop, agd) are refused for a CNN by the config (problems/cnn-config.ts).
 */
import type { ObjectiveOps, Vec } from '../../engine/types';
import type { FusedData } from '../../fused/mlp-net';
import { cnnLayout } from '../../problems/cnn-spec';
import type { CNNEvaluator } from './cnn-net';
import { CpuCNNOps } from './cnn-ops';
import { FlatObjective } from './flat-objective';
import { cpuArray } from './vector-ops';

export class CpuCNNObjective extends FlatObjective<CNNEvaluator> implements ObjectiveOps {
  /** The network's structure on this objective's rows (Gauss–Newton, Böhning). */
  readonly net: CpuCNNOps;
  private readonly logits64: Float64Array;

  constructor(
    evaluator: CNNEvaluator,
    data: FusedData,
    /** The mini-batch's rows (null: every row). */
    rows: Int32Array | null = null,
    withPenalty = true,
    /** Report f in float64 (the views near convergence); the fold's objectives round it to float32. */
    float64 = false,
  ) {
    super(evaluator, data, cnnLayout(evaluator.spec.shape).blocks, rows, withPenalty, float64);
    this.net = new CpuCNNOps(evaluator.spec, data, () => this.rows, withPenalty);
    this.logits64 = new Float64Array(evaluator.nParams);
  }

  /** The logits on this objective's rows (n×K, float64). */
  logits(theta: Vec): Float64Array {
    this.logits64.set(cpuArray(theta));
    return this.evaluator.logits(this.logits64, this.data, this.rows);
  }
}
