/**
 * Pictures of a run's current model, answering `requestView`: MLP with 2-D inputs, its outputs on a
 * G×G grid over the data's range (+ the train/test points); 1-D inputs, the fitted curve; NMF, V, WH,
 * W and H. Computed through the engine interface on the session's own run (the problem's `predict`,
 * θ read back without blocking), whichever engine runs it. The data points, the grid's extent and
 * NMF's V are computed once per experiment.
 */
import type { ExperimentConfig, NMFProblemConfig } from '../core/config';
import { mlpPointDims, mlpSizes } from '../core/config';
import type { Experiment } from '../core/fold/experiment';
import type { Run } from '../core/fold/run';
import { mlpPoints } from '../core/problems/mlp-data';
import { networkInputs, neuronsView } from './neurons';
import { nmfData } from '../core/problems/nmf-data';
import type { Matrix, MLPCurveView, MLPGridView, NMFView, NoView, PointSet, RequestViewCmd, ViewEvt } from './protocol';

interface PointsCache {
  train?: PointSet;
  test?: PointSet;
  extent?: MLPGridView['extent'];
  xRange?: [number, number];
  /** NMF: V (m×n, float32) as both engines factorise it. */
  V?: Matrix;
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
    if (config.problem.kind === 'function') return { kind: 'none', message: 'a 2-D function has no data to draw: the contour view shows it' };
    if (config.problem.kind === 'nmf') return nmfView(config.problem, this.points(config).V!, exp, run);
    return this.mlpView(config, exp, run, G, withPoints, cmd.neurons ?? false);
  }

  private points(config: ExperimentConfig): PointsCache {
    if (this.cache) return this.cache;
    const p = config.problem;
    if (p.kind === 'function') return (this.cache = {});
    if (p.kind !== 'mlp') {
      const V = nmfData(p, config.seeds.data);
      return (this.cache = { V: { data: Float32Array.from(V.flat()), shape: [V.length, V[0].length] } });
    }
    // The points as drawn: (x₁, x₂), before the problem's input features.
    const data = mlpPoints(p, config.seeds.data);
    const d = mlpPointDims(p);
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

  private async mlpView(config: ExperimentConfig, exp: Experiment, run: Run, G: number, withPoints: boolean, neurons = false): Promise<MLPGridView | MLPCurveView | NoView> {
    const p = config.problem;
    if (p.kind !== 'mlp') throw new Error('not an MLP problem');
    const sizes = mlpSizes(p);
    const d = mlpPointDims(p);
    const out = sizes[sizes.length - 1];
    const loss = p.loss;
    if (d !== 1 && d !== 2) return { kind: 'none', message: `the inputs have ${d} dimensions; the decision boundary is drawn for 1-D and 2-D inputs only` };
    const cache = this.points(config);
    const pts = (s?: PointSet): PointSet | undefined => (s && withPoints ? { X: { data: s.X.data.slice(), shape: s.X.shape }, y: s.y.slice() } : undefined);
    const predict = async (inputs: Float32Array, n: number): Promise<Matrix> => {
      if (!exp.problem.predict) throw new Error(`the ${exp.problem.engine} engine cannot evaluate the network on new inputs`);
      return { data: await exp.problem.predict(run.theta, networkInputs(p, inputs, n), n), shape: [n, out] };
    };
    if (d === 2) {
      const e = cache.extent!;
      const inputs = new Float32Array(G * G * 2);
      for (let j = 0; j < G; j++)
        for (let i = 0; i < G; i++) {
          inputs[2 * (j * G + i)] = e.x0 + ((e.x1 - e.x0) * i) / (G - 1);
          inputs[2 * (j * G + i) + 1] = e.y0 + ((e.y1 - e.y0) * j) / (G - 1);
        }
      const view: MLPGridView = { kind: 'mlp2d', grid: G, extent: { ...e }, outputs: await predict(inputs, G * G), loss, train: pts(cache.train), test: pts(cache.test) };
      if (neurons) view.neurons = await neuronsView(p, exp.problem, run.theta, e);
      return view;
    }
    const [x0, x1] = cache.xRange!;
    const x = new Float32Array(G);
    for (let i = 0; i < G; i++) x[i] = x0 + ((x1 - x0) * i) / (G - 1);
    return { kind: 'mlp1d', x, outputs: await predict(x.slice(), G), loss, train: pts(cache.train), test: pts(cache.test) };
  }
}

/** V, WH, W and H of an NMF run (θ read back without blocking; WH = W·H accumulated in float64). */
async function nmfView(p: NMFProblemConfig, V: Matrix, exp: Experiment, run: Run): Promise<NMFView> {
  const [w, h] = exp.problem.layout;
  const ops = exp.problem.ops;
  const theta = ops.read ? await ops.read(run.theta) : ops.toArray(run.theta);
  const [m, K] = w.shape;
  const n = h.shape[1];
  const W = theta.slice(w.offset, w.offset + w.size);
  const H = theta.slice(h.offset, h.offset + h.size);
  const WH = new Float32Array(m * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let k = 0; k < K; k++) {
      const a = W[i * K + k];
      if (a === 0) continue;
      for (let j = 0; j < n; j++) acc[j] += a * H[k * n + j];
    }
    WH.set(acc, i * n);
  }
  return {
    kind: 'nmf',
    V: { data: V.data.slice(), shape: [...V.shape] as [number, number] },
    WH: { data: WH, shape: [m, n] },
    W: { data: W, shape: [m, K] },
    H: { data: H, shape: [K, n] },
    beta: p.beta,
  };
}
