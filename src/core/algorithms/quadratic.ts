/**
 * Quadratic models on any engine: g(θ) = f(θₖ) + gₖ·Δ + ½ Σ c ⊙ Δ² (Δ = θ − θₖ) with a scalar or
 * diagonal curvature c — the Lipschitz MM surrogate (c = L) and the gradient family's implied models
 * (c = 1/lr, Adam's (√v̂/√(1−β₂ᵗ) + eps)/lr, …) — and its block version for layer-wise MM.
 */
import type { VecSurrogate } from '../engine/algorithm';
import type { StepContext, Vec } from '../engine/types';

export interface QuadraticSpec {
  /** θₖ, ∇f(θₖ) (or the step's gradient) and f(θₖ); copied, the caller keeps its own. */
  theta: Vec;
  grad: Vec;
  f0: number;
  /** A scalar (L, 1/lr) or a Vec (diagonal preconditioner). */
  curvature: number | Vec;
  certified: boolean;
  scope?: 'global' | 'step';
  formula: string;
}

/** g(θ) = f(θₖ) + gₖ·Δ + ½ Σ c⊙Δ²; its minimiser is θₖ − gₖ/c. */
export function quadraticModel({ ops }: StepContext, spec: QuadraticSpec): VecSurrogate {
  const { f0, curvature: c } = spec;
  const theta = ops.keep(ops.clone(spec.theta));
  const g = ops.keep(ops.clone(spec.grad));
  const cv = typeof c === 'number' ? null : ops.keep(ops.clone(c));
  const step = (v: Vec) => (cv ? ops.div(v, cv) : ops.scale(v, 1 / (c as number)));
  const minimiser = ops.keep(ops.tidy(() => ops.sub(theta, step(g))));
  return {
    certified: spec.certified,
    scope: spec.scope,
    formula: spec.formula,
    minimiser,
    value: (p) =>
      ops.tidy(() => {
        const d = ops.sub(p, theta);
        const quad = cv ? ops.dot(cv, ops.square(d)) : (c as number) * ops.sumSquares(d);
        return f0 + ops.dot(g, d) + 0.5 * quad;
      }),
    dispose: () => ops.dispose([theta, g, cv, minimiser].filter((x): x is Vec => x !== null)),
  };
}

/**
 * g(θ|θₖ) = f(θₖ) + gₖ·Δ_B + (L/2)‖Δ_B‖² on block B, +∞ when θ differs from θₖ outside B (the block MM
 * convention: g still majorizes f, only the block moves). Minimiser: θₖ with the block at θ_B − gₖ/L;
 * `path` runs along that block step.
 */
export function blockQuadraticModel(
  { ops, f }: StepContext,
  spec: { theta: Vec; block: number; grad: Vec; f0: number; L: number; certified: boolean; scope?: 'global' | 'step'; formula: string },
): VecSurrogate {
  const { block: b, f0, L } = spec;
  const theta = ops.keep(ops.clone(spec.theta));
  const g = ops.keep(ops.clone(spec.grad));
  const thetaB = f.block(theta, b);
  const minimiser = ops.keep(ops.tidy(() => ops.clone(f.withBlock(theta, b, ops.sub(thetaB, ops.scale(g, 1 / L))))));
  const sameOutside = (p: Vec) => ops.distance1(f.withBlock(p, b, thetaB), theta) === 0;
  return {
    certified: spec.certified,
    scope: spec.scope,
    formula: spec.formula,
    minimiser,
    path: (t) => ops.tidy(() => ops.add(theta, ops.scale(ops.sub(minimiser, theta), t))),
    value: (p) =>
      ops.tidy(() => {
        if (!sameOutside(p)) return Infinity;
        const d = ops.sub(f.block(p, b), thetaB);
        return f0 + ops.dot(g, d) + (L / 2) * ops.sumSquares(d);
      }),
    dispose: () => ops.dispose([theta, g, minimiser]),
  };
}
