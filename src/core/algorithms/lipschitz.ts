/**
 * The backtracked Lipschitz search of the MM algorithms for networks (mm-lipschitz, mm-layerwise), and
 * the Hessian power iteration that can seed it, on any engine.
 *
 * Float32: engines evaluate f in float32, so every MM acceptance test compares f(θ⁺) with g(θ⁺|θₖ) up to
 * `fSlack(f(θₖ))` = 1e-6·|f(θₖ)| + 1e-30 — a few float32 ulps of f (eps₃₂ ≈ 1.2e-7), relative to f: a
 * floor like 1e-12 would let f *rise* by up to 1e-12 once f itself is below 1e-6 (a well-fitted
 * network reaches 1e-14 in a few thousand steps), which is no rounding at all. Without it a step
 * whose decrease is below f's rounding would be refused forever and L would blow up near the minimum.
 */
import type { StepContext, Vec } from '../engine/types';

/** Acceptance slack for comparing float32 values of f (see the file comment). */
export function fSlack(f0: number): number {
  return 1e-6 * Math.abs(f0) + 1e-30;
}

export interface LipschitzSearch {
  /** f(θₖ) and the (block) gradient gₖ. */
  f0: number;
  grad: Vec;
  gradNorm2: number;
  /** The accepted L (or the last one tried when none was accepted). */
  L: number;
  accepted: boolean;
  /** Number of doublings of L. */
  backtracks: number;
  /** θ with the block at θ_B − gₖ/L when accepted, else null. */
  next: Vec | null;
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
 * Backtracked Lipschitz constant on block `b` (null: all of θ): starting from L = Lstart, double L until
 * f(θₖ − gₖ/L) ≤ f(θₖ) − ‖gₖ‖²/(2L) (+ float32 slack), i.e. until the quadratic
 * g(θ|θₖ) = f(θₖ) + gₖ·Δ + (L/2)‖Δ‖² lies above f at its own minimiser. A non-finite f(θₖ − gₖ/L)
 * counts as a failure (L doubles); after `maxBacktracks` doublings the step is refused.
 */
export function lipschitzSearch(c: StepContext, theta: Vec, b: number | null, Lstart: number, maxBacktracks: number): LipschitzSearch {
  const { ops, f } = c;
  const { value: f0, grad } = b === null ? f.valueAndGrad(theta) : f.blockValueAndGrad(theta, b);
  const gradNorm2 = ops.sumSquares(grad);
  const base = { f0, grad, gradNorm2 };
  if (!Number.isFinite(f0) || !Number.isFinite(gradNorm2))
    return { ...base, L: Lstart, accepted: false, backtracks: 0, next: null, fNext: f0, strict: false };
  if (gradNorm2 === 0) return { ...base, L: Lstart, accepted: true, backtracks: 0, next: ops.clone(theta), fNext: f0, strict: false };
  const start = b === null ? theta : f.block(theta, b);
  let L = Lstart;
  for (let k = 0; k <= maxBacktracks; k++) {
    const part = ops.addScaled(start, grad, -1 / L);
    const cand = b === null ? part : f.withBlock(theta, b, part);
    const fc = f.value(cand);
    const bound = f0 - gradNorm2 / (2 * L);
    if (Number.isFinite(fc) && fc <= bound + fSlack(f0)) {
      return { ...base, L, accepted: true, backtracks: k, next: cand, fNext: fc, strict: fc <= bound };
    }
    if (k < maxBacktracks) L *= 2;
  }
  return { ...base, L, accepted: false, backtracks: maxBacktracks, next: null, fNext: f0, strict: false };
}

/**
 * Hessian-vector product by central differences of gradients, (∇f(θ + εv) − ∇f(θ − εv))/(2ε),
 * ε = 1e-3(1 + ‖θ‖)/‖v‖. Numerical (tfjs cannot nest its gradients through matMul/tanh): it only seeds
 * curvature estimates, never certifies anything.
 */
export function hessianVector({ ops, f }: StepContext, theta: Vec, v: Vec): Vec {
  const vNorm = Math.sqrt(ops.sumSquares(v));
  if (vNorm === 0) return ops.fill(v, 0);
  const eps = (1e-3 * (1 + Math.sqrt(ops.sumSquares(theta)))) / vNorm;
  const gp = f.valueAndGrad(ops.add(theta, ops.scale(v, eps))).grad;
  const gm = f.valueAndGrad(ops.add(theta, ops.scale(v, -eps))).grad;
  return ops.divScalar(ops.sub(gp, gm), 2 * eps);
}

/**
 * Largest-magnitude Hessian eigenvalue at θ by power iteration on `hessianVector`, from a seeded
 * xorshift32 start vector (the result hardly depends on it). Returns |λ| and the unit direction.
 */
export function powerIteration(c: StepContext, theta: Vec, iterations: number, seed = 1): { lambda: number; vector: Vec } {
  const { ops } = c;
  let state = seed >>> 0 || 1;
  const rand = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 4294967296) * 2 - 1;
  };
  const r = ops.fromArray(theta, Float32Array.from({ length: ops.toArray(theta).length }, rand));
  let v = ops.divScalar(r, Math.sqrt(ops.sumSquares(r)));
  let lambda = 0;
  for (let k = 0; k < Math.max(1, iterations); k++) {
    const hv = hessianVector(c, theta, v);
    const norm = Math.sqrt(ops.sumSquares(hv));
    lambda = norm;
    if (!(norm > 0) || !Number.isFinite(norm)) break;
    v = ops.divScalar(hv, norm);
  }
  return { lambda, vector: v };
}
