/**
 * Pieces shared by the MM algorithms for networks (mm-lipschitz, mm-layerwise, mm-bohning,
 * mm-gauss-newton): the backtracked Lipschitz search on a block of parameters, block surrogates,
 * flat float64 views of parameter lists (the network's Jacobian products: mm-jacobian.ts).
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
