/**
 * A CNN problem on tfjs (problems/cnn-spec.ts): tf.conv2d (stride 1, 'valid'), the problem's
 * activation, tf.maxPool (p×p, stride p, 'valid' = floor), flattened NHWC into the dense stack, and
 * problems/mlp.ts's output loss; ∇f by tfjs's autodiff (engines/tfjs/objective.ts). The same data and
 * θ₀ as the cpu engine (problems/mlp-data.ts, cnnTheta0). Its objectives carry no `spec`, so they offer
 * no MLPOps: the algorithms that need them are refused for a CNN by the config.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig, MLPProblemConfig } from '../../config';
import { cnnShapeOf } from '../../problems/cnn-config';
import { cnnLayout, cnnTheta0, type CNNShape } from '../../problems/cnn-spec';
import { mlpData } from '../../problems/mlp-data';
import { outputLoss, type Activation, type LossName } from '../../problems/mlp';
import type { Objective, Params, Problem } from '../../types';

export interface CNNObjective extends Objective {
  readonly kind: 'mlp';
  readonly n: number;
}

export interface CNNProblem extends Problem<CNNObjective> {
  readonly kind: 'mlp';
  readonly shape: CNNShape;
  /** Classification accuracy on train or test data (TfjsProblem.accuracy reads it). */
  accuracy?(p: Params, which: 'train' | 'test'): tf.Scalar;
  /** The logits on images X (n × rows·cols): TfjsProblem.predict, the page's image views. */
  predict(p: Params, X: tf.Tensor2D): tf.Tensor2D;
}

function act(z: tf.Tensor, a: Activation): tf.Tensor {
  return a === 'tanh' ? tf.tanh(z) : a === 'relu' ? tf.relu(z) : a === 'sigmoid' ? tf.sigmoid(z) : z;
}

/** The logits (n×K) of images X (n×rows×cols×1). */
export function forwardCNN(p: Params, X: tf.Tensor4D, shape: CNNShape, activation: Activation): tf.Tensor2D {
  return tf.tidy(() => {
    let a: tf.Tensor4D = X;
    shape.convs.forEach((c, b) => {
      const z = tf.add(tf.conv2d(a, p[2 * b] as tf.Tensor4D, 1, 'valid'), p[2 * b + 1]) as tf.Tensor4D;
      a = act(z, activation) as tf.Tensor4D;
      if (c.pool > 1) a = tf.maxPool(a, c.pool, c.pool, 'valid');
    });
    let h = tf.reshape(a, [X.shape[0], shape.dense[0]]) as tf.Tensor2D;
    const nc = shape.convs.length;
    const L = shape.dense.length - 1;
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(h, p[2 * (nc + l)] as tf.Tensor2D), p[2 * (nc + l) + 1]) as tf.Tensor2D;
      h = l < L - 1 ? (act(z, activation) as tf.Tensor2D) : z;
    }
    return h;
  });
}

function targets(y: number[], loss: LossName, K: number): tf.Tensor2D {
  if (loss === 'softmax_ce') return tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), K).toFloat() as tf.Tensor2D);
  return tf.tensor2d(y, [y.length, 1]);
}

export function buildTfjsCNN(config: Pick<ExperimentConfig, 'problem' | 'seeds'>): CNNProblem {
  if (config.problem.kind !== 'mlp') throw new Error('a CNN is an MLP problem with conv blocks');
  const p: MLPProblemConfig = config.problem;
  const shape = cnnShapeOf(p);
  const { activation, loss, l2 } = p;
  const K = shape.dense[shape.dense.length - 1];
  const data = mlpData(p, config.seeds.data);
  const images = (rows: number[][]) => tf.tensor4d(Float32Array.from(rows.flat()), [rows.length, shape.rows, shape.cols, 1]);
  const X = images(data.X);
  const Y = targets(data.y, loss, K);
  const hasTest = !!data.Xtest && data.Xtest.length > 0 && !!data.ytest;
  const Xt = hasTest ? images(data.Xtest!) : null;
  const Yt = hasTest ? targets(data.ytest!, loss, K) : null;
  const { tensors } = cnnLayout(shape);
  const theta0 = cnnTheta0(shape, config.seeds.init);
  const weightIdx = tensors.map((t, i) => (t.shape.length > 1 ? i : -1)).filter((i) => i >= 0);

  const penalty = (q: Params): tf.Scalar =>
    tf.tidy(() => tf.mul(weightIdx.reduce<tf.Scalar>((s, i) => tf.add(s, tf.sum(tf.square(q[i]))), tf.scalar(0)), l2 / 2) as tf.Scalar);
  const objective = (Xs: tf.Tensor4D, Ys: tf.Tensor2D): CNNObjective => ({
    kind: 'mlp',
    n: Xs.shape[0],
    loss: (q) =>
      tf.tidy(() => {
        const f = outputLoss(forwardCNN(q, Xs, shape, activation), Ys, loss);
        return l2 === 0 ? f : (tf.add(f, penalty(q)) as tf.Scalar);
      }),
  });
  const accuracyOn = (q: Params, Xs: tf.Tensor4D, Ys: tf.Tensor2D): tf.Scalar =>
    tf.tidy(() => {
      const z = forwardCNN(q, Xs, shape, activation);
      if (loss === 'softmax_ce') return tf.mean(tf.equal(tf.argMax(z, 1), tf.argMax(Ys, 1)).toFloat()) as tf.Scalar;
      return tf.mean(tf.equal(tf.greater(z, 0), tf.greater(Ys, 0.5)).toFloat()) as tf.Scalar;
    });

  return {
    kind: 'mlp',
    shape,
    full: objective(X, Y),
    nTrain: data.X.length,
    paramNames: tensors.map((t) => t.name),
    batch(indices) {
      const idx = tf.tensor1d(indices, 'int32');
      const Xb = tf.gather(X, idx) as tf.Tensor4D;
      const Yb = tf.gather(Y, idx) as tf.Tensor2D;
      idx.dispose();
      return Object.assign(objective(Xb, Yb), { dispose: () => tf.dispose([Xb, Yb]) });
    },
    testLoss: Xt && Yt ? (q) => outputLoss(forwardCNN(q, Xt, shape, activation), Yt, loss) : undefined,
    accuracy: loss === 'mse' ? undefined : (q, which) => (which === 'train' || !Xt || !Yt ? accuracyOn(q, X, Y) : accuracyOn(q, Xt, Yt)),
    predict: (q, Xs) => tf.tidy(() => forwardCNN(q, tf.reshape(Xs, [Xs.shape[0], shape.rows, shape.cols, 1]), shape, activation)),
    initialParams: () => tensors.map((t) => tf.tensor(theta0.subarray(t.offset, t.offset + t.size), t.shape)),
    dispose: () => tf.dispose([X, Y, ...(Xt ? [Xt] : []), ...(Yt ? [Yt] : [])]),
  };
}
