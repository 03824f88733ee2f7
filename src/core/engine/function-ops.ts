/**
 * The structure of a 2-D test objective (problem kind 'function', problems/functions.ts) that the
 * curvature MM algorithm exploits: the exact Hessian, the Gauss–Newton curvature of a sum of squares,
 * and a global curvature bound where one exists. All float64, in θ's order (x, y). Offered by
 * `ObjectiveOps.fn` on the cpu engine (engines/cpu/function-objective.ts).
 */
import type { Vec } from './vec';

/** A symmetric 2×2 matrix [a₁₁, a₁₂, a₂₂]. */
export type Sym2 = [number, number, number];

export interface FunctionOps {
  /** The function's name (problems/functions.ts FUNCTION_NAMES). */
  readonly name: string;
  /** ∇f(θ) in float64 (ObjectiveOps.valueAndGrad rounds it to float32 like every Vec). */
  gradient(theta: Vec): [number, number];
  /** ∇²f(θ). */
  hessian(theta: Vec): Sym2;
  /** 2c·JᵀJ for f = c·‖r‖², or null when f is not a sum of squares. */
  gaussNewton(theta: Vec): Sym2 | null;
  /** B ⪰ ∇²f(θ) for every θ (the quadratic's A, logistic's Böhning bound), or null. */
  readonly bound: Sym2 | null;
}

/** The objective's 2-D structure, or a clear error for other problems. */
export function requireFunction(f: { readonly kind: string; readonly fn?: FunctionOps }, who: string): FunctionOps {
  if (f.kind !== 'function' || !f.fn) throw new Error(`${who} applies to 2-D function problems only (got '${f.kind}')`);
  return f.fn;
}
