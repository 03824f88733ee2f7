/**
 * What the cpu engine's network objectives (mlp-objective.ts, cnn-objective.ts) share: θ is one flat
 * Float32Array whose blocks (the layers) are contiguous ranges; f and ∇f come from a net's `evaluate`
 * on the whole data set or on a mini-batch's rows, in float64, f rounded to float32 unless asked.
 *
 * Vecs are immutable, so the last evaluation is cached by θ's identity: the fold reads f(θₖ) for the
 * curve and the next step asks for f and ∇f at the same θₖ, which then costs nothing when the fold
 * asked for the gradient too (`value(θ, true)`: one forward/backward pass instead of a forward pass
 * now and a forward/backward pass at the next step).
 */
import type { Vec } from '../../engine/types';
import type { FusedData } from '../../fused/mlp-net';
import { allocF32, cpuArray, cpuVec } from './vector-ops';

/** A net that evaluates f (and ∇f into `grad`) on flat float64 θ: fused/mlp-net.ts, cnn-net.ts. */
export interface FlatEvaluator {
  readonly nParams: number;
  evaluate(theta: Float64Array, data: FusedData, rows: Int32Array | null, withPenalty: boolean, grad?: Float64Array | null): number;
}

export abstract class FlatObjective<E extends FlatEvaluator = FlatEvaluator> {
  readonly kind = 'mlp' as const;
  readonly blocks: number;
  private readonly theta64: Float64Array;
  private readonly grad64: Float64Array;
  private cached: { theta: Float32Array; value: number; grad: Float32Array | null } | null = null;

  constructor(
    readonly evaluator: E,
    readonly data: FusedData,
    /** [start, end) of each block in θ. */
    private readonly ranges: readonly (readonly [number, number])[],
    /** The mini-batch's rows (null: every row). */
    protected rows: Int32Array | null,
    protected readonly withPenalty: boolean,
    /** Report f in float64 (the views near convergence); the fold's objectives round it to float32. */
    private readonly float64: boolean,
  ) {
    this.blocks = ranges.length;
    this.theta64 = new Float64Array(evaluator.nParams);
    this.grad64 = new Float64Array(evaluator.nParams);
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
    const raw = this.evaluator.evaluate(this.theta64, this.data, this.rows, this.withPenalty, withGrad ? this.grad64 : null);
    let grad: Float32Array | null = null;
    if (withGrad) {
      grad = allocF32(this.grad64.length);
      grad.set(this.grad64);
    }
    this.cached = { theta, value: this.float64 ? raw : Math.fround(raw), grad };
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
    const out = allocF32(this.evaluator.nParams);
    out.set(cpuArray(theta));
    out.set(cpuArray(part), this.ranges[b][0]);
    return cpuVec(out);
  }
}
