/**
 * The engine interface: the operations algorithms are written against (docs/ARCHITECTURE.md).
 *
 * An *engine* is one implementation of these operations: `tfjs` (tensors on the WebGPU, WebGL, WASM or
 * CPU backend; src/core/engines/tfjs) or `cpu` (flat Float32Arrays and WebAssembly SIMD kernels;
 * src/core/engines/cpu). An algorithm file (src/core/algorithms/*.ts) imports only this module: it
 * never knows which engine runs it, so each algorithm is written once.
 *
 * Semantics every engine keeps, so that the same algorithm gives the same numbers everywhere:
 * - A `Vec` is the whole parameter vector θ (or a vector shaped like it: a gradient, a moment), stored
 *   in float32. Vecs are values: no operation mutates its inputs, every result is a new Vec.
 * - Element-wise operations round each result to float32, as one float32 operation would (tfjs and
 *   torch.optim compute this way); a scalar operand is rounded to float32 first (tf.mul(x, 0.9)
 *   multiplies by fround(0.9)). So the optimizers' arithmetic is bit-identical across engines; only
 *   f and ∇f (sums over the data) differ by summation order.
 * - Reductions (dot, sumSquares) return plain numbers, read synchronously.
 * - Memory: `tidy(fn)` frees what fn allocated except its result, `keep` exempts a Vec from the
 *   enclosing tidy, `dispose` frees; all three are no-ops on garbage-collected engines.
 */

import type { FunctionOps } from './function-ops';
import type { MLPOps } from './mlp-ops';
import type { NetOps } from './net-ops';
import type { NMFOps } from './nmf-ops';
import type { Vec } from './vec';

export type { Vec } from './vec';

export interface VectorOps {
  /** The engine's name for messages ('tfjs', 'cpu'). */
  readonly engine: string;
  add(a: Vec, b: Vec): Vec;
  sub(a: Vec, b: Vec): Vec;
  mul(a: Vec, b: Vec): Vec;
  div(a: Vec, b: Vec): Vec;
  maximum(a: Vec, b: Vec): Vec;
  /** a · fround(s). */
  scale(a: Vec, s: number): Vec;
  /** x·fround(a) + y·fround(b), each product rounded: exactly add(scale(x, a), scale(y, b)) in one pass. */
  axpby(x: Vec, a: number, y: Vec, b: number): Vec;
  /** x + y·fround(s), the product rounded: exactly add(x, scale(y, s)) in one pass. */
  addScaled(x: Vec, y: Vec, s: number): Vec;
  /** a / fround(s). */
  divScalar(a: Vec, s: number): Vec;
  /** a + fround(s). */
  addScalar(a: Vec, s: number): Vec;
  sqrt(a: Vec): Vec;
  square(a: Vec): Vec;
  /** A Vec shaped like `like` with every entry fround(value). */
  fill(like: Vec, value: number): Vec;
  clone(a: Vec): Vec;
  /** Σ aᵢbᵢ. */
  dot(a: Vec, b: Vec): number;
  /** Σ aᵢ² (‖a‖²). */
  sumSquares(a: Vec): number;
  /** Σ |aᵢ − bᵢ| (0 ⇔ a = b). */
  distance1(a: Vec, b: Vec): number;
  /** True when every entry is finite. */
  allFinite(a: Vec): boolean;
  /** A Vec shaped like `like` from entries given in the layout order of θ (float32-rounded). */
  fromArray(like: Vec, values: ArrayLike<number>): Vec;
  /** The entries of a Vec in the layout order of θ (a copy). */
  toArray(a: Vec): Float32Array;
  /** True when x is one of this engine's Vecs (states mix Vecs with numbers, booleans and number arrays). */
  isVec(x: unknown): x is Vec;
  /** toArray without blocking (a GPU engine reads back asynchronously); engines without it: toArray. */
  read?(a: Vec): Promise<Float32Array>;
  tidy<T>(fn: () => T): T;
  keep<T extends Vec | null>(a: T): T;
  dispose(a: Vec | Vec[] | null | undefined): void;
}

/** What kind of risk an objective is (algorithms declare which they apply to). */
export type ObjectiveKind = 'mlp' | 'nmf' | 'function';

/**
 * f restricted to one step's data (the full training set or a mini-batch), with the operations the
 * algorithms need. θ is split into blocks (an MLP's layers: block l = (W_l, b_l)).
 */
export interface ObjectiveOps {
  readonly kind: ObjectiveKind;
  /** f(θ). */
  value(theta: Vec): number;
  /** f(θ) and ∇f(θ). */
  valueAndGrad(theta: Vec): { value: number; grad: Vec };
  /** Number of parameter blocks (an MLP's layers). */
  readonly blocks: number;
  /** f(θ) and the gradient with respect to block b only, as a Vec of that block's entries. */
  blockValueAndGrad(theta: Vec, b: number): { value: number; grad: Vec };
  /** Block b of θ (a Vec of that block's entries; a copy or a view that must not be mutated). */
  block(theta: Vec, b: number): Vec;
  /** θ with block b replaced by `part` (a new Vec; θ and part are not mutated). */
  withBlock(theta: Vec, b: number, part: Vec): Vec;
  /** An MLP's structure (engine/mlp-ops.ts), on MLP objectives. */
  readonly mlp?: MLPOps;
  /** A CNN's network structure (engine/net-ops.ts: Gauss–Newton, Böhning); dense MLPs offer it as `mlp`. */
  readonly net?: NetOps;
  /** β-NMF's structure (engine/nmf-ops.ts), on NMF objectives. */
  readonly nmf?: NMFOps;
  /** A 2-D test function's Hessian and curvature bounds (engine/function-ops.ts), on function objectives. */
  readonly fn?: FunctionOps;
}

/** What an algorithm is handed at each step: the engine's vector operations and the step's objective. */
export interface StepContext {
  readonly ops: VectorOps;
  readonly f: ObjectiveOps;
}
