/**
 * A CNN problem on the cpu engine (core/engine/problem.ts): the image data of problems/mlp-data.ts
 * (float32-rounded, as tfjs stores it), θ₀ of problems/cnn-spec.ts, a CpuCNNObjective on the training
 * set, one reused for mini-batches, one on the test set; accuracy from the logits in 512-row chunks.
 */
import type { ExperimentConfig, MLPProblemConfig } from '../../config';
import type { EngineProblem } from '../../engine/problem';
import type { Vec } from '../../engine/types';
import type { FusedData } from '../../fused/mlp-net';
import { countCorrect } from '../../problems/mlp-accuracy';
import { mlpData } from '../../problems/mlp-data';
import { cnnShapeOf } from '../../problems/cnn-config';
import { cnnLayout, cnnTheta0, type CNNShape } from '../../problems/cnn-spec';
import { simdAvailable } from '../../fused/problem';
import { CNNNet, type CNNEvaluator, type CNNNetSpec } from './cnn-net';
import { CNNNetWasm } from './cnn-net-wasm';
import { CpuCNNObjective } from './cnn-objective';
import { cpuVec, cpuVectorOps } from './vector-ops';

const ACCURACY_ROWS = 512;

function toData(X: number[][], y: number[], d: number): FusedData {
  const n = X.length;
  const Xf = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) Xf[i * d + k] = Math.fround(X[i][k]);
  return { n, X: Xf, y: Float64Array.from(y) };
}

export class CpuCNNProblem implements EngineProblem {
  readonly engine = 'cpu';
  readonly kind = 'mlp' as const;
  readonly ops = cpuVectorOps;
  readonly full: CpuCNNObjective;
  readonly layout;
  private readonly batchObjective: CpuCNNObjective;
  private readonly test: CpuCNNObjective | null;
  private readonly theta0Array: Float32Array;
  readonly kernels: 'js' | 'wasm-simd';

  constructor(
    readonly spec: CNNNetSpec,
    readonly train: FusedData,
    readonly testData: FusedData | null,
    theta0: Float32Array,
    /** 'auto': the WebAssembly SIMD products where available, else the JS (float64) ones. */
    kernels: 'auto' | 'js' | 'wasm-simd' = 'auto',
  ) {
    const net: CNNEvaluator = kernels === 'wasm-simd' || (kernels === 'auto' && simdAvailable()) ? new CNNNetWasm(spec) : new CNNNet(spec);
    this.kernels = net instanceof CNNNetWasm ? 'wasm-simd' : 'js';
    this.layout = cnnLayout(spec.shape).tensors;
    this.full = new CpuCNNObjective(net, train);
    this.batchObjective = new CpuCNNObjective(net, train);
    this.test = testData ? new CpuCNNObjective(net, testData, null, false) : null;
    this.theta0Array = theta0;
  }

  static build(config: Pick<ExperimentConfig, 'problem' | 'seeds'>, kernels: 'auto' | 'js' | 'wasm-simd' = 'auto'): CpuCNNProblem {
    if (config.problem.kind !== 'mlp') throw new Error('a CNN is an MLP problem with conv blocks');
    const p: MLPProblemConfig = config.problem;
    const shape: CNNShape = cnnShapeOf(p);
    const data = mlpData(p, config.seeds.data);
    const d = shape.rows * shape.cols;
    const hasTest = !!data.Xtest && data.Xtest.length > 0 && !!data.ytest;
    return new CpuCNNProblem(
      { shape, activation: p.activation, loss: p.loss, l2: p.l2 },
      toData(data.X, data.y, d),
      hasTest ? toData(data.Xtest!, data.ytest!, d) : null,
      cnnTheta0(shape, config.seeds.init),
      kernels,
    );
  }

  get nTrain(): number {
    return this.train.n;
  }

  get hasTest(): boolean {
    return this.test !== null;
  }

  batch(rows: Int32Array) {
    this.batchObjective.setRows(rows);
    return { f: this.batchObjective, release: () => this.batchObjective.setRows(null) };
  }

  theta0(): Vec {
    return cpuVec(this.theta0Array.slice());
  }

  losses(theta: Vec, test: boolean, prefetchGrad: boolean): { train: number; test: number } {
    return { train: this.full.value(theta, prefetchGrad), test: test && this.test ? this.test.value(theta) : NaN };
  }

  /** The logits (n×K, float32) on images X (n × rows·cols, row-major): the page's image views. */
  async predict(theta: Vec, X: Float32Array, n: number): Promise<Float32Array> {
    const d = this.spec.shape.rows * this.spec.shape.cols;
    const data = { n, X: Float64Array.from(X.subarray(0, n * d)), y: new Float64Array(n) };
    return Float32Array.from(new CpuCNNObjective(this.full.evaluator, data, null, false).logits(theta));
  }

  /** Share of correct argmax predictions, from the logits in 512-row chunks (on a throw-away objective). */
  accuracy(theta: Vec, which: 'train' | 'test'): number {
    const data = which === 'train' ? this.train : this.testData;
    const { loss, shape } = this.spec;
    if (!data || loss === 'mse' || data.n === 0) return NaN;
    const f = new CpuCNNObjective(this.full.evaluator, data, null, false);
    const K = shape.dense[shape.dense.length - 1];
    let correct = 0;
    for (let s = 0; s < data.n; s += ACCURACY_ROWS) {
      const rows = Int32Array.from({ length: Math.min(ACCURACY_ROWS, data.n - s) }, (_, i) => s + i);
      f.setRows(rows);
      correct += countCorrect(f.logits(theta), rows.length, K, data.y, loss, rows);
    }
    return correct / data.n;
  }

  private net64: CNNNet | null = null;

  /** The step's objective in float64 (the JS products, f not rounded), for the surrogate view near convergence. */
  precise(rows: Int32Array | null) {
    this.net64 ??= this.full.evaluator instanceof CNNNet ? this.full.evaluator : new CNNNet(this.spec);
    return { f: new CpuCNNObjective(this.net64, this.train, rows, true, true), release: () => {} };
  }

  releaseReplaced(): void {}

  dispose(): void {}
}
