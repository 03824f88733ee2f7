/**
 * Böhning–Lindsay MM: a fixed quadratic bound on the Hessian of the output layer's loss.
 *
 * Let X̃ = [A, 1] be the last layer's inputs with a column of ones (A = X for logistic / softmax
 * regression, hidden: []), S = X̃ᵀX̃/n, D = diag(1,…,1,0) (the ridge touches weights, not the bias, like
 * the problem's penalty and scikit-learn) and κ the optional extra damping. With Θ̃ = [W_L; b_L]:
 *   bce (ℓ″ ≤ ¼):      B = S/4 + l2·D + κI                           Θ̃ ← Θ̃ − B⁻¹G̃
 *   softmax_ce (K):    B = ½(I_K − 11ᵀ/K) ⊗ S + I_K ⊗ (l2·D + κI)     (Böhning 1992)
 *   mse (exact):       B = (2/K)·I_K ⊗ S + I_K ⊗ (l2·D + κI)          (Newton on the last layer)
 * and g(Θ̃|Θ̃ₖ) = f(θₖ) + ⟨G̃, Δ⟩ + ½ vec(Δ)ᵀ B vec(Δ) ≥ f globally in the last layer (the loss is convex
 * in Θ̃ with Hessian ≼ B everywhere), so the certificate is global — no line search is needed (one
 * evaluation of f(θ⁺) guards against float32 noise only; see step).
 *
 * Softmax without building the Kronecker product: split Δ = Δ⊥ + m1ᵀ (m = Δ1/K). Then
 * B·Δ = (½S + l2D + κI)Δ⊥ + (l2D + κI)m1ᵀ, so one (d+1)×(d+1) Cholesky factor of M = ½S + l2D + κI
 * serves all K columns and the mean direction is diagonal. With no ridge and K = 2 this is
 * Θ ← Θ − 2S⁻¹G, the binary step θ ← θ − 4S⁻¹g on the logit difference.
 *
 * Hidden layers: only the last layer moves (a block MM step; the surrogate is +∞ off that block), so
 * the features A — and the factor — do not change from step to step: S is built and factored once in
 * init (float64, in plain TS). The factor is rebuilt only if the objective's data changed (a mini-batch,
 * detected by the data tensor's id) or the hidden layers differ from those it was built for.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { cholesky, cholSolveMany, gram } from '../linalg';
import type { MLPObjective } from '../problems/mlp';
import type { Algorithm, Objective, Params, Surrogate } from '../types';
import { num } from './common';
import { asMLP, fSlack, layerBlock, lossAt, sameOutside, withBlock } from './mm-shared';

export const mmBohningHyper = z
  .object({
    /** Extra κ·I added to the bound (κ ≥ 0 keeps it a majorizer; shorter, safer steps). */
    damping: z.number().min(0, 'damping must be in [0, 1e4]').max(1e4, 'damping must be in [0, 1e4]').default(0),
  })
  .strict();
export type MMBohningHyper = z.infer<typeof mmBohningHyper>;

export type MMBohningState = {
  t: number;
  /** id of the data tensor X the factor was built for. */
  dataId: number;
  /** Copies of the hidden layers' parameters the features were computed with ([] for hidden: []). */
  hidden: tf.Tensor[];
  /** m = rows of Θ̃ (last layer's fan-in + 1), K = outputs. */
  m: number;
  K: number;
  /** Per-row curvature of the mean direction (softmax) / added diagonal: l2·D + κ (length m). */
  diag: number[];
  /** M (m×m row-major) and its lower Cholesky factor. */
  M: number[];
  chol: number[];
};

const WHO = 'Böhning MM';

interface Setup {
  m: number;
  K: number;
  diag: Float64Array;
  M: Float64Array;
  chol: Float64Array;
}

function curvatureScale(obj: MLPObjective): number {
  switch (obj.spec.loss) {
    case 'bce':
      return 0.25;
    case 'softmax_ce':
      return 0.5;
    case 'mse':
      return 2 / obj.spec.sizes[obj.spec.sizes.length - 1];
  }
}

function buildSetup(obj: MLPObjective, params: Params, h: MMBohningHyper): Setup {
  const nL = params.length / 2;
  const K = params[params.length - 1].shape[0];
  const feats = tf.tidy(() => {
    const inputs = obj.layerInputs(params);
    const A = inputs[nL - 1];
    return tf.concat([A, tf.ones([A.shape[0], 1])], 1);
  });
  const [n, m] = feats.shape as [number, number];
  const X = feats.dataSync();
  feats.dispose();
  const S = gram(X, n, m);
  const c = curvatureScale(obj);
  const l2 = obj.spec.l2;
  const diag = new Float64Array(m);
  for (let r = 0; r < m; r++) diag[r] = (r < m - 1 ? l2 : 0) + h.damping;
  const M = new Float64Array(m * m);
  for (let i = 0; i < m * m; i++) M[i] = (c * S[i]) / n;
  for (let r = 0; r < m; r++) M[r * m + r] += diag[r];
  const { L, jitter } = cholesky(M, m);
  if (jitter > 0) for (let r = 0; r < m; r++) M[r * m + r] += jitter; // factor and value use the same (larger) M
  return { m, K, diag, M, chol: L };
}

function stateSetup(state: MMBohningState): Setup {
  return {
    m: state.m,
    K: state.K,
    diag: Float64Array.from(state.diag),
    M: Float64Array.from(state.M),
    chol: Float64Array.from(state.chol),
  };
}

/** The state's factor when it still describes this objective and these hidden layers, else null. */
function validSetup(obj: MLPObjective, params: Params, state: MMBohningState): Setup | null {
  const W = params[params.length - 2];
  if (state.dataId !== obj.X.id || state.hidden.length !== params.length - 2) return null;
  if (state.m !== W.shape[0] + 1 || state.K !== W.shape[1]) return null;
  const hidden = params.slice(0, -2);
  if (hidden.some((p, i) => p.shape.join() !== state.hidden[i].shape.join())) return null;
  return sameOutside(hidden, state.hidden, []) ? stateSetup(state) : null;
}

function makeState(t: number, obj: MLPObjective, s: Setup, hidden: tf.Tensor[]): MMBohningState {
  return { t, dataId: obj.X.id, hidden, m: s.m, K: s.K, diag: Array.from(s.diag), M: Array.from(s.M), chol: Array.from(s.chol) };
}

/** Θ̃ = [W; b] (m×K row-major) from the last layer, or its gradient. */
function stack(W: tf.Tensor, b: tf.Tensor): Float64Array {
  return Float64Array.from([...W.dataSync(), ...b.dataSync()]);
}

/** Δ = −B⁻¹G̃ (m×K row-major). */
function solveStep(s: Setup, G: Float64Array, softmax: boolean): Float64Array {
  const { m, K } = s;
  if (!softmax) {
    const X = cholSolveMany(s.chol, m, G, K);
    return X.map((v) => -v);
  }
  const mean = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += G[r * K + k];
    mean[r] = sum / K;
  }
  const Gperp = G.map((v, i) => v - mean[Math.floor(i / K)]);
  const D = cholSolveMany(s.chol, m, Gperp, K);
  for (let r = 0; r < m; r++) {
    // The mean direction: curvature l2·D_r + κ only (the data term is invariant along Θ̃ + v1ᵀ).
    const dm = s.diag[r] > 0 ? -mean[r] / s.diag[r] : 0;
    for (let k = 0; k < K; k++) D[r * K + k] = -D[r * K + k] + dm;
  }
  return D;
}

/** ½ vec(Δ)ᵀ B vec(Δ) for Δ (m×K row-major). */
function halfQuad(s: Setup, D: Float64Array, softmax: boolean): number {
  const { m, K, M } = s;
  let q = 0;
  if (!softmax) {
    for (let k = 0; k < K; k++)
      for (let i = 0; i < m; i++) {
        let row = 0;
        for (let j = 0; j < m; j++) row += M[i * m + j] * D[j * K + k];
        q += D[i * K + k] * row;
      }
    return q / 2;
  }
  const mean = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += D[r * K + k];
    mean[r] = sum / K;
  }
  for (let k = 0; k < K; k++)
    for (let i = 0; i < m; i++) {
      let row = 0;
      for (let j = 0; j < m; j++) row += M[i * m + j] * (D[j * K + k] - mean[j]);
      q += (D[i * K + k] - mean[i]) * row;
    }
  for (let r = 0; r < m; r++) q += K * s.diag[r] * mean[r] * mean[r];
  return q / 2;
}

function lastLayerGrad(obj: Objective, params: Params): { f0: number; G: Float64Array } {
  const idx = layerBlock(params.length / 2 - 1);
  const { value, grads } = tf.tidy(() => {
    const r = tf.valueAndGrads((...b: tf.Tensor[]) => obj.loss(withBlock(params, idx, b)))(idx.map((i) => params[i]));
    return { value: r.value, grads: r.grads };
  });
  const f0 = num(value);
  const G = stack(grads[0], grads[1]);
  tf.dispose([value, ...grads]);
  return { f0, G };
}

function checkLoss(obj: MLPObjective): void {
  if (!['bce', 'softmax_ce', 'mse'].includes(obj.spec.loss)) throw new Error(`${WHO}: unsupported loss '${obj.spec.loss}'`);
}

function apply(params: Params, D: Float64Array): Params {
  const W = params[params.length - 2];
  const b = params[params.length - 1];
  const [din, K] = W.shape as [number, number];
  return tf.tidy(() => [
    ...params.slice(0, -2).map((p) => p.clone()),
    tf.add(W, tf.tensor2d(Float32Array.from(D.subarray(0, din * K)), [din, K])),
    tf.add(b, tf.tensor1d(Float32Array.from(D.subarray(din * K)))),
  ]);
}

export const mmBohning: Algorithm<MMBohningHyper, MMBohningState> = {
  id: 'mm-bohning',
  label: 'MM (Böhning–Lindsay)',
  family: 'mm',
  problems: ['mlp'],
  hyper: mmBohningHyper,
  summary:
    'Bound the Hessian of the logistic / softmax loss by a fixed matrix (¼XᵀX/n, resp. ½(I − 11ᵀ/K) ⊗ XᵀX/n) ' +
    'plus the ridge, factor it once and take θ ← θ − B⁻¹∇f: a global quadratic majorizer, monotone with no ' +
    'line search. With hidden layers it moves the last layer only (its features fixed).',
  formula: String.raw`g(\theta|\theta_k) = f(\theta_k) + \nabla f^\top\Delta + \tfrac12\Delta^\top B\Delta,\; B = \tfrac14\tilde X^\top\tilde X/n + \lambda D\ \big(\text{softmax: } \tfrac12(I-\tfrac{11^\top}{K})\otimes\tilde X^\top\tilde X/n\big),\; \theta_{k+1} = \theta_k - B^{-1}\nabla f`,
  init(params, h, objective) {
    const obj = asMLP(objective, WHO);
    checkLoss(obj);
    const s = buildSetup(obj, params, h);
    return makeState(0, obj, s, params.slice(0, -2).map((p) => p.clone()));
  },
  step(objective, params, state, h) {
    const obj = asMLP(objective, WHO);
    const cached = validSetup(obj, params, state);
    const s = cached ?? buildSetup(obj, params, h);
    const softmax = obj.spec.loss === 'softmax_ce';
    const { f0, G } = lastLayerGrad(obj, params);
    const D = solveStep(s, G, softmax);
    let next = apply(params, D);
    let gDotD = 0;
    for (let i = 0; i < G.length; i++) gDotD += G[i] * D[i];
    const predicted = f0 + gDotD + halfQuad(s, D, softmax);
    // Float32 guard: in exact arithmetic f(θ⁺) ≤ g(θ⁺|θₖ) always holds here. In float32, with nearly
    // collinear features (large, cancelling last-layer weights) the evaluation noise of f can exceed the
    // predicted decrease; such a step is refused (θ kept, accepted: false) instead of letting f creep up.
    const fNext = lossAt(obj, next);
    const accepted = Number.isFinite(fNext) && fNext <= predicted + fSlack(f0);
    if (!accepted) {
      tf.dispose(next);
      next = params.map((p) => p.clone());
    }
    const nextState = cached
      ? { ...state, t: state.t + 1 }
      : makeState(state.t + 1, obj, s, params.slice(0, -2).map((p) => p.clone()));
    return {
      params: next,
      state: nextState,
      info: { lossBefore: f0, lossAfter: accepted ? fNext : f0, surrogateAtNext: predicted, refactored: !cached, accepted },
    };
  },
  model(objective, params, state, h) {
    const obj = asMLP(objective, WHO);
    const cached = validSetup(obj, params, state);
    const s = cached ?? buildSetup(obj, params, h);
    const softmax = obj.spec.loss === 'softmax_ce';
    const { f0, G } = lastLayerGrad(obj, params);
    const D = solveStep(s, G, softmax);
    const idx = layerBlock(params.length / 2 - 1);
    const theta = params.map((p) => tf.keep(p.clone()));
    const minimiser = apply(params, D).map((t) => tf.keep(t));
    const nLayers = params.length / 2;
    const surrogate: Surrogate = {
      certified: true,
      formula:
        (softmax
          ? 'g(θ|θₖ) = f(θₖ) + ⟨G, Δ⟩ + ½vec(Δ)ᵀ[½(I − 11ᵀ/K) ⊗ X̃ᵀX̃/n + I ⊗ (λD + κI)]vec(Δ)'
          : obj.spec.loss === 'bce'
            ? 'g(θ|θₖ) = f(θₖ) + ∇f·Δ + ½Δᵀ(X̃ᵀX̃/(4n) + λD + κI)Δ'
            : 'g(θ|θₖ) = f(θₖ) + ∇f·Δ + ½Δᵀ[(2/K)I ⊗ X̃ᵀX̃/n + I ⊗ (λD + κI)]Δ (exact)') +
        (nLayers > 1 ? `; last layer only (X̃ = [a_${nLayers - 1}, 1]), +∞ if another layer moves; global bound` : '; global bound'),
      minimiser,
      path: (t) => tf.tidy(() => theta.map((th, i) => (idx.includes(i) ? tf.add(th, tf.mul(tf.sub(minimiser[i], th), t)) : th.clone()))),
      value: (p) => {
        if (!sameOutside(p, theta, idx)) return Infinity;
        const diff = tf.tidy(() => [tf.sub(p[idx[0]], theta[idx[0]]), tf.sub(p[idx[1]], theta[idx[1]])]);
        const Dp = stack(diff[0], diff[1]);
        tf.dispose(diff);
        let lin = 0;
        for (let i = 0; i < G.length; i++) lin += G[i] * Dp[i];
        return f0 + lin + halfQuad(s, Dp, softmax);
      },
      dispose: () => tf.dispose([...theta, ...minimiser]),
    };
    return surrogate;
  },
};
