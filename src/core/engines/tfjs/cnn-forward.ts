/**
 * The CNN on tfjs tensors (problems/cnn-spec.ts): tf.conv2d (stride 1, 'valid'), the problem's
 * activation, tf.maxPool (p×p, stride p, 'valid' = floor), flattened NHWC into the dense stack — and its
 * tangent (J·v, forward mode, which tfjs's autodiff lacks). A convolution is bilinear in (input, kernel):
 *   ż = conv(ȧ, K) + conv(a, V_K) + v_c,   ȧ′ = σ′(a′) ⊙ ż   (σ′ read off the output: relu′(0) = 0),
 * and the max-pool passes on each window's tangent at its argmax — tf.argMax over the window's p² entries
 * in (dy, dx) order, the first on ties, as the cpu engine's pool (engines/cpu/cnn-net.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { CNNShape, ConvShape } from '../../problems/cnn-spec';
import type { Activation } from '../../problems/mlp';
import type { Params } from '../../types';
import { activationDerivative } from './mlp-ops';

export function act(z: tf.Tensor, a: Activation): tf.Tensor {
  return a === 'tanh' ? tf.tanh(z) : a === 'relu' ? tf.relu(z) : a === 'sigmoid' ? tf.sigmoid(z) : z;
}

/** The last dense layer's inputs (n × dense[L−1]) of images X (n×rows×cols×1). */
export function cnnFeatures(p: Params, X: tf.Tensor4D, shape: CNNShape, activation: Activation): tf.Tensor2D {
  return tf.tidy(() => {
    let a: tf.Tensor4D = X;
    shape.convs.forEach((c, b) => {
      const z = tf.add(tf.conv2d(a, p[2 * b] as tf.Tensor4D, 1, 'valid'), p[2 * b + 1]) as tf.Tensor4D;
      a = act(z, activation) as tf.Tensor4D;
      if (c.pool > 1) a = tf.maxPool(a, c.pool, c.pool, 'valid');
    });
    let h = tf.reshape(a, [X.shape[0], shape.dense[0]]) as tf.Tensor2D;
    const nc = shape.convs.length;
    for (let l = 0; l < shape.dense.length - 2; l++)
      h = act(tf.add(tf.matMul(h, p[2 * (nc + l)] as tf.Tensor2D), p[2 * (nc + l) + 1]), activation) as tf.Tensor2D;
    return h;
  });
}

/** The logits (n×K) of images X (n×rows×cols×1). */
export function forwardCNN(p: Params, X: tf.Tensor4D, shape: CNNShape, activation: Activation): tf.Tensor2D {
  return tf.tidy(() => {
    const last = p.length - 2;
    return tf.add(tf.matMul(cnnFeatures(p, X, shape, activation), p[last] as tf.Tensor2D), p[last + 1]) as tf.Tensor2D;
  });
}

/** The p×p windows of a (n×H×W×F, the partial last window dropped) as n×ph×pw×F×p². */
function windows(a: tf.Tensor4D, c: ConvShape): tf.Tensor {
  const n = a.shape[0];
  const p = c.pool;
  const crop = tf.slice(a, [0, 0, 0, 0], [n, c.poolH * p, c.poolW * p, c.filters]);
  const w = tf.reshape(crop, [n, c.poolH, p, c.poolW, p, c.filters]);
  return tf.reshape(tf.transpose(w, [0, 1, 3, 5, 2, 4]), [n, c.poolH, c.poolW, c.filters, p * p]);
}

/** J·v: the logits' tangent along v (n×K). */
export function jvpCNN(p: Params, v: Params, X: tf.Tensor4D, shape: CNNShape, activation: Activation): tf.Tensor2D {
  return tf.tidy(() => {
    let a: tf.Tensor4D = X;
    let ta: tf.Tensor4D | null = null;
    shape.convs.forEach((c, b) => {
      const K = p[2 * b] as tf.Tensor4D;
      let tz = tf.add(tf.conv2d(a, v[2 * b] as tf.Tensor4D, 1, 'valid'), v[2 * b + 1]) as tf.Tensor4D;
      if (ta) tz = tf.add(tz, tf.conv2d(ta, K, 1, 'valid'));
      a = act(tf.add(tf.conv2d(a, K, 1, 'valid'), p[2 * b + 1]), activation) as tf.Tensor4D;
      tz = tf.mul(tz, activationDerivative(a, activation)) as tf.Tensor4D;
      if (c.pool > 1) {
        const pick = tf.oneHot(tf.argMax(windows(a, c), -1), c.pool * c.pool).toFloat();
        ta = tf.sum(tf.mul(windows(tz, c), pick), -1) as tf.Tensor4D;
        a = tf.maxPool(a, c.pool, c.pool, 'valid');
      } else ta = tz;
    });
    const n = X.shape[0];
    let h = tf.reshape(a, [n, shape.dense[0]]) as tf.Tensor2D;
    let th = ta ? (tf.reshape(ta, [n, shape.dense[0]]) as tf.Tensor2D) : null;
    const nc = shape.convs.length;
    const L = shape.dense.length - 1;
    for (let l = 0; l < L; l++) {
      const W = p[2 * (nc + l)] as tf.Tensor2D;
      let tz = tf.add(tf.matMul(h, v[2 * (nc + l)] as tf.Tensor2D), v[2 * (nc + l) + 1]) as tf.Tensor2D;
      if (th) tz = tf.add(tz, tf.matMul(th, W));
      if (l < L - 1) {
        h = act(tf.add(tf.matMul(h, W), p[2 * (nc + l) + 1]), activation) as tf.Tensor2D;
        tz = tf.mul(tz, activationDerivative(h, activation)) as tf.Tensor2D;
      }
      th = tz;
    }
    return th!;
  });
}
