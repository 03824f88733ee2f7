/**
 * AGD — automatic gradient descent (Bernstein, Mingard, Huang, Azizan & Yue, "Automatic Gradient
 * Descent: Deep Learning without Hyperparameters", 2023, arXiv:2304.05187; Algorithm 1 and the authors'
 * PyTorch code github.com/jxbz/agd, agd.py). For an MLP with L weight matrices W_l (d_{l−1} → d_l):
 *   G = (1/L) Σ_l √(d_l/d_{l−1}) ‖∇_{W_l} f‖_F                    (gradient summary)
 *   η = log((1 + √(1 + 4G))/2)                                     (automatic step)
 *   W_l ← W_l − gain·(η/L)·√(d_l/d_{l−1})·∇_{W_l} f / ‖∇_{W_l} f‖_F
 * No learning rate: `gain` (default 1) is the reference code's only knob.
 *
 * Biases: the paper's networks have none and agd.py refuses them. Here biases are kept FIXED (never
 * updated): from the lab's θ₀ (zero biases) AGD trains a bias-free network, exactly the paper's setting;
 * after a switch from another algorithm the biases it learnt stay as they are.
 * Initialisation: the paper draws each W_l semi-orthogonal scaled by √(d_l/d_{l−1}) (its Prescription 1:
 * ‖W_l‖_* = √(d_l/d_{l−1})). AGD does not change θ₀ here; with the lab's Glorot init the weights' norms
 * are near, not at, that prescription (give `problem.init` for the paper's init).
 *
 * The majorizer (surrogate view): the paper's functional expansion (its Theorem "functional expansion",
 * under its Assumption "orthogonality of model linearisation error") gives f(θ + Δ) = f(θ) + ∇f·Δ +
 * mean_x Bregman_ℓ(f(x), Δf(x)); the Bregman term is ≤ ½·c_h‖Δf(x)‖² (c_h: the loss's curvature bound,
 * MLPOps.curvatureBound), and deep relative trust (its Lemma, proof by the layer recursion) bounds
 *   ‖Δh_l‖ ≤ λ_φ[(‖W_l‖_* + ‖ΔW_l‖_F)‖Δh_{l−1}‖ + ‖ΔW_l‖_F‖h_{l−1}(x)‖],  Δh_0 = 0,
 * (λ_φ = 1 for tanh/relu/linear, ¼ for sigmoid, 1 on the output layer; ‖·‖_* ≤ ‖·‖_F for ΔW). So
 *   g(θ|θₖ) = f(θₖ) + ∇f(θₖ)·Δ + ½c_h·mean_x ‖Δh_L(x)‖² + (l2/2)Σ‖ΔW_l‖²_F   (+∞ if Δ moves a bias).
 * With zero biases and Prescription 1 its Δ-term is at most ½c_h d_L(e^η − 1)² along AGD's step, and for
 * the paper's square loss (c_h = 1/d_L) that is the paper's Lemma "exponential majorisation",
 * f − ηG + ½(e^η − 1)², whose minimiser in η is the step above. It uses the actual norms ‖W_l‖_*
 * (power iteration, float64) and ‖h_{l−1}(x)‖, so it holds for any weights and biases — but only under the
 * orthogonality assumption, which nothing checks: `certified: false`.
 */
import type { EngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import { mlpLayout, requireMLP, type MLPOps } from '../engine/mlp-ops';
import type { StepContext, Vec } from '../engine/types';
import { layerOperatorNorms, sampleRowNorms } from './agd-bound';
import { agdSpec, type AGDHyper } from './agd-spec';

export type AGDState = { t: number };

/** √(d_l/d_{l−1}) of each layer (agd.py's singular_value: √(out/in)). */
export const layerScales = (sizes: readonly number[]): number[] => sizes.slice(1).map((out, l) => Math.sqrt(out / sizes[l]));

/** ‖∇_{W_l} f‖_F of each layer (biases masked out), through the engine's ops. */
function weightGradNorms({ ops, f }: StepContext, mlp: MLPOps, grad: Vec): number[] {
  const gw = ops.mul(grad, mlp.weightMask(grad));
  return Array.from({ length: mlp.sizes.length - 1 }, (_, l) => Math.sqrt(ops.sumSquares(f.block(gw, l))));
}

export interface AGDStep {
  f0: number;
  grad: Vec;
  G: number;
  eta: number;
  next: Vec;
}

/** One AGD step (pure). */
export function agdStep(c: StepContext, theta: Vec, h: AGDHyper): AGDStep {
  const { ops, f } = c;
  const mlp = requireMLP(f, 'AGD');
  const { value: f0, grad } = f.valueAndGrad(theta);
  const L = mlp.sizes.length - 1;
  const scales = layerScales(mlp.sizes);
  const norms = weightGradNorms(c, mlp, grad);
  const G = norms.reduce((s, n, l) => s + scales[l] * n, 0) / L;
  const eta = Math.log(0.5 * (1 + Math.sqrt(1 + 4 * G)));
  // agd.py: p −= (gain·log/depth)·nan_to_num(sv/‖∇p‖)·∇p in float32: one factor a_l per layer, 0 on biases.
  const c0 = Math.fround((h.gain * eta) / L);
  const { wOff, bOff, nParams } = mlpLayout(mlp.sizes);
  const factor = new Float32Array(nParams);
  norms.forEach((n, l) => {
    const q = Math.fround(Math.fround(scales[l]) / Math.fround(n));
    factor.fill(Number.isFinite(q) ? Math.fround(c0 * q) : 0, wOff[l], bOff[l]);
  });
  const next = ops.sub(theta, ops.mul(grad, ops.fromArray(theta, factor)));
  return { f0, grad, G, eta, next };
}

const FORMULA = 'g(θ|θₖ) = f(θₖ) + ∇f·Δ + ½c_h·mean‖Δf(x)‖² with deep relative trust bounding Δf (paper: f − ηG + ½(e^η − 1)²)';

/** The majorizer above (see the file comment) at θₖ, for the surrogate view. */
function agdModel(c: StepContext, theta: Vec): VecSurrogate {
  const { ops, f } = c;
  const mlp = requireMLP(f, 'AGD');
  const { value: f0, grad } = f.valueAndGrad(theta);
  const th = ops.keep(ops.clone(theta));
  const g = ops.keep(ops.clone(grad));
  const { wOff, bOff } = mlpLayout(mlp.sizes);
  const L = mlp.sizes.length - 1;
  const sigma = layerOperatorNorms(ops.toArray(theta), mlp.sizes);
  // ‖h_{l−1}(x)‖ per example and layer (h_0 = x).
  const hNorms = mlp.layerInputs(theta).map((a, l) => sampleRowNorms(a, mlp.sizes[l]));
  const lip = (l: number) => (l === L - 1 ? 1 : mlp.activation === 'sigmoid' ? 0.25 : 1);
  const ch = mlp.curvatureBound;
  return {
    certified: false,
    formula: `${FORMULA}; ‖W_l‖_* = ${sigma.map((s) => s.toPrecision(3)).join(', ')}; assumes the model's linearisation error ⟂ ∇ℓ (paper's Assumption)`,
    value: (p) =>
      ops.tidy(() => {
        const d = ops.sub(p, th);
        const arr = ops.toArray(d);
        const dW: number[] = [];
        for (let l = 0; l < L; l++) {
          for (let i = bOff[l]; i < bOff[l] + mlp.sizes[l + 1]; i++) if (arr[i] !== 0) return Infinity;
          let s = 0;
          for (let i = wOff[l]; i < bOff[l]; i++) s += arr[i] * arr[i];
          dW.push(Math.sqrt(s));
        }
        const n = hNorms[0].length;
        let mean = 0;
        for (let k = 0; k < n; k++) {
          let e = 0;
          for (let l = 0; l < L; l++) e = lip(l) * ((sigma[l] + dW[l]) * e + dW[l] * hNorms[l][k]);
          mean += (e * e) / n;
        }
        const ridge = (mlp.l2 / 2) * dW.reduce((s, x) => s + x * x, 0);
        return f0 + ops.dot(g, d) + 0.5 * ch * mean + ridge;
      }),
    dispose: () => ops.dispose([th, g]),
  };
}

export const agd: EngineAlgorithm<AGDHyper, AGDState> = {
  ...agdSpec,
  init: (c) => {
    requireMLP(c.f, 'AGD');
    return { t: 0 };
  },
  step(c, theta, state, h) {
    const s = agdStep(c, theta, h);
    return { theta: s.next, state: { t: state.t + 1 }, info: { lossBefore: s.f0, eta: s.eta, G: s.G } };
  },
  model: (c, theta) => c.ops.tidy(() => agdModel(c, theta)),
};
