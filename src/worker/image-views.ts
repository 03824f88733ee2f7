/**
 * The image views of a classification MLP on an image data set (digits, MNIST, Fashion-MNIST),
 * answering `requestImageViews`: the first layer's weights (one small image per hidden unit), the
 * confusion matrix on the test set, and a strip of test images with predicted and true labels
 * (misclassified first). Computed through the engine interface on the session's own run — θ read back
 * without blocking, the predictions from `EngineProblem.predict` — so every engine serves them.
 *
 * Cost is bounded: at most `maxTest` (default 1,000, at most 2,000) test images are evaluated, one
 * forward pass over them per answer; the page asks at most twice a second and backs off by the
 * answer's `computeMs` (src/ui/imageViews.ts).
 */
import type { ExperimentConfig } from '../core/config';
import { mlpSizes } from '../core/config';
import { IMAGE_SETS, isImageDataset } from '../core/data/image-sets';
import type { Experiment } from '../core/fold/experiment';
import type { Run } from '../core/fold/run';
import { mlpPoints } from '../core/problems/mlp-data';
import type { ImageViewsData, RequestImageViewsCmd } from './protocol';

export const DEFAULT_MAX_TEST = 1000;
const MAX_TEST = 2000;
/** Images in the strip, and hidden units drawn in the weight grid. */
export const STRIP_IMAGES = 24;
export const MAX_UNITS = 64;

/** Row-major K×K counts: entry [true·K + predicted]. Labels outside [0, K) are refused. */
export function confusionCounts(truth: ArrayLike<number>, predicted: ArrayLike<number>, K: number): Int32Array {
  if (truth.length !== predicted.length) throw new Error(`confusion: ${truth.length} labels but ${predicted.length} predictions`);
  const m = new Int32Array(K * K);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (!(t >= 0 && t < K && p >= 0 && p < K)) throw new Error(`confusion: label ${t} or prediction ${p} is outside 0..${K - 1}`);
    m[t * K + p]++;
  }
  return m;
}

/** The predicted class of each of n rows of K logits (argmax; the first of equal maxima). */
export function argmaxRows(logits: Float32Array, n: number, K: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let v = logits[i * K];
    for (let k = 1; k < K; k++)
      if (logits[i * K + k] > v) {
        v = logits[i * K + k];
        best = k;
      }
    out[i] = best;
  }
  return out;
}

/** Up to `count` example indices: the misclassified ones first, then correct ones, each in data order. */
export function stripOrder(truth: ArrayLike<number>, predicted: ArrayLike<number>, count: number): number[] {
  const wrong: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < truth.length; i++) (truth[i] === predicted[i] ? right : wrong).push(i);
  return [...wrong, ...right].slice(0, count);
}

/** The test images an experiment's views use, made once per experiment (inputs in [0, 1], float32). */
interface TestImages {
  X: Float32Array;
  y: Int32Array;
  n: number;
  d: number;
}
const cache = new WeakMap<Experiment, TestImages>();

function testImages(config: ExperimentConfig, exp: Experiment): TestImages {
  const hit = cache.get(exp);
  if (hit) return hit;
  const p = config.problem;
  if (p.kind !== 'mlp') throw new Error('image views: not an MLP problem');
  const data = mlpPoints(p, config.seeds.data);
  // Without a test split the views are of the training images (said in the answer's `split`).
  const X = data.Xtest?.length ? data.Xtest : data.X;
  const y = data.Xtest?.length ? data.ytest! : data.y;
  const n = Math.min(X.length, MAX_TEST);
  const d = X[0].length;
  const flat = new Float32Array(n * d);
  for (let i = 0; i < n; i++) flat.set(X[i], i * d);
  const out = { X: flat, y: Int32Array.from(y.slice(0, n)), n, d };
  cache.set(exp, out);
  return out;
}

/** The views of `run` (see the file's comment). Throws with a reason for a problem that has none. */
export async function computeImageViews(config: ExperimentConfig, exp: Experiment, run: Run, cmd: RequestImageViewsCmd): Promise<ImageViewsData> {
  const p = config.problem;
  if (p.kind !== 'mlp' || p.data.kind !== 'dataset' || !isImageDataset(p.data.name))
    throw new Error('image views apply to an MLP on an image data set (digits, mnist, fashion-mnist)');
  if (!exp.problem.predict) throw new Error(`the ${exp.problem.engine} engine cannot evaluate the network on new inputs`);
  const info = IMAGE_SETS[p.data.name];
  const K = mlpSizes(p).at(-1)!;
  const maxTest = Math.max(1, Math.min(MAX_TEST, Math.floor(cmd.maxTest ?? DEFAULT_MAX_TEST)));
  const imgs = testImages(config, exp);
  const n = Math.min(imgs.n, maxTest);
  const X = imgs.X.subarray(0, n * imgs.d);
  const truth = imgs.y.subarray(0, n);
  const logits = await exp.problem.predict(run.theta, X.slice(), n);
  const predicted = argmaxRows(logits, n, K);
  const confusion = confusionCounts(truth, predicted, K);

  const order = stripOrder(truth, predicted, Math.max(0, Math.min(STRIP_IMAGES * 2, cmd.strip ?? STRIP_IMAGES)));
  const stripPixels = new Float32Array(order.length * imgs.d);
  order.forEach((i, j) => stripPixels.set(X.subarray(i * imgs.d, (i + 1) * imgs.d), j * imgs.d));

  // W1 is [inputs, units] row-major: unit u's weights are column u, one value per pixel.
  const ops = exp.problem.ops;
  const theta = ops.read ? await ops.read(run.theta) : ops.toArray(run.theta);
  const w1 = exp.problem.layout[0];
  let weights: ImageViewsData['weights'] = null;
  if (w1 && w1.shape.length === 2 && w1.shape[0] === imgs.d) {
    const units = w1.shape[1];
    const shown = Math.min(units, MAX_UNITS);
    const W = new Float32Array(shown * imgs.d);
    for (let u = 0; u < shown; u++) for (let k = 0; k < imgs.d; k++) W[u * imgs.d + k] = theta[w1.offset + k * units + u];
    weights = { data: W, shape: [shown, imgs.d], units };
  }
  return {
    rows: info.rows,
    cols: info.cols,
    classes: K,
    evaluated: n,
    split: exp.hasTest ? 'test' : 'train',
    confusion,
    strip: { pixels: stripPixels, truth: Int32Array.from(order, (i) => truth[i]), predicted: Int32Array.from(order, (i) => predicted[i]) },
    weights,
  };
}
