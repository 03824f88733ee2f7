/**
 * Pieces shared by the MM algorithms for networks (mm-lipschitz, mm-layerwise, mm-bohning,
 * mm-gauss-newton): the backtracked Lipschitz search on a block of parameters, block surrogates,
 * flat float64 views of parameter lists, and the network's Jacobian products.
 *
 * Float32: tfjs evaluates f in float32, so every MM acceptance test compares f(θ⁺) with g(θ⁺|θₖ) up to
 * `fSlack(f(θₖ))` = 1e-6·|f(θₖ)| + 1e-30 — a few float32 ulps of f (eps₃₂ ≈ 1.2e-7), relative to f: a
 * floor like 1e-12 would let f *rise* by up to 1e-12 once f itself is below 1e-6 (a well-fitted
 * network reaches 1e-14 in a few thousand steps), which is no rounding at all. Without it a step
 * whose decrease is below f's rounding would be refused forever and L would blow up near the minimum.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { MLPObjective } from '../problems/mlp';
import type { Objective, Params, Surrogate, SurrogateScope } from '../types';
import { num } from './common';

/** The backtracking hyper-parameters of the Lipschitz searches (mm-lipschitz, mm-layerwise). */
export const backtrackingHyper = {
  /** L (per block) for the first step. */
  L0: z.number().gt(0, 'L0 must be > 0').lte(1e8, 'L0 must be ≤ 1e8').default(1),
  /** Each step starts its search from L_{k−1}/decrease (1: L never decreases). */
  decrease: z.number().min(1, 'decrease must be in [1, 100]').max(100, 'decrease must be in [1, 100]').default(2),
  maxBacktracks: z
    .number()
    .int('maxBacktracks must be an integer')
    .min(1, 'maxBacktracks must be in [1, 200]')
    .max(200, 'maxBacktracks must be in [1, 200]')
    .default(60),
};

/** Acceptance slack for comparing float32 values of f (see the file comment). */
export function fSlack(f0: number): number {
  return 1e-6 * Math.abs(f0) + 1e-30;
}

/** The MLP structure (X, Y, forward, layerInputs, …) or a clear error for other problems. */
export function asMLP(obj: Objective, who: string): MLPObjective {
  if (obj.kind !== 'mlp') throw new Error(`${who} applies to MLP problems only (got '${obj.kind}')`);
  return obj as MLPObjective;
}

/** f(θ) as a number (tensors freed). */
export function lossAt(obj: Objective, params: Params): number {
  return tf.tidy(() => num(obj.loss(params)));
}

/** Parameter indices of layer l's (W_l, b_l) in [W1, b1, …, WL, bL]. */
export function layerBlock(l: number): number[] {
  return [2 * l, 2 * l + 1];
}

/** All entries of a list of tensors, concatenated in order, as float64. */
export function flatten(ts: tf.Tensor[]): Float64Array {
  const size = ts.reduce((s, t) => s + t.size, 0);
  const out = new Float64Array(size);
  let o = 0;
  for (const t of ts) {
    out.set(t.dataSync(), o);
    o += t.size;
  }
  return out;
}

/** Tensors shaped like `like` holding the entries of a flat vector (inverse of flatten). */
export function unflatten(flat: ArrayLike<number>, like: tf.Tensor[]): tf.Tensor[] {
  let o = 0;
  return like.map((t) => {
    const part = Float32Array.from({ length: t.size }, (_, i) => flat[o + i]);
    o += t.size;
    return tf.tensor(part, t.shape);
  });
}

/** Replaces the tensors at `idx` of `params` by `block` (no copies: a view for evaluation). */
export function withBlock(params: Params, idx: number[], block: tf.Tensor[]): Params {
  return params.map((p, i) => {
    const j = idx.indexOf(i);
    return j < 0 ? p : block[j];
  });
}

/** true when p equals θ exactly on every tensor outside `idx` (the block surrogates' domain). */
export function sameOutside(p: Params, theta: Params, idx: number[]): boolean {
  const others = theta.map((_, i) => i).filter((i) => !idx.includes(i) && p[i] !== theta[i]);
  if (others.length === 0) return true;
  return tf.tidy(() => num(tf.addN(others.map((i) => tf.sum(tf.abs(tf.sub(p[i], theta[i])))))) === 0);
}

export interface LipschitzSearch {
  /** f(θₖ) and the block gradient gₖ (owned: dispose with `disposeSearch`). */
  f0: number;
  grads: tf.Tensor[];
  gradNorm2: number;
  /** The accepted L (or the last one tried when none was accepted). */
  L: number;
  accepted: boolean;
  /** Number of doublings of L. */
  backtracks: number;
  /** The block at θₖ − gₖ/L when accepted (owned), else null. */
  next: tf.Tensor[] | null;
  /** f at the accepted point (f0 when not accepted). */
  fNext: number;
  /**
   * true when the decrease was verified without the float32 slack. When it was not (the predicted
   * decrease ‖g‖²/2L is below f's rounding, near a minimum), the next search should not start from a
   * smaller L: f can no longer tell a good L from a too small one, and halving L there would let the
   * iterates wander inside the rounding plateau instead of converging in θ.
   */
  strict: boolean;
}

/**
 * Backtracked Lipschitz constant on the block `idx`: starting from L = Lstart, double L until
 * f(θₖ − gₖ/L) ≤ f(θₖ) − ‖gₖ‖²/(2L) (+ float32 slack), i.e. until the quadratic
 * g(θ|θₖ) = f(θₖ) + gₖ·Δ + (L/2)‖Δ‖² lies above f at its own minimiser. A non-finite f(θₖ − gₖ/L)
 * counts as a failure (L doubles); after `maxBacktracks` doublings the step is refused.
 */
export function lipschitzSearch(obj: Objective, params: Params, idx: number[], Lstart: number, maxBacktracks: number): LipschitzSearch {
  const { value, grads } = tf.tidy(() => {
    const block = idx.map((i) => params[i]);
    const r = tf.valueAndGrads((...b: tf.Tensor[]) => obj.loss(withBlock(params, idx, b)))(block);
    return { value: r.value, grads: r.grads };
  });
  const f0 = num(value);
  value.dispose();
  const gradNorm2 = tf.tidy(() => num(tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
  const base = { f0, grads, gradNorm2 };
  if (!Number.isFinite(f0) || !Number.isFinite(gradNorm2))
    return { ...base, L: Lstart, accepted: false, backtracks: 0, next: null, fNext: f0, strict: false };
  if (gradNorm2 === 0)
    return { ...base, L: Lstart, accepted: true, backtracks: 0, next: idx.map((i) => params[i].clone()), fNext: f0, strict: false };
  let L = Lstart;
  for (let b = 0; b <= maxBacktracks; b++) {
    const cand = tf.tidy(() => idx.map((i, j) => tf.sub(params[i], tf.mul(grads[j], 1 / L))));
    const fc = lossAt(obj, withBlock(params, idx, cand));
    const bound = f0 - gradNorm2 / (2 * L);
    if (Number.isFinite(fc) && fc <= bound + fSlack(f0)) {
      return { ...base, L, accepted: true, backtracks: b, next: cand, fNext: fc, strict: fc <= bound };
    }
    tf.dispose(cand);
    if (b < maxBacktracks) L *= 2;
  }
  return { ...base, L, accepted: false, backtracks: maxBacktracks, next: null, fNext: f0, strict: false };
}

export function disposeSearch(s: LipschitzSearch): void {
  tf.dispose(s.grads);
  if (s.next) tf.dispose(s.next);
}

/**
 * g(θ|θₖ) = f(θₖ) + gₖ·Δ_B + (L/2)‖Δ_B‖² on the block B = idx, +∞ when θ differs from θₖ outside B (the
 * block MM convention: g is then still a majorizer of f, and only the block moves). Its minimiser is
 * θₖ with the block replaced by θ_B − gₖ/L; `path` runs along that block step.
 */
export function blockQuadraticModel(spec: {
  params: Params;
  idx: number[];
  grads: tf.Tensor[];
  f0: number;
  L: number;
  certified: boolean;
  scope?: SurrogateScope;
  formula: string;
}): Surrogate {
  const { idx, f0, L } = spec;
  const theta = spec.params.map((p) => tf.keep(p.clone()));
  const g = spec.grads.map((x) => tf.keep(x.clone()));
  const minimiser = tf.tidy(() => theta.map((t, i) => tf.keep(idx.includes(i) ? tf.sub(t, tf.mul(g[idx.indexOf(i)], 1 / L)) : t.clone())));
  return {
    certified: spec.certified,
    scope: spec.scope,
    formula: spec.formula,
    minimiser,
    path: (t) => tf.tidy(() => theta.map((th, i) => (idx.includes(i) ? tf.add(th, tf.mul(tf.sub(minimiser[i], th), t)) : th.clone()))),
    value: (p) => {
      if (!sameOutside(p, theta, idx)) return Infinity;
      return tf.tidy(() => {
        const terms = idx.map((i, j) => {
          const d = tf.sub(p[i], theta[i]);
          return tf.sum(tf.add(tf.mul(g[j], d), tf.mul(tf.square(d), L / 2)));
        });
        return f0 + num(tf.addN(terms));
      });
    },
    dispose: () => tf.dispose([...theta, ...g, ...minimiser]),
  };
}

/**
 * Hessian-vector product by central differences of gradients, (∇f(θ + εv) − ∇f(θ − εv))/(2ε).
 * tfjs cannot differentiate through tf.grad (nested gradients throw for matMul/tanh networks), so
 * second-order products are numerical; they only seed curvature estimates, never certify anything.
 */
export function hessianVector(obj: Objective, params: Params, v: tf.Tensor[]): tf.Tensor[] {
  return tf.tidy(() => {
    const vNorm = Math.sqrt(num(tf.addN(v.map((x) => tf.sum(tf.square(x))))));
    const pNorm = Math.sqrt(num(tf.addN(params.map((x) => tf.sum(tf.square(x))))));
    if (vNorm === 0) return v.map((x) => tf.zerosLike(x));
    const eps = (1e-3 * (1 + pNorm)) / vNorm;
    const grad = (s: number) =>
      tf.grads((...p: tf.Tensor[]) => obj.loss(p))(params.map((p, i) => tf.add(p, tf.mul(v[i], s))));
    const gp = grad(eps);
    const gm = grad(-eps);
    return gp.map((x, i) => tf.div(tf.sub(x, gm[i]), 2 * eps));
  });
}

/**
 * Largest-magnitude Hessian eigenvalue at θ by power iteration on finite-difference Hessian-vector
 * products (seeded start vector). Returns |λ| and the unit direction (owned by the caller).
 */
export function powerIteration(obj: Objective, params: Params, iterations: number, seed = 1): { lambda: number; vector: tf.Tensor[] } {
  let state = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32: a cheap deterministic start vector (the result does not depend on it much).
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 4294967296) * 2 - 1;
  };
  let v = tf.tidy(() => {
    const r = params.map((p) => tf.tensor(Float32Array.from({ length: p.size }, rand), p.shape));
    const n = Math.sqrt(num(tf.addN(r.map((x) => tf.sum(tf.square(x))))));
    return r.map((x) => tf.div(x, n));
  });
  let lambda = 0;
  for (let k = 0; k < Math.max(1, iterations); k++) {
    const hv = hessianVector(obj, params, v);
    const norm = tf.tidy(() => Math.sqrt(num(tf.addN(hv.map((x) => tf.sum(tf.square(x)))))));
    lambda = norm;
    if (!(norm > 0) || !Number.isFinite(norm)) {
      tf.dispose(hv);
      break;
    }
    const next = tf.tidy(() => hv.map((x) => tf.div(x, norm)));
    tf.dispose([...hv, ...v]);
    v = next;
  }
  return { lambda, vector: v };
}

// ---------------------------------------------------------------------------------------------
// The network's Jacobian J = ∂c/∂θ (c(θ) = outputs on the data, n×K), built by hand because tfjs has no
// forward-mode autodiff and no nested gradients. The formulas follow forwardMLP exactly: z_l =
// a_{l−1}W_l + b_l, a_l = σ(z_l) for hidden layers, outputs z_L. σ′ is read off the activation a = σ(z):
// tanh 1 − a², sigmoid a(1 − a), relu [a > 0], linear 1. tests/mm-gauss-newton.test.ts checks J·v and
// Jᵀu against finite differences and tf.grad.

function activationDerivative(a: tf.Tensor2D, activation: MLPObjective['spec']['activation']): tf.Tensor2D {
  switch (activation) {
    case 'tanh':
      return tf.sub(1, tf.square(a));
    case 'sigmoid':
      return tf.mul(a, tf.sub(1, a));
    case 'relu':
      return tf.cast(tf.greater(a, 0), 'float32') as tf.Tensor2D;
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

/** 1 on the entries of weight matrices, 0 on biases: the support of the ridge penalty (l2/2)Σ‖W‖². */
export function weightMask(params: Params): Float64Array {
  const P = params.reduce((s, p) => s + p.size, 0);
  const m = new Float64Array(P);
  let o = 0;
  params.forEach((p, i) => {
    if (i % 2 === 0) m.fill(1, o, o + p.size);
    o += p.size;
  });
  return m;
}
