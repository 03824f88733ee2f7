/**
 * The tfjs engine's CNN structure (engine/net-ops.ts) for Gauss–Newton and Böhning MM, over one CNN
 * objective's images X and targets Y (a mini-batch objective carries its own rows):
 *   J·v   forward mode by hand (cnn-forward.ts's jvpCNN: tfjs has no forward-mode autodiff);
 *   Jᵀu   one reverse pass: tf.grads of ⟨c(θ), u⟩;
 *   JᵀJ   example by example: its K Jacobian rows ∇θ c_ik (one reverse pass each; a CNN has P ≫ K, so
 *         n·K reverse passes beat P tangent passes), accumulated into the lower triangle in float64 —
 *         memory K·P (the direct path only: P ≤ maxDirect).
 * The outputs and features from cnn-forward.ts; the layout key, last layer and weight mask from
 * problems/cnn-config.ts, as the cpu engine's (engines/cpu/cnn-ops.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { curvatureBoundOf, inputsKey } from '../../engine/mlp-ops';
import type { NetLoss, NetOps } from '../../engine/net-ops';
import { cnnNetShape } from '../../problems/cnn-config';
import type { CNNShape } from '../../problems/cnn-spec';
import type { Activation } from '../../problems/mlp';
import { cnnFeatures, forwardCNN, jvpCNN } from './cnn-forward';
import { tensorsOf, tfjsVec } from './vector-ops';

export interface CNNNetData {
  X: tf.Tensor4D;
  /** n×K one-hot (softmax_ce), else n×1. */
  Y: tf.Tensor2D;
  shape: CNNShape;
  activation: Activation;
  loss: NetLoss;
  l2: number;
}

function take(t: tf.Tensor): Float64Array {
  const out = Float64Array.from(t.dataSync());
  t.dispose();
  return out;
}

/** NetOps.dataKey per image tensor (the full data's X lives as long as its problem). */
const keys = new WeakMap<tf.Tensor, number>();

export function tfjsCNNOps(d: CNNNetData): NetOps {
  const { X, Y, shape, activation } = d;
  const n = X.shape[0];
  const K = shape.dense[shape.dense.length - 1];
  const { layoutKey, lastLayer, weightMask } = cnnNetShape(shape);
  const P = weightMask.length;
  return {
    loss: d.loss,
    l2: d.l2,
    n,
    curvatureBound: curvatureBoundOf(d.loss, K),
    layoutKey,
    lastLayer,
    get dataKey() {
      let key = keys.get(X);
      if (key === undefined) keys.set(X, (key = inputsKey(X.dataSync(), n, shape.rows * shape.cols)));
      return key;
    },
    targets() {
      const y = Y.dataSync();
      if (Y.shape[1] === K) return Float64Array.from(y);
      const out = new Float64Array(n * K);
      for (let i = 0; i < n; i++) out.fill(y[i], i * K, (i + 1) * K);
      return out;
    },
    outputs: (theta) => take(forwardCNN(tensorsOf(theta), X, shape, activation)),
    lastLayerInputs: (theta) => take(cnnFeatures(tensorsOf(theta), X, shape, activation)),
    jvp: (theta, v) => take(jvpCNN(tensorsOf(theta), tensorsOf(v), X, shape, activation)),
    vjp(theta, u) {
      const ut = tf.tensor2d(Float32Array.from(u), [n, K]);
      try {
        return tfjsVec(tf.tidy(() => tf.grads((...p: tf.Tensor[]) => tf.sum(tf.mul(forwardCNN(p, X, shape, activation), ut)))(tensorsOf(theta))));
      } finally {
        ut.dispose();
      }
    },
    jacobianGram(theta, out) {
      const G = out ?? new Float64Array(P * P);
      if (G.length !== P * P) throw new Error(`jacobianGram: out must hold ${P}×${P} entries`);
      G.fill(0);
      const params = tensorsOf(theta);
      const J = new Float64Array(K * P);
      for (let i = 0; i < n; i++) {
        // Example i's K Jacobian rows ∇θ c_ik (one reverse pass each), folded into the lower triangle.
        for (let k = 0; k < K; k++) {
          const row = tf.tidy(() => {
            const Xi = tf.slice(X, [i, 0, 0, 0], [1, shape.rows, shape.cols, 1]);
            const grads = tf.grads((...p: tf.Tensor[]) => tf.sum(tf.slice(forwardCNN(p, Xi, shape, activation), [0, k], [1, 1])))(params);
            return tf.concat(grads.map((g) => tf.reshape(g, [-1])));
          });
          J.set(take(row), k * P);
        }
        for (let r = 0; r < K; r++)
          for (let p = 0; p < P; p++) {
            const jp = J[r * P + p];
            if (jp !== 0) for (let q = 0; q <= p; q++) G[p * P + q] += jp * J[r * P + q];
          }
      }
      for (let p = 0; p < P; p++) for (let q = 0; q < p; q++) G[q * P + p] = G[p * P + q];
      return G;
    },
    weightMask: (like) => tfjsVec(tensorsOf(like).map((t) => (t.shape.length > 1 ? tf.onesLike(t) : tf.zerosLike(t)))),
  };
}
