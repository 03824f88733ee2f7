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
 * step preconditioned like the rest). M is (in + 1)² per layer, solved by Cholesky in float64; ÃÃᵀ is
 * the engine's MLPOps.inputGrams (tfjs: a matMul on its backend; cpu: float64 loops), and the layer
 * blocks of ∇f are contiguous in θ's layout order ([W_l (in×out row-major), b_l] = [∇W; ∇bᵀ]).
 *
 * NOT a majorizer: its implied model g(θ) = f(θₖ) + ∇f·Δ + Σ_l tr(Δ_lᵀ M_l Δ_l)/(2η) (Δ_l = [ΔW_l; Δb_lᵀ])
 * is minimised by the step but proves nothing: `model()` is certified: false, and with a large η
 * (or τ) steps increase f, which the lab's surrogate check shows as g < f at the step's point.
 */
import type { EngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import { mlpLayout, requireMLP } from '../engine/mlp-ops';
import type { StepContext, Vec } from '../engine/types';
import { cholesky, cholSolveMany } from '../linalg';
import { proxpropSpec, type ProxPropHyper } from './proxprop-spec';

export type ProxPropState = { t: number };

const WHO = 'ProxProp';

interface LayerSystem {
  /** M_l = ÃÃᵀ/n + I/τ, (in+1)×(in+1), float64 row-major. */
  M: Float64Array;
  d: number;
  out: number;
  /** [start, end) of layer l's (W_l, b_l) in θ's layout order. */
  start: number;
  end: number;
}

/** f(θₖ), ∇f(θₖ) (in θ's layout order) and the per-layer matrices M_l, at θₖ on this objective's data. */
function linearise({ ops, f }: StepContext, theta: Vec, tau: number): { f0: number; grad: Float32Array; layers: LayerSystem[] } {
  const mlp = requireMLP(f, WHO);
  const { value, grad } = f.valueAndGrad(theta);
  const n = mlp.n;
  const { wOff, bOff } = mlpLayout(mlp.sizes);
  const layers = mlp.inputGrams(theta).map((gram, l): LayerSystem => {
    const d = mlp.sizes[l] + 1;
    const out = mlp.sizes[l + 1];
    const M = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) M[i] = gram[i] / n;
    for (let i = 0; i < d; i++) M[i * d + i] += 1 / tau;
    return { M, d, out, start: wOff[l], end: bOff[l] + out };
  });
  return { f0: value, grad: ops.toArray(grad), layers };
}

/** η·[ΔW; Δbᵀ] = η·M⁻¹[∇W; ∇bᵀ] per layer, in θ's layout order (float64). */
function directions(grad: Float32Array, layers: LayerSystem[], lr: number): Float64Array {
  const step = new Float64Array(grad.length);
  for (const { M, d, out, start, end } of layers) {
    const { L } = cholesky(M, d);
    const X = cholSolveMany(L, d, grad.subarray(start, end), out);
    for (let i = 0; i < X.length; i++) step[start + i] = lr * X[i];
  }
  return step;
}

export const proxprop: EngineAlgorithm<ProxPropHyper, ProxPropState> = {
  ...proxpropSpec,
  init: () => ({ t: 0 }),
  step(c, theta, state, h) {
    const { f0, grad, layers } = linearise(c, theta, h.tau);
    const step = directions(grad, layers, h.lr);
    return { theta: c.ops.sub(theta, c.ops.fromArray(theta, step)), state: { t: state.t + 1 }, info: { lossBefore: f0 } };
  },
  model(c, theta, _state, h): VecSurrogate {
    const { ops } = c;
    const { f0, grad, layers } = ops.tidy(() => linearise(c, theta, h.tau));
    const thetaK = ops.keep(ops.clone(theta));
    const step = directions(grad, layers, h.lr);
    const minimiser = ops.keep(ops.tidy(() => ops.sub(thetaK, ops.fromArray(thetaK, step))));
    return {
      certified: false,
      formula: 'f(θₖ) + ∇f·Δ + Σₗ Δₗᵀ(ÃₗÃₗᵀ/n + I/τ)Δₗ/(2η)  (not a majorizer)',
      minimiser,
      value: (p) => {
        const D = ops.tidy(() => ops.toArray(ops.sub(p, thetaK)));
        let total = 0;
        for (const { M, d, out, start } of layers) {
          // ∇_l f·Δ_l + tr(Δ_lᵀ M_l Δ_l)/(2η), Δ_l = [ΔW_l; Δb_lᵀ] (d×out row-major at `start`)
          let lin = 0;
          let quad = 0;
          for (let i = 0; i < d; i++)
            for (let j = 0; j < out; j++) {
              const dij = D[start + i * out + j];
              lin += grad[start + i * out + j] * dij;
              let row = 0;
              for (let k = 0; k < d; k++) row += M[i * d + k] * D[start + k * out + j];
              quad += dij * row;
            }
          total += lin + quad / (2 * h.lr);
        }
        return f0 + total;
      },
      dispose: () => ops.dispose([thetaK, minimiser]),
    };
  },
};
