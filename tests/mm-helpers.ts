// Shared by tests/mm-*.test.ts and tests/surrogate.test.ts: problems from configs, folds, float64 references.
import * as tf from '@tensorflow/tfjs';
import { mlpProblemSchema, type MLPProblemConfig } from '../src/core/config';
import { getTfjsAlgorithm as getAlgorithm } from '../src/core/engines/tfjs/algorithms';
import { buildMLPProblem } from '../src/core/problems/build';
import type { MLPProblem } from '../src/core/problems/mlp';
import { disposeReplaced } from '../src/core/engines/tfjs/problem';
import type { AnyAlgorithm, Params, StepInfo } from '../src/core/types';

export const CLASSIFICATION = ['moons', 'circles', 'xor', 'gaussians', 'spiral'] as const;
export const MM_IDS = ['mm-lipschitz', 'mm-layerwise', 'mm-bohning', 'mm-gauss-newton'] as const;

/** A problem from an MLP problem config (the same path the lab takes), with the given seeds. */
export function problemFrom(input: Record<string, unknown>, seed = 1): MLPProblem {
  const cfg: MLPProblemConfig = mlpProblemSchema.parse({ kind: 'mlp', ...input });
  return buildMLPProblem(cfg, { data: seed, init: seed + 1, batch: seed + 2 });
}

/** Binary datasets use bce, the multi-class ones softmax_ce. */
export function lossFor(name: string): 'bce' | 'softmax_ce' {
  return name === 'gaussians' || name === 'spiral' ? 'softmax_ce' : 'bce';
}

export function lossNum(prob: { full: { loss(p: Params): tf.Scalar } }, p: Params): number {
  return tf.tidy(() => prob.full.loss(p).dataSync()[0]);
}

/** A run as a fold, owning its params and state. */
export class Fold {
  readonly alg: AnyAlgorithm;
  readonly hyper: Record<string, unknown>;
  params: Params;
  state: tf.TensorContainer;
  info: StepInfo = {};

  constructor(
    readonly prob: MLPProblem,
    id: string,
    hyper: Record<string, unknown> = {},
  ) {
    this.alg = getAlgorithm(id);
    this.hyper = this.alg.hyper.parse(hyper) as Record<string, unknown>;
    this.params = prob.initialParams();
    this.state = this.alg.init(this.params, this.hyper, prob.full);
  }

  step(): void {
    const out = this.alg.step(this.prob.full, this.params, this.state, this.hyper);
    disposeReplaced(this.params, out.params);
    disposeReplaced(this.state, out.state);
    this.params = out.params;
    this.state = out.state;
    this.info = out.info;
  }

  loss(): number {
    return lossNum(this.prob, this.params);
  }

  dispose(): void {
    tf.dispose(this.params);
    tf.dispose(this.state);
  }
}

/** θ + r·u/‖u‖ for a direction u (tensors owned by the caller). */
export function along(params: Params, dir: tf.Tensor[], r: number): Params {
  return tf.tidy(() => {
    const n = Math.sqrt(tf.addN(dir.map((d) => tf.sum(tf.square(d)))).dataSync()[0]);
    return params.map((p, i) => tf.add(p, tf.mul(dir[i], n > 0 ? r / n : 0)));
  });
}

export function flat(ts: tf.Tensor[]): number[] {
  return ts.flatMap((t) => Array.from(t.dataSync()));
}

/** Least-squares data of a problem (hidden: [], mse, one output) in float64: X̃ = [X, 1], y. */
export function leastSquares(prob: MLPProblem): { Xt: number[][]; y: number[]; n: number; d: number } {
  const X = prob.full.X.arraySync();
  const y = Array.from(prob.full.Y.dataSync());
  return { Xt: X.map((r) => [...r, 1]), y, n: X.length, d: X[0].length + 1 };
}

/** Solves A x = b (small dense, Gaussian elimination with partial pivoting, float64). */
export function solveDense(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** Largest eigenvalue of a symmetric PSD matrix (power iteration in float64). */
export function lambdaMax(A: number[][]): number {
  let v = A.map((_, i) => 1 + i * 0.1);
  let lam = 0;
  for (let it = 0; it < 5000; it++) {
    const w = A.map((r) => r.reduce((s, a, j) => s + a * v[j], 0));
    const nw = Math.hypot(...w);
    v = w.map((x) => x / nw);
    if (Math.abs(nw - lam) <= 1e-15 * nw) break;
    lam = nw;
  }
  return lam;
}
