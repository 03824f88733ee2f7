/**
 * The tfjs engine's MLP structure (engine/mlp-ops.ts) over a core MLPObjective (problems/mlp.ts): the
 * outputs and layer inputs from the objective's own forward pass, and the network's Jacobian products
 * built by hand, because tfjs has no forward-mode autodiff and no nested gradients. A mini-batch
 * objective carries its own rows (X, Y), so its MLPOps describe that batch.
 *
 * The Jacobian J = ∂c/∂θ (c(θ) = outputs on the data, n×K) follows forwardMLP exactly: z_l =
 * a_{l−1}W_l + b_l, a_l = σ(z_l) for hidden layers, outputs z_L. σ′ is read off the activation a = σ(z):
 * tanh 1 − a², sigmoid a(1 − a), relu [a > 0], linear 1. tests/mm-gauss-newton.test.ts checks J·v and
 * Jᵀu against each other and JᵀJ against ‖Jv‖²; tests/engine-structured.test.ts checks them against the
 * cpu engine's float64 loops.
 */
import * as tf from '@tensorflow/tfjs';
import { inputsKey, mlpNetShape, type MLPOps } from '../../engine/mlp-ops';
import type { Vec } from '../../engine/types';
import type { MLPObjective } from '../../problems/mlp';
import type { Params } from '../../types';
import { tensorsOf, tfjsVec } from './vector-ops';

/** σ′ in terms of the output a = σ(z) (relu′(0) = 0); also the CNN's tangent pass (cnn-forward.ts). */
export function activationDerivative<T extends tf.Tensor>(a: T, activation: MLPObjective['spec']['activation']): T {
  switch (activation) {
    case 'tanh':
      return tf.sub(1, tf.square(a));
    case 'sigmoid':
      return tf.mul(a, tf.sub(1, a));
    case 'relu':
      return tf.cast(tf.greater(a, 0), 'float32') as T;
    case 'linear':
      return tf.onesLike(a);
  }
}

/** J·v: directional derivative of the outputs (n×K) along v (forward-mode, one pass). */
export function jvp(obj: MLPObjective, params: Params, v: tf.Tensor[]): tf.Tensor2D {
  return tf.tidy(() => {
    const L = params.length / 2;
    const inputs = obj.layerInputs(params);
    let zdot: tf.Tensor2D | null = null;
    for (let l = 0; l < L; l++) {
      const W = params[2 * l] as tf.Tensor2D;
      let term = tf.add(tf.matMul(inputs[l], v[2 * l] as tf.Tensor2D), v[2 * l + 1]) as tf.Tensor2D;
      if (zdot) {
        const adot = tf.mul(activationDerivative(inputs[l], obj.spec.activation), zdot) as tf.Tensor2D;
        term = tf.add(term, tf.matMul(adot, W));
      }
      zdot = term;
    }
    return zdot!;
  });
}

/** Jᵀ·u for u shaped like the outputs (n×K): one reverse pass (tf.grads of ⟨c(θ), u⟩). */
export function vjp(obj: MLPObjective, params: Params, u: tf.Tensor2D): tf.Tensor[] {
  return tf.tidy(() => tf.grads((...p: tf.Tensor[]) => tf.sum(tf.mul(obj.forward(p), u)))(params));
}

/**
 * Σ_k J_kᵀJ_k (P×P, P = number of parameters), where J_k (n×P) holds the per-example gradients of
 * output k: for layer l, ∂z_k/∂W_l = a_{l−1} ⊗ δ_l and ∂z_k/∂b_l = δ_l, with δ_L = e_k and
 * δ_{l−1} = (δ_l W_lᵀ) ⊙ σ′(a_{l−1}). Per output k one n×P block is built; J_kᵀJ_k is accumulated in
 * float64 in JS when n·P² ≤ 2·10⁷, else multiplied by the backend in float32 (the acceptance test
 * certifies whatever matrix the model uses).
 */
export function jacobianGram(obj: MLPObjective, params: Params): { G: Float64Array; P: number } {
  const P = params.reduce((s, p) => s + p.size, 0);
  const K = params[params.length - 1].shape[0];
  const n = obj.n;
  const G = new Float64Array(P * P);
  const L = params.length / 2;
  const inputs = obj.layerInputs(params);
  try {
    for (let k = 0; k < K; k++) {
      const Jk = tf.tidy(() => {
        const blocks: tf.Tensor2D[] = new Array(params.length);
        let delta = tf.tile(tf.tensor2d([Array.from({ length: K }, (_, j) => (j === k ? 1 : 0))], [1, K]), [n, 1]) as tf.Tensor2D;
        for (let l = L - 1; l >= 0; l--) {
          const a = inputs[l];
          const [din, dout] = [a.shape[1], delta.shape[1]];
          blocks[2 * l] = tf.reshape(tf.mul(tf.expandDims(a, 2), tf.expandDims(delta, 1)), [n, din * dout]) as tf.Tensor2D;
          blocks[2 * l + 1] = delta;
          if (l > 0) delta = tf.mul(tf.matMul(delta, params[2 * l] as tf.Tensor2D, false, true), activationDerivative(a, obj.spec.activation)) as tf.Tensor2D;
        }
        return tf.concat(blocks, 1);
      });
      if (n * P * P > 2e7) {
        // Large: let the backend multiply (float32; the GPU backends do this far faster than JS).
        const JtJ = tf.tidy(() => tf.matMul(Jk, Jk, true, false));
        Jk.dispose();
        const v = JtJ.dataSync();
        for (let p = 0; p < P; p++) for (let q = 0; q <= p; q++) G[p * P + q] += v[p * P + q];
        JtJ.dispose();
        continue;
      }
      const J = Jk.dataSync();
      Jk.dispose();
      // G += JᵀJ (float64 accumulation, lower triangle then mirrored).
      for (let i = 0; i < n; i++) {
        const o = i * P;
        for (let p = 0; p < P; p++) {
          const jp = J[o + p];
          if (jp === 0) continue;
          const row = p * P;
          for (let q = 0; q <= p; q++) G[row + q] += jp * J[o + q];
        }
      }
    }
  } finally {
    tf.dispose(inputs);
  }
  for (let p = 0; p < P; p++) for (let q = 0; q < p; q++) G[q * P + p] = G[p * P + q];
  return { G, P };
}

/** A tensor's values as a fresh Float64Array (the tensor is disposed). */
function take(t: tf.Tensor): Float64Array {
  const out = Float64Array.from(t.dataSync());
  t.dispose();
  return out;
}

/** MLPOps.dataKey per input tensor (the full data's X lives as long as its problem). */
const keys = new WeakMap<tf.Tensor, number>();

/** The MLP structure of `obj` on the tfjs engine (cheap to build: everything is computed on demand). */
export function tfjsMLPOps(obj: MLPObjective): MLPOps {
  const { spec } = obj;
  const K = spec.sizes[spec.sizes.length - 1];
  return {
    sizes: spec.sizes,
    activation: spec.activation,
    loss: spec.loss,
    l2: spec.l2,
    n: obj.n,
    curvatureBound: obj.curvatureBound,
    ...mlpNetShape(spec.sizes),
    get dataKey() {
      let key = keys.get(obj.X);
      if (key === undefined) {
        key = inputsKey(obj.X.dataSync(), obj.n, spec.sizes[0]);
        keys.set(obj.X, key);
      }
      return key;
    },
    targets() {
      const Y = obj.Y.dataSync();
      const cols = obj.Y.shape[1];
      if (cols === K) return Float64Array.from(Y);
      const out = new Float64Array(obj.n * K);
      for (let i = 0; i < obj.n; i++) for (let k = 0; k < K; k++) out[i * K + k] = Y[i * cols];
      return out;
    },
    outputs: (theta) => take(tf.tidy(() => obj.forward(tensorsOf(theta)))),
    layerInputs: (theta) => tf.tidy(() => obj.layerInputs(tensorsOf(theta))).map(take),
    lastLayerInputs: (theta) => take(tf.tidy(() => obj.layerInputs(tensorsOf(theta)).slice(-1)[0])),
    inputGrams: (theta) =>
      tf.tidy(() =>
        obj.layerInputs(tensorsOf(theta)).map((a) => {
          const A1 = tf.concat([a, tf.ones([a.shape[0], 1])], 1);
          // a plain matMul on an explicit transpose (tfjs-wasm's transposeA path is a slow generic loop)
          return tf.matMul(tf.transpose(A1), A1);
        }),
      ).map(take),
    jvp: (theta, v) => take(jvp(obj, tensorsOf(theta), tensorsOf(v))),
    vjp(theta, u) {
      const ut = tf.tensor2d(Float32Array.from(u), [obj.n, K]);
      try {
        return tfjsVec(vjp(obj, tensorsOf(theta), ut));
      } finally {
        ut.dispose();
      }
    },
    jacobianGram(theta, out) {
      const { G } = jacobianGram(obj, tensorsOf(theta));
      if (!out) return G;
      out.set(G);
      return out;
    },
    weightMask: (like: Vec) => tfjsVec(tensorsOf(like).map((t, i) => (i % 2 === 0 ? tf.onesLike(t) : tf.zerosLike(t)))),
  };
}
