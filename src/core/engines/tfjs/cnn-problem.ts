/**
 * A CNN problem on tfjs (problems/cnn-spec.ts): the network of cnn-forward.ts and problems/mlp.ts's
 * output loss; ∇f by tfjs's autodiff (engines/tfjs/objective.ts). The same data and θ₀ as the cpu
 * engine (problems/mlp-data.ts, cnnTheta0). Its objectives carry `net` (cnn-ops.ts: the Jacobian
 * products Gauss–Newton and Böhning MM use) but no `spec`, so no MLPOps: the dense-only algorithms
 * (proxprop, agd) are refused for a CNN by the config.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig, MLPProblemConfig } from '../../config';
import { cnnShapeOf } from '../../problems/cnn-config';
import { cnnLayout, cnnTheta0, type CNNShape } from '../../problems/cnn-spec';
import { mlpData } from '../../problems/mlp-data';
import { outputLoss, type LossName } from '../../problems/mlp';
import type { NetOps } from '../../engine/net-ops';
import type { Objective, Params, Problem } from '../../types';
import { forwardCNN } from './cnn-forward';
import { tfjsCNNOps } from './cnn-ops';

export interface CNNObjective extends Objective {
  readonly kind: 'mlp';
  readonly n: number;
  /** The Jacobian products on this objective's images (Gauss–Newton, Böhning MM). */
  readonly net: NetOps;
}

export interface CNNProblem extends Problem<CNNObjective> {
  readonly kind: 'mlp';
  readonly shape: CNNShape;
  /** Classification accuracy on train or test data (TfjsProblem.accuracy reads it). */
  accuracy?(p: Params, which: 'train' | 'test'): tf.Scalar;
  /** The logits on images X (n × rows·cols): TfjsProblem.predict, the page's image views. */
  predict(p: Params, X: tf.Tensor2D): tf.Tensor2D;
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
    net: tfjsCNNOps({ X: Xs, Y: Ys, shape, activation, loss, l2 }),
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
