/**
 * An MLP problem on the cpu engine (core/engine/problem.ts): the data, θ₀ and layout of
 * fused/problem.ts (the same data and initial parameters as the tfjs problem, float32-rounded), with a
 * CpuMLPObjective for the training set, one reused for mini-batches, and one for the test set.
 */
import type { ExperimentConfig } from '../../config';
import type { EngineProblem } from '../../engine/problem';
import type { Vec } from '../../engine/types';
import type { FusedNet } from '../../fused/mlp-net';
import { buildFusedProblem, buildNet, type FusedOptions, type FusedProblem } from '../../fused/problem';
import { countCorrect } from '../../problems/mlp-accuracy';
import { CpuMLPObjective } from './mlp-objective';
import { cpuVec, cpuVectorOps } from './vector-ops';

/** Rows per forward pass when counting correct predictions. */
const ACCURACY_ROWS = 512;

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
    this.batchRows = rows;
    return {
      f: this.batchObjective,
      release: () => {
        this.batchObjective.setRows(null);
        this.batchRows = null;
      },
    };
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

  /** The hidden layers' activations on X (the net's forward pass on a throw-away objective, as predict). */
  async hiddenActivations(theta: Vec, X: Float32Array, n: number): Promise<Float32Array[]> {
    const d = this.fused.spec.sizes[0];
    const data = { n, X: Float64Array.from(X.subarray(0, n * d)), y: new Float64Array(n) };
    const inputs = new CpuMLPObjective(this.fused.net, data, null, false).mlp.layerInputs(theta);
    return inputs.slice(1).map((a) => Float32Array.from(a));
  }

  /** The mini-batch the batch objective is on (null between steps). */
  private batchRows: Int32Array | null = null;
  /** Each set's rows in ACCURACY_ROWS-row chunks (made on first use). */
  private accuracyRows: Partial<Record<'train' | 'test', Int32Array[]>> = {};

  /**
   * Accuracy from the net's outputs (MLPOps.outputs: the SIMD forward pass), chunk by chunk on the
   * objectives the problem already has — the mini-batch one for the training set, the test one — so no
   * further buffers are allocated; their rows are put back afterwards (their caches, keyed by θ, are
   * only dropped: the next step's θ differs anyway).
   */
  accuracy(theta: Vec, which: 'train' | 'test'): number {
    const data = which === 'train' ? this.fused.train : this.fused.test;
    const f = which === 'train' ? this.batchObjective : this.test;
    const { loss, sizes } = this.fused.spec;
    if (!data || !f || loss === 'mse' || data.n === 0) return NaN;
    let chunks = this.accuracyRows[which];
    if (!chunks) {
      const all = Int32Array.from({ length: data.n }, (_, i) => i);
      chunks = this.accuracyRows[which] = Array.from({ length: Math.ceil(data.n / ACCURACY_ROWS) }, (_, j) => all.subarray(j * ACCURACY_ROWS, (j + 1) * ACCURACY_ROWS));
    }
    const saved = which === 'train' ? this.batchRows : null;
    let correct = 0;
    try {
      for (const rows of chunks) {
        f.setRows(rows);
        correct += countCorrect(f.mlp.outputs(theta), rows.length, sizes[sizes.length - 1], data.y, loss, rows);
      }
    } finally {
      f.setRows(saved);
    }
    return correct / data.n;
  }

  private net64: FusedNet | null = null;

  /**
   * The step's objective evaluated in float64 (the JS kernels: float64 activations and sums, f not
   * rounded), for the surrogate view near convergence, where f varies below float32 resolution.
   */
  precise(rows: Int32Array | null) {
    this.net64 ??= buildNet(this.fused.spec, { kernels: 'js' });
    return { f: new CpuMLPObjective(this.net64, this.fused.train, rows, true, true), release: () => {} };
  }

  releaseReplaced(): void {}

  dispose(): void {}
}
