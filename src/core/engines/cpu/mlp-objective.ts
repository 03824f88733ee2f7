/**
 * The cpu engine's objective operations for an MLP: f and ∇f by the net's chunked forward/backward
 * pass (core/fused/mlp-net.ts: JS loops, or the WebAssembly SIMD kernels), on the whole data set or on
 * the rows of a mini-batch. Blocks are the layers; block l = (W_l, b_l) is one contiguous range of θ.
 *
 * Vecs are immutable, so the last evaluation is cached by θ's identity: the fold reads f(θₖ) for the
 * curve and the next step asks for f and ∇f at the same θₖ, which then costs nothing when the fold
 * asked for the gradient too (`value(θ, true)`: one forward/backward pass instead of a forward pass
 * now and a forward/backward pass at the next step).
 */
import type { ObjectiveOps, Vec } from '../../engine/types';
import { paramLayout, type FusedData, type FusedNet } from '../../fused/mlp-net';
import { CpuMLPOps } from './mlp-ops';
import { allocF32, cpuArray, cpuVec } from './vector-ops';

export class CpuMLPObjective implements ObjectiveOps {
  readonly kind = 'mlp' as const;
  readonly blocks: number;
  /** The network's structure on this objective's rows (Gauss–Newton, Böhning, ProxProp). */
  readonly mlp: CpuMLPOps;
  /** [start, end) of each layer's (W_l, b_l) in θ. */
  private readonly ranges: [number, number][];
  private readonly theta64: Float64Array;
  private readonly grad64: Float64Array;
  private cached: { theta: Float32Array; value: number; grad: Float32Array | null } | null = null;

  constructor(
    private readonly net: FusedNet,
    private readonly data: FusedData,
    /** The mini-batch's rows (null: every row). */
    private rows: Int32Array | null = null,
    private readonly withPenalty = true,
    /** Report f in float64 (the views near convergence); the fold's objectives round it to float32. */
    private readonly float64 = false,
  ) {
    const { wOff, bOff } = paramLayout(net.spec.sizes);
    this.ranges = wOff.map((w, l) => [w, bOff[l] + net.spec.sizes[l + 1]]);
    this.blocks = this.ranges.length;
    this.mlp = new CpuMLPOps(net.spec, data, () => this.rows, withPenalty, net.kernels);
    this.theta64 = new Float64Array(net.nParams);
    this.grad64 = new Float64Array(net.nParams);
  }

  /** Points this objective at another mini-batch (drops the cache). */
  setRows(rows: Int32Array | null): void {
    this.rows = rows;
    this.cached = null;
  }

  private evaluate(theta: Float32Array, withGrad: boolean): { value: number; grad: Float32Array | null } {
    const c = this.cached;
    if (c && c.theta === theta && (c.grad || !withGrad)) return c;
    this.theta64.set(theta);
    const raw = this.net.evaluate(this.theta64, this.data, this.rows, this.withPenalty, withGrad ? this.grad64 : null);
    const value = this.float64 ? raw : Math.fround(raw);
    let grad: Float32Array | null = null;
    if (withGrad) {
      grad = allocF32(this.grad64.length);
      grad.set(this.grad64);
    }
    this.cached = { theta, value, grad };
    return this.cached;
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
