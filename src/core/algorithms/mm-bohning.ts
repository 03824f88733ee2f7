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
 * init (float64, in plain TS). The factor is rebuilt only if the objective's inputs changed (a mini-batch,
 * detected by NetOps.dataKey, a fingerprint of X's rows) or the hidden layers differ from those it was
 * built for. The factor lives in the state as plain number arrays (states are serialised and move
 * between engines); the features come from the engine's NetOps.lastLayerInputs (engine/net-ops.ts), so
 * the same step runs on a CNN: its last dense layer on the features of the convolutions and hidden
 * layers (the "Böhning on the last layer of image nets").
 */
import type { EngineAlgorithm, VecSurrogate } from '../engine/algorithm';
import { requireNet, type NetOps } from '../engine/net-ops';
import type { StepContext, Vec } from '../engine/types';
import { cholesky, cholSolveMany, gram } from '../linalg';
import { fSlack } from './lipschitz';
import { mmBohningSpec, type MMBohningHyper } from './mm-bohning-spec';

export type MMBohningState = {
  t: number;
  /** NetOps.dataKey of the inputs X the factor was built for. */
  dataKey: number;
  /** NetOps.layoutKey of the network the factor was built for (an MLP: its layer sizes). */
  sizes: number[];
  /** A copy of θ when the factor was built: its hidden layers computed the features (null for hidden: []). */
  hidden: Vec | null;
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

function buildSetup(net: NetOps, theta: Vec, h: MMBohningHyper): Setup {
  const { inputs: d, outputs: K } = net.lastLayer;
  const A = net.lastLayerInputs(theta);
  const n = net.n;
  const m = d + 1;
  const X = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) X[i * m + k] = A[i * d + k];
    X[i * m + d] = 1;
  }
  const S = gram(X, n, m);
  const c = net.curvatureBound; // ¼ (bce), ½ (softmax), 2/K (mse)
  const l2 = net.l2;
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

/** θ equals `ref` on every block but the last (the hidden layers): compared exactly. */
function sameHidden({ ops, f }: StepContext, theta: Vec, ref: Vec): boolean {
  const last = f.blocks - 1;
  return ops.tidy(() => ops.distance1(f.withBlock(theta, last, f.block(ref, last)), ref)) === 0;
}

/** The state's factor when it still describes this objective and these hidden layers, else null. */
function validSetup(c: StepContext, net: NetOps, theta: Vec, state: MMBohningState): Setup | null {
  const sizes = net.layoutKey;
  if (state.dataKey !== net.dataKey || state.sizes.length !== sizes.length || state.sizes.some((s, i) => s !== sizes[i])) return null;
  if (state.m !== net.lastLayer.inputs + 1 || state.K !== net.lastLayer.outputs) return null;
  if (c.f.blocks > 1 && (!state.hidden || !sameHidden(c, theta, state.hidden))) return null;
  return stateSetup(state);
}

function makeState(c: StepContext, t: number, net: NetOps, s: Setup, theta: Vec): MMBohningState {
  return {
    t,
    dataKey: net.dataKey,
    sizes: [...net.layoutKey],
    hidden: c.f.blocks > 1 ? c.ops.clone(theta) : null,
    m: s.m,
    K: s.K,
    diag: Array.from(s.diag),
    M: Array.from(s.M),
    chol: Array.from(s.chol),
  };
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

/** f(θₖ) and G̃ = the last layer's gradient [∇W; ∇bᵀ] (m×K row-major: the block's layout order). */
function lastLayerGrad({ ops, f }: StepContext, theta: Vec): { f0: number; G: Float64Array } {
  const { value, grad } = f.blockValueAndGrad(theta, f.blocks - 1);
  return { f0: value, G: Float64Array.from(ops.toArray(grad)) };
}

function checkLoss(net: NetOps): void {
  if (!['bce', 'softmax_ce', 'mse'].includes(net.loss)) throw new Error(`${WHO}: unsupported loss '${net.loss}'`);
}

/** θ with the last layer moved by Δ (rounded to float32, then one float32 addition). */
function apply({ ops, f }: StepContext, theta: Vec, D: Float64Array): Vec {
  const last = f.blocks - 1;
  const block = f.block(theta, last);
  return f.withBlock(theta, last, ops.add(block, ops.fromArray(block, D)));
}

export const mmBohning: EngineAlgorithm<MMBohningHyper, MMBohningState> = {
  ...mmBohningSpec,
  init(c, theta, h) {
    const net = requireNet(c.f, WHO);
    checkLoss(net);
    return makeState(c, 0, net, buildSetup(net, theta, h), theta);
  },
  step(c, theta, state, h) {
    const { ops, f } = c;
    const net = requireNet(f, WHO);
    checkLoss(net);
    const cached = validSetup(c, net, theta, state);
    const s = cached ?? buildSetup(net, theta, h);
    const softmax = net.loss === 'softmax_ce';
    const { f0, G } = lastLayerGrad(c, theta);
    const D = solveStep(s, G, softmax);
    let next = apply(c, theta, D);
    let gDotD = 0;
    for (let i = 0; i < G.length; i++) gDotD += G[i] * D[i];
    const predicted = f0 + gDotD + halfQuad(s, D, softmax);
    // Float32 guard: in exact arithmetic f(θ⁺) ≤ g(θ⁺|θₖ) always holds here. In float32, with nearly
    // collinear features (large, cancelling last-layer weights) the evaluation noise of f can exceed the
    // predicted decrease; such a step is refused (θ kept, accepted: false) instead of letting f creep up.
    const fNext = f.value(next);
    const accepted = Number.isFinite(fNext) && fNext <= predicted + fSlack(f0);
    if (!accepted) next = ops.clone(theta);
    const nextState = cached ? { ...state, t: state.t + 1 } : makeState(c, state.t + 1, net, s, theta);
    return {
      theta: next,
      state: nextState,
      info: { lossBefore: f0, lossAfter: accepted ? fNext : f0, surrogateAtNext: predicted, refactored: !cached, accepted },
    };
  },
  model(c, theta, state, h): VecSurrogate {
    const { ops, f } = c;
    const net = requireNet(f, WHO);
    const cached = validSetup(c, net, theta, state);
    const s = cached ?? buildSetup(net, theta, h);
    const softmax = net.loss === 'softmax_ce';
    const { f0, G } = ops.tidy(() => lastLayerGrad(c, theta));
    const D = solveStep(s, G, softmax);
    const last = f.blocks - 1;
    const thetaK = ops.keep(ops.clone(theta));
    const minimiser = ops.keep(ops.tidy(() => ops.clone(apply(c, thetaK, D))));
    const nLayers = f.blocks;
    return {
      certified: true,
      formula:
        (softmax
          ? 'g(θ|θₖ) = f(θₖ) + ⟨G, Δ⟩ + ½vec(Δ)ᵀ[½(I − 11ᵀ/K) ⊗ X̃ᵀX̃/n + I ⊗ (λD + κI)]vec(Δ)'
          : net.loss === 'bce'
            ? 'g(θ|θₖ) = f(θₖ) + ∇f·Δ + ½Δᵀ(X̃ᵀX̃/(4n) + λD + κI)Δ'
            : 'g(θ|θₖ) = f(θₖ) + ∇f·Δ + ½Δᵀ[(2/K)I ⊗ X̃ᵀX̃/n + I ⊗ (λD + κI)]Δ (exact)') +
        (nLayers > 1 ? `; last layer only (X̃ = [a_${nLayers - 1}, 1]), +∞ if another layer moves; global bound` : '; global bound'),
      minimiser,
      path: (t) => ops.tidy(() => ops.add(thetaK, ops.scale(ops.sub(minimiser, thetaK), t))),
      value: (p) =>
        ops.tidy(() => {
          if (nLayers > 1 && !sameHidden(c, p, thetaK)) return Infinity;
          const Dp = ops.toArray(ops.sub(f.block(p, last), f.block(thetaK, last)));
          let lin = 0;
          for (let i = 0; i < G.length; i++) lin += G[i] * Dp[i];
          return f0 + lin + halfQuad(s, Float64Array.from(Dp), softmax);
        }),
      dispose: () => ops.dispose([thetaK, minimiser]),
    };
  },
};
