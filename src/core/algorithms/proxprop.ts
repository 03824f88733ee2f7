/**
 * ProxProp (Frerix, Möllenhoff, Moeller & Cremers, ICLR 2018): backpropagation with explicit
 * gradient steps on the nonlinear parts and implicit (proximal) steps on the linear layers.
 *
 * With one forward pass and one backward pass at θₖ, every linear layer z = ΘÃ (Θ = [Wᵀ | b],
 * Ã = [a; 1ᵀ] its input with a row of ones, n samples) gets the signal G_z = ∂f/∂z and moves to the
 * minimiser of the proximal problem
 *   (1/2n)‖ΘÃ − z̃‖² + (1/2τ)‖Θ − Θₖ‖²,   z̃ = ΘₖÃ − η·n·G_z   (an explicit step of η on z),
 * i.e.  Θ⁺ = Θₖ − η·G_zÃᵀ(ÃÃᵀ/n + I/τ)⁻¹ = Θₖ − η·∇_Θf·M⁻¹,  M = ÃÃᵀ/n + I/τ.
 * This is DESIGN.md's Θ⁺ = Θ − G_zÃᵀ(ÃÃᵀ + I/τ')⁻¹ written for the mean loss (G_z of the summed loss
 * n·f, τ' = τ/n, η = 1). τ → 0 gives back gradient descent with lr η·τ; τ → ∞ a whitened
 * (least-squares) step. The ridge penalty, when the problem has one, enters through ∇_Θf (an explicit
 * step preconditioned like the rest). M is (in + 1)² per layer, solved by Cholesky in float64.
 *
 * NOT a majorizer: its implied model g(θ) = f(θₖ) + ∇f·Δ + Σ_l tr(Δ_lᵀ M_l Δ_l)/(2η) (Δ_l = [ΔW_l; Δb_lᵀ])
 * is minimised by the step but proves nothing: `model()` is certified: false, and with a large η
 * (or τ) steps increase f, which the lab's surrogate check shows as g < f at the step's point.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { cholesky, cholSolveMany } from '../linalg';
import type { MLPObjective } from '../problems/mlp';
import type { Algorithm, Params, Surrogate } from '../types';
import { num, valueAndGrads } from './common';
import { asMLP } from './mm-shared';

export const proxpropHyper = z
  .object({
    /** η: the explicit step on the layer outputs z. */
    lr: z.number().gt(0, 'lr must be > 0').lte(100, 'lr must be ≤ 100').default(1),
    /** τ: the proximal step of the linear layers (τ → 0: gradient descent with lr η·τ). */
    tau: z.number().gt(0, 'tau must be > 0').lte(1e6, 'tau must be ≤ 1e6').default(10),
  })
  .strict();
export type ProxPropHyper = z.infer<typeof proxpropHyper>;

export type ProxPropState = { t: number };

const WHO = 'ProxProp';

interface LayerSystem {
  /** M_l = ÃÃᵀ/n + I/τ, (in+1)×(in+1), float64 row-major. */
  M: Float64Array;
  d: number;
  out: number;
}

/** f(θₖ), ∇f(θₖ) and the per-layer matrices M_l, at θₖ on this objective's data. */
function linearise(obj: MLPObjective, params: Params, tau: number): { f0: number; grads: tf.Tensor[]; layers: LayerSystem[] } {
  let f0 = NaN;
  const layers: LayerSystem[] = [];
  const grads = tf.tidy(() => {
    const { value, grads } = valueAndGrads(obj, params);
    f0 = num(value);
    const n = obj.n;
    obj.layerInputs(params).forEach((a, l) => {
      const A1 = tf.concat([a, tf.ones([a.shape[0], 1])], 1);
      // a plain matMul on an explicit transpose (tfjs-wasm's transposeA path is a slow generic loop)
      const gram = tf.matMul(tf.transpose(A1), A1).dataSync();
      const d = A1.shape[1] as number;
      const M = new Float64Array(d * d);
      for (let i = 0; i < d * d; i++) M[i] = gram[i] / n;
      for (let i = 0; i < d; i++) M[i * d + i] += 1 / tau;
      layers.push({ M, d, out: params[2 * l].shape[1]! });
    });
    return grads;
  });
  return { f0, grads, layers };
}

/** [ΔW; Δbᵀ] = M⁻¹[∇W; ∇bᵀ] per layer, as new (W, b)-shaped tensors scaled by η. */
function directions(grads: tf.Tensor[], layers: LayerSystem[], lr: number): tf.Tensor[] {
  return layers.flatMap(({ M, d, out }, l) => {
    const gW = grads[2 * l].dataSync();
    const gb = grads[2 * l + 1].dataSync();
    const B = new Float64Array(d * out);
    B.set(gW);
    B.set(gb, (d - 1) * out);
    const { L } = cholesky(M, d);
    const X = cholSolveMany(L, d, B, out);
    const step = Float32Array.from(X, (x) => lr * x);
    return [tf.tensor2d(step.subarray(0, (d - 1) * out), [d - 1, out]), tf.tensor1d(step.subarray((d - 1) * out))];
  });
}

export const proxprop: Algorithm<ProxPropHyper, ProxPropState> = {
  id: 'proxprop',
  label: 'ProxProp',
  family: 'gradient',
  problems: ['mlp'],
  hyper: proxpropHyper,
  summary:
    'Backprop with proximal (implicit) steps on the linear layers (Frerix et al., 2018): each layer moves by its gradient preconditioned with (ÃÃᵀ/n + I/τ)⁻¹, its input Gram matrix. Not a majorizer: large steps can increase f.',
  formula: String.raw`\Theta_l \leftarrow \Theta_l - \eta\, \nabla_{\Theta_l} f \left(\tfrac{1}{n}\tilde A_l \tilde A_l^\top + \tfrac{1}{\tau} I\right)^{-1},\quad \tilde A_l = \begin{bmatrix} a_{l-1} \\ \mathbf{1}^\top \end{bmatrix}`,
  init: () => ({ t: 0 }),
  step(objective, params, state, h) {
    const obj = asMLP(objective, WHO);
    const { f0, grads, layers } = linearise(obj, params, h.tau);
    try {
      const dirs = directions(grads, layers, h.lr);
      const next = tf.tidy(() => params.map((p, i) => tf.sub(p, dirs[i])));
      tf.dispose(dirs);
      return { params: next, state: { t: state.t + 1 }, info: { lossBefore: f0 } };
    } finally {
      tf.dispose(grads);
    }
  },
  model(objective, params, _state, h): Surrogate {
    const obj = asMLP(objective, WHO);
    const { f0, grads, layers } = linearise(obj, params, h.tau);
    const theta = params.map((p) => p.clone());
    const Ms = layers.map(({ M, d }) => tf.tensor2d(Float32Array.from(M), [d, d]));
    const dirs = directions(grads, layers, h.lr);
    const minimiser = tf.tidy(() => params.map((p, i) => tf.sub(p, dirs[i])));
    tf.dispose(dirs);
    const stacked = (p: Params, l: number): tf.Tensor2D =>
      tf.concat([tf.sub(p[2 * l], theta[2 * l]), tf.reshape(tf.sub(p[2 * l + 1], theta[2 * l + 1]), [1, -1])], 0) as tf.Tensor2D;
    return {
      certified: false,
      formula: 'f(θₖ) + ∇f·Δ + Σₗ Δₗᵀ(ÃₗÃₗᵀ/n + I/τ)Δₗ/(2η)  (not a majorizer)',
      minimiser,
      value: (p) =>
        f0 +
        tf.tidy(() => {
          const terms = layers.map((_, l) => {
            const D = stacked(p, l);
            const lin = tf.add(tf.sum(tf.mul(grads[2 * l], tf.sub(p[2 * l], theta[2 * l]))), tf.sum(tf.mul(grads[2 * l + 1], tf.sub(p[2 * l + 1], theta[2 * l + 1]))));
            const quad = tf.sum(tf.mul(D, tf.matMul(Ms[l], D)));
            return tf.add(lin, tf.div(quad, 2 * h.lr));
          });
          return num(tf.addN(terms));
        }),
      dispose: () => tf.dispose([...theta, ...Ms, ...minimiser, ...grads]),
    };
  },
};
