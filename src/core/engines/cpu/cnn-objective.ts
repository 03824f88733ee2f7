/**
 * The cpu engine's objective operations for a CNN (cnn-net.ts): f and ∇f on the whole data set or a
 * mini-batch's rows; blocks are the layers — each convolution's (K_b, c_b), then each dense (W_l, b_l)
 * — contiguous ranges of θ. No `mlp` structure: the algorithms that need MLPOps are refused for a CNN
 * by the config (problems/cnn-config.ts). The last evaluation is cached by θ's identity, as the MLP's.
 */
import type { ObjectiveOps, Vec } from '../../engine/types';
import type { FusedData } from '../../fused/mlp-net';
import { cnnLayout } from '../../problems/cnn-spec';
import type { CNNEvaluator } from './cnn-net';
import { allocF32, cpuArray, cpuVec } from './vector-ops';

export class CpuCNNObjective implements ObjectiveOps {
  readonly kind = 'mlp' as const;
  readonly blocks: number;
  private readonly ranges: [number, number][];
  private readonly theta64: Float64Array;
  private readonly grad64: Float64Array;
  private cached: { theta: Float32Array; value: number; grad: Float32Array | null } | null = null;

  constructor(
    readonly net: CNNEvaluator,
    readonly data: FusedData,
    /** The mini-batch's rows (null: every row). */
    private rows: Int32Array | null = null,
    private readonly withPenalty = true,
    /** Report f in float64 (the views near convergence); the fold's objectives round it to float32. */
    private readonly float64 = false,
  ) {
    this.ranges = cnnLayout(net.spec.shape).blocks;
    this.blocks = this.ranges.length;
    this.theta64 = new Float64Array(net.nParams);
    this.grad64 = new Float64Array(net.nParams);
  }

  /** Points this objective at another mini-batch (drops the cache). */
  setRows(rows: Int32Array | null): void {
    this.rows = rows;
    this.cached = null;
  }

  get currentRows(): Int32Array | null {
    return this.rows;
  }

  private evaluate(theta: Float32Array, withGrad: boolean): { value: number; grad: Float32Array | null } {
    const c = this.cached;
    if (c && c.theta === theta && (c.grad || !withGrad)) return c;
    this.theta64.set(theta);
    const raw = this.net.evaluate(this.theta64, this.data, this.rows, this.withPenalty, withGrad ? this.grad64 : null);
    let grad: Float32Array | null = null;
    if (withGrad) {
      grad = allocF32(this.grad64.length);
      grad.set(this.grad64);
    }
    this.cached = { theta, value: this.float64 ? raw : Math.fround(raw), grad };
    return this.cached;
  }

  /** The logits on this objective's rows (n×K, float64). */
  logits(theta: Vec): Float64Array {
    this.theta64.set(cpuArray(theta));
    return this.net.logits(this.theta64, this.data, this.rows);
  }

  /** f(θ) (float32-rounded); with `prefetchGrad` also computes and caches ∇f(θ) in the same pass. */
  value(theta: Vec, prefetchGrad = false): number {
    return this.evaluate(cpuArray(theta), prefetchGrad).value;
  }

  valueAndGrad(theta: Vec): { value: number; grad: Vec } {
    const r = this.evaluate(cpuArray(theta), true);
    return { value: r.value, grad: cpuVec(r.grad!) };
  }

  blockValueAndGrad(theta: Vec, b: number): { value: number; grad: Vec } {
    const r = this.valueAndGrad(theta);
    return { value: r.value, grad: this.block(r.grad, b) };
  }

  block(theta: Vec, b: number): Vec {
    const [s, e] = this.ranges[b];
    return cpuVec(cpuArray(theta).subarray(s, e));
  }

  withBlock(theta: Vec, b: number, part: Vec): Vec {
    const out = allocF32(this.net.nParams);
    out.set(cpuArray(theta));
    out.set(cpuArray(part), this.ranges[b][0]);
    return cpuVec(out);
  }
}
