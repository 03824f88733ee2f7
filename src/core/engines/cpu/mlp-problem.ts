/**
 * An MLP problem on the cpu engine (core/engine/problem.ts): the data, θ₀ and layout of
 * fused/problem.ts (the same data and initial parameters as the tfjs problem, float32-rounded), with a
 * CpuMLPObjective for the training set, one reused for mini-batches, and one for the test set.
 */
import type { ExperimentConfig } from '../../config';
import type { EngineProblem } from '../../engine/problem';
import type { Vec } from '../../engine/types';
import { buildFusedProblem, type FusedOptions, type FusedProblem } from '../../fused/problem';
import { CpuMLPObjective } from './mlp-objective';
import { cpuVec, cpuVectorOps } from './vector-ops';

export class CpuMLPProblem implements EngineProblem {
  readonly engine = 'cpu';
  readonly kind = 'mlp' as const;
  readonly ops = cpuVectorOps;
  readonly full: CpuMLPObjective;
  private readonly batchObjective: CpuMLPObjective;
  private readonly test: CpuMLPObjective | null;

  constructor(readonly fused: FusedProblem) {
    this.full = new CpuMLPObjective(fused.net, fused.train);
    this.batchObjective = new CpuMLPObjective(fused.net, fused.train);
    this.test = fused.test ? new CpuMLPObjective(fused.net, fused.test, null, false) : null;
  }

  static build(config: Pick<ExperimentConfig, 'problem' | 'seeds'>, opts: FusedOptions = {}): CpuMLPProblem {
    return new CpuMLPProblem(buildFusedProblem(config, opts));
  }

  get nTrain(): number {
    return this.fused.train.n;
  }

  get hasTest(): boolean {
    return this.test !== null;
  }

  get layout() {
    return this.fused.tensors;
  }

  batch(rows: Int32Array) {
    this.batchObjective.setRows(rows);
    return { f: this.batchObjective, release: () => this.batchObjective.setRows(null) };
  }

  theta0(): Vec {
    return cpuVec(this.fused.theta0.slice());
  }

  losses(theta: Vec, test: boolean, prefetchGrad: boolean): { train: number; test: number } {
    return { train: this.full.value(theta, prefetchGrad), test: test && this.test ? this.test.value(theta) : NaN };
  }

  /** c(θ) on X by the net's forward pass (a throw-away objective on X, no penalty). */
  async predict(theta: Vec, X: Float32Array, n: number): Promise<Float32Array> {
    const d = this.fused.spec.sizes[0];
    const data = { n, X: Float64Array.from(X.subarray(0, n * d)), y: new Float64Array(n) };
    return Float32Array.from(new CpuMLPObjective(this.fused.net, data, null, false).mlp.outputs(theta));
  }

  releaseReplaced(): void {}

  dispose(): void {}
}
