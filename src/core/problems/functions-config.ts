/**
 * From a `function` problem's config (config.ts) to its test function and θ₀. Structural parameters
 * (no import of config.ts), so the page, the worker and the cpu engine share it without a cycle.
 */
import { testFunction, type FunctionName, type Pt, type TestFunction } from './functions';

export interface FunctionConfigLike {
  name: FunctionName;
  start?: readonly number[];
  kappa?: number;
  angle?: number;
}

export function functionOf(p: FunctionConfigLike): TestFunction {
  return testFunction({ name: p.name, kappa: p.kappa, angle: p.angle });
}

/** θ₀: the config's start, or the function's usual one. */
export function functionStart(p: FunctionConfigLike): Pt {
  return p.start ? [p.start[0], p.start[1]] : functionOf(p).start;
}

/** Why `hyper` of algorithm `id` cannot run on function `name` (the curvature MM's options), or null. */
export function functionRunError(id: string, hyper: Record<string, unknown>, fn: TestFunction): string | null {
  if (id !== 'mm-curvature') return null;
  if (hyper.curvature === 'gauss-newton' && !fn.residuals)
    return `curvature 'gauss-newton' needs a sum of squares; ${fn.name} is not one (use 'hessian'${fn.bound ? " or 'bound'" : ''})`;
  if (hyper.curvature === 'bound' && !fn.bound)
    return `curvature 'bound' needs a global bound on the Hessian; ${fn.name} has none (use 'hessian'${fn.residuals ? " or 'gauss-newton'" : ''})`;
  return null;
}
