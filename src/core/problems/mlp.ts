/**
 * Multi-layer perceptron risk f(θ) = h(c(θ)) + penalty: c maps the parameters to the network's outputs
 * on the data, h is a convex loss of those outputs. Logistic and softmax regression are the MLP with no
 * hidden layer. Parameters are [W1, b1, …, WL, bL] with Wl stored [in, out] and bl [out].
 */
import * as tf from '@tensorflow/tfjs';
import type { Objective, Params, Problem } from '../types';

import type { Activation, LossName } from './mlp-spec';
import { glorotUniform, type LayerInit, type MLPData } from './mlp-data';

export { ACTIVATIONS, LOSSES, type Activation, type LossName } from './mlp-spec';
export { glorotUniform, type LayerInit, type MLPData } from './mlp-data';

export interface MLPSpec {
  /** Full layer sizes, input to output, e.g. [2, 8, 8, 1]. */
  sizes: number[];
  activation: Activation;
  loss: LossName;
  /** Ridge penalty (l2/2)·Σ‖W‖² on the weights (not the biases), as scikit-learn's LogisticRegression. */
  l2: number;
}


/** The structure that MM algorithms exploit: data, forward map c and outer loss h. */
export interface MLPObjective extends Objective {
  readonly kind: 'mlp';
  readonly spec: MLPSpec;
  readonly X: tf.Tensor2D;
  /** Targets shaped like the outputs: [n, 1] for bce/mse, one-hot [n, K] for softmax_ce. */
  readonly Y: tf.Tensor2D;
  readonly n: number;
  /** Network outputs (logits for the cross-entropies) on this objective's data. */
  forward(p: Params): tf.Tensor2D;
  /** Hidden activations a_0 = X, a_1, …, a_{L-1} (the inputs of each linear layer). */
  layerInputs(p: Params): tf.Tensor2D[];
  /** h(z): mean loss of outputs z against Y (no penalty). */
  outputLoss(z: tf.Tensor2D): tf.Scalar;
  /** (l2/2)·Σ‖W‖². */
  penalty(p: Params): tf.Scalar;
  /** Upper bound on h''(z) per output coordinate scaled by n (bce: 1/4, softmax: 1/2, mse: 2). */
  readonly curvatureBound: number;
}

export interface MLPProblem extends Problem<MLPObjective> {
  readonly kind: 'mlp';
  readonly spec: MLPSpec;
  /** Outputs for arbitrary inputs (decision-boundary heatmaps). */
  predict(p: Params, X: tf.Tensor2D): tf.Tensor2D;
  /** Classification accuracy on train or test data (classification losses only). */
  accuracy?(p: Params, which: 'train' | 'test'): tf.Scalar;
}

function activate(z: tf.Tensor2D, a: Activation): tf.Tensor2D {
  switch (a) {
    case 'tanh':
      return tf.tanh(z);
    case 'relu':
      return tf.relu(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'linear':
      return z;
  }
}

export function forwardMLP(p: Params, X: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  let a: tf.Tensor2D = X;
  const L = p.length / 2;
  for (let l = 0; l < L; l++) {
    const z = tf.add(tf.matMul(a, p[2 * l] as tf.Tensor2D), p[2 * l + 1]) as tf.Tensor2D;
    a = l < L - 1 ? activate(z, activation) : z;
  }
  return a;
}

/** Mean loss h(z) of outputs z against targets Y (torch's reduction='mean' conventions). */
export function outputLoss(z: tf.Tensor2D, Y: tf.Tensor2D, loss: LossName): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case 'bce':
        // torch BCEWithLogitsLoss: max(z,0) − z·y + log(1 + e^{−|z|}), averaged.
        return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, Y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))) as tf.Scalar;
      case 'softmax_ce':
        // torch CrossEntropyLoss: logsumexp(z) − z_y, averaged over examples.
        return tf.mean(tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(z, Y), 1))) as tf.Scalar;
      case 'mse':
        // torch MSELoss: mean of squared errors over all entries.
        return tf.mean(tf.square(tf.sub(z, Y))) as tf.Scalar;
    }
  });
}

function targets(y: number[], loss: LossName, outDim: number): tf.Tensor2D {
  if (loss === 'softmax_ce') return tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), outDim).toFloat() as tf.Tensor2D);
  return tf.tensor2d(y, [y.length, 1]);
}

function makeObjective(spec: MLPSpec, X: tf.Tensor2D, Y: tf.Tensor2D): MLPObjective {
  const L = spec.sizes.length - 1;
  const obj: MLPObjective = {
    kind: 'mlp',
    spec,
    X,
    Y,
    n: X.shape[0],
    curvatureBound: spec.loss === 'bce' ? 0.25 : spec.loss === 'softmax_ce' ? 0.5 : 2 / spec.sizes[L],
    forward: (p) => forwardMLP(p, X, spec.activation),
    layerInputs: (p) =>
      tf.tidy(() => {
        const inputs: tf.Tensor2D[] = [X.clone()];
        let a: tf.Tensor2D = X;
        for (let l = 0; l < L - 1; l++) {
          a = activate(tf.add(tf.matMul(a, p[2 * l] as tf.Tensor2D), p[2 * l + 1]) as tf.Tensor2D, spec.activation);
          inputs.push(a);
        }
        return inputs;
      }),
    outputLoss: (z) => outputLoss(z, Y, spec.loss),
    penalty: (p) =>
      tf.tidy(() => {
        if (spec.l2 === 0) return tf.scalar(0);
        let s: tf.Scalar = tf.scalar(0);
        for (let l = 0; l < L; l++) s = tf.add(s, tf.sum(tf.square(p[2 * l])));
        return tf.mul(s, spec.l2 / 2) as tf.Scalar;
      }),
    loss: (p) =>
      tf.tidy(() => {
        const data = outputLoss(forwardMLP(p, X, spec.activation), Y, spec.loss);
        return spec.l2 === 0 ? data : (tf.add(data, obj.penalty(p)) as tf.Scalar);
      }),
  };
  return obj;
}

export interface MLPInit {
  seed: number;
  /** Explicit initial layers (replaces the seeded Glorot-uniform draw). */
  layers?: LayerInit[];
}

export function buildMLP(spec: MLPSpec, data: MLPData, init: MLPInit): MLPProblem {
  const L = spec.sizes.length - 1;
  const outDim = spec.sizes[L];
  const X = tf.tensor2d(data.X, [data.X.length, spec.sizes[0]]);
  const Y = targets(data.y, spec.loss, outDim);
  const hasTest = !!data.Xtest && data.Xtest.length > 0 && !!data.ytest;
  const Xt = hasTest ? tf.tensor2d(data.Xtest!, [data.Xtest!.length, spec.sizes[0]]) : null;
  const Yt = hasTest ? targets(data.ytest!, spec.loss, outDim) : null;
  const layers = init.layers ?? glorotUniform(spec.sizes, init.seed);
  const full = makeObjective(spec, X, Y);
  const paramNames = Array.from({ length: L }, (_, l) => [`W${l + 1}`, `b${l + 1}`]).flat();

  const accuracyOn = (p: Params, Xs: tf.Tensor2D, Ys: tf.Tensor2D): tf.Scalar =>
    tf.tidy(() => {
      const z = forwardMLP(p, Xs, spec.activation);
      if (spec.loss === 'softmax_ce') return tf.mean(tf.equal(tf.argMax(z, 1), tf.argMax(Ys, 1)).toFloat()) as tf.Scalar;
      return tf.mean(tf.equal(tf.greater(z, 0), tf.greater(Ys, 0.5)).toFloat()) as tf.Scalar;
    });

  return {
    kind: 'mlp',
    spec,
    full,
    nTrain: data.X.length,
    paramNames,
    batch(indices) {
      const idx = tf.tensor1d(indices, 'int32');
      const Xb = tf.gather(X, idx) as tf.Tensor2D;
      const Yb = tf.gather(Y, idx) as tf.Tensor2D;
      idx.dispose();
      return Object.assign(makeObjective(spec, Xb, Yb), { dispose: () => tf.dispose([Xb, Yb]) });
    },
    testLoss: Xt && Yt ? (p) => outputLoss(forwardMLP(p, Xt, spec.activation), Yt, spec.loss) : undefined,
    accuracy:
      spec.loss === 'mse'
        ? undefined
        : (p, which) => (which === 'train' || !Xt || !Yt ? accuracyOn(p, X, Y) : accuracyOn(p, Xt, Yt)),
    predict: (p, Xs) => forwardMLP(p, Xs, spec.activation),
    initialParams: () =>
      layers.flatMap((layer, l) => [
        tf.tensor2d(layer.W, [spec.sizes[l], spec.sizes[l + 1]]),
        tf.tensor1d(layer.b),
      ]),
    dispose: () => tf.dispose([X, Y, ...(Xt ? [Xt] : []), ...(Yt ? [Yt] : [])]),
  };
}
