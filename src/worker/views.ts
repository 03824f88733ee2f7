/**
 * Pictures of a run's current model, answering `requestView`: MLP with 2-D inputs, its outputs on a
 * G×G grid over the data's range (+ the train/test points); 1-D inputs, the fitted curve; NMF, V, WH,
 * W and H. Computed on a tfjs Run (on the fused engine: a tfjs copy of the run, see engine.ts), read
 * back asynchronously. The data points and the grid's extent are computed once per experiment.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../core/config';
import { mlpSizes } from '../core/config';
import { paramsOf, type Experiment } from '../core/experiment';
import { mlpData } from '../core/problems/build';
import type { MLPProblem } from '../core/problems/mlp';
import type { NMFProblem } from '../core/problems/nmf';
import type { Run } from '../core/run';
import type { Matrix, MLPCurveView, MLPGridView, NMFView, NoView, PointSet, RequestViewCmd, ViewEvt } from './protocol';

interface PointsCache {
  train?: PointSet;
  test?: PointSet;
  extent?: MLPGridView['extent'];
  xRange?: [number, number];
}

export class ModelViews {
  private cache: PointsCache | null = null;

  /** Forget the data points (a new experiment). */
  clear(): void {
    this.cache = null;
  }

  /** The picture `cmd` asks for, of `run` on `exp`'s problem (`config`: the session's experiment). */
  async view(config: ExperimentConfig, exp: Experiment, run: Run, cmd: RequestViewCmd): Promise<ViewEvt['view']> {
    const G = Math.max(2, Math.min(256, Math.floor(cmd.grid ?? 64)));
    const withPoints = cmd.points ?? true;
    if (exp.problem.kind === 'nmf') return nmfView(exp.problem.tfjs as NMFProblem, run);
    return this.mlpView(config, exp.problem.tfjs as MLPProblem, run, G, withPoints);
  }

  private points(config: ExperimentConfig): PointsCache {
    if (this.cache) return this.cache;
    const p = config.problem;
    if (p.kind !== 'mlp') return (this.cache = {});
    const data = mlpData(p, config.seeds.data);
    const d = mlpSizes(p)[0];
    const toSet = (X: number[][], y: number[]): PointSet => ({
      X: { data: Float32Array.from(X.flat()), shape: [X.length, d] },
      y: Float32Array.from(y),
    });
    const all = [...data.X, ...(data.Xtest ?? [])];
    const range = (c: number): [number, number] => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const x of all) {
        lo = Math.min(lo, x[c]);
        hi = Math.max(hi, x[c]);
      }
      const pad = 0.1 * (hi - lo || 1);
      return [lo - pad, hi + pad];
    };
    const cache: PointsCache = {
      train: toSet(data.X, data.y),
      test: data.Xtest && data.ytest && data.Xtest.length ? toSet(data.Xtest, data.ytest) : undefined,
    };
    if (d === 2) {
      const [x0, x1] = range(0);
      const [y0, y1] = range(1);
      cache.extent = { x0, x1, y0, y1 };
    } else if (d === 1) cache.xRange = range(0);
    return (this.cache = cache);
  }

  private async mlpView(config: ExperimentConfig, problem: MLPProblem, run: Run, G: number, withPoints: boolean): Promise<MLPGridView | MLPCurveView | NoView> {
    const d = problem.spec.sizes[0];
    const out = problem.spec.sizes[problem.spec.sizes.length - 1];
    if (d !== 1 && d !== 2) return { kind: 'none', message: `the inputs have ${d} dimensions; the decision boundary is drawn for 1-D and 2-D inputs only` };
    const cache = this.points(config);
    const pts = (s?: PointSet): PointSet | undefined => (s && withPoints ? { X: { data: s.X.data.slice(), shape: s.X.shape }, y: s.y.slice() } : undefined);
    const predict = async (inputs: Float32Array, n: number): Promise<Matrix> => {
      const z = tf.tidy(() => problem.predict(paramsOf(run), tf.tensor2d(inputs, [n, d])));
      const data = (await z.data()) as Float32Array;
      z.dispose();
      return { data, shape: [n, out] };
    };
    if (d === 2) {
      const e = cache.extent!;
      const inputs = new Float32Array(G * G * 2);
      for (let j = 0; j < G; j++)
        for (let i = 0; i < G; i++) {
          inputs[2 * (j * G + i)] = e.x0 + ((e.x1 - e.x0) * i) / (G - 1);
          inputs[2 * (j * G + i) + 1] = e.y0 + ((e.y1 - e.y0) * j) / (G - 1);
        }
      return { kind: 'mlp2d', grid: G, extent: { ...e }, outputs: await predict(inputs, G * G), loss: problem.spec.loss, train: pts(cache.train), test: pts(cache.test) };
    }
    const [x0, x1] = cache.xRange!;
    const x = new Float32Array(G);
    for (let i = 0; i < G; i++) x[i] = x0 + ((x1 - x0) * i) / (G - 1);
    return { kind: 'mlp1d', x, outputs: await predict(x.slice(), G), loss: problem.spec.loss, train: pts(cache.train), test: pts(cache.test) };
  }
}

async function nmfView(problem: NMFProblem, run: Run): Promise<NMFView> {
  const [W, H] = paramsOf(run) as [tf.Tensor2D, tf.Tensor2D];
  const V = problem.full.V;
  const WH = tf.matMul(W, H);
  const read = async (t: tf.Tensor): Promise<Matrix> => ({ data: Float32Array.from((await t.data()) as Float32Array), shape: [t.shape[0]!, t.shape[1]!] });
  try {
    const [v, wh, w, h] = await Promise.all([read(V), read(WH), read(W), read(H)]);
    return { kind: 'nmf', V: v, WH: wh, W: w, H: h, beta: problem.beta };
  } finally {
    WH.dispose();
  }
}
