/**
 * A 2-D test function (problems/functions.ts) as the cpu engine's objective: θ is a Float32Array of two
 * entries (x, y); f, ∇f and the curvatures are computed in float64 from θ's float32 entries, and ∇f is
 * stored to float32 like every Vec. One block (θ itself), no data, no mini-batches.
 */
import type { FunctionOps, Sym2 } from '../../engine/function-ops';
import type { ObjectiveOps, Vec } from '../../engine/types';
import { gaussNewton, type TestFunction } from '../../problems/functions';
import { allocF32 } from './vector-ops';

const F = (v: Vec): Float32Array => v as unknown as Float32Array;
const V = (a: Float32Array): Vec => a as unknown as Vec;

export class CpuFunctionObjective implements ObjectiveOps {
  readonly kind = 'function' as const;
  readonly blocks = 1;
  readonly fn: FunctionOps;

  constructor(readonly tf: TestFunction) {
    this.fn = {
      name: tf.name,
      gradient: (theta) => tf.grad(...xy(theta)),
      hessian: (theta) => tf.hessian(...xy(theta)),
      gaussNewton: (theta) => gaussNewton(tf, ...xy(theta)),
      bound: tf.bound ? ([...tf.bound] as Sym2) : null,
    };
  }

  value(theta: Vec): number {
    return this.tf.value(...xy(theta));
  }

  valueAndGrad(theta: Vec): { value: number; grad: Vec } {
    const [x, y] = xy(theta);
    const grad = allocF32(2);
    const [gx, gy] = this.tf.grad(x, y);
    grad[0] = gx;
    grad[1] = gy;
    return { value: this.tf.value(x, y), grad: V(grad) };
  }

  blockValueAndGrad(theta: Vec, b: number): { value: number; grad: Vec } {
    checkBlock(b);
    return this.valueAndGrad(theta);
  }

  block(theta: Vec, b: number): Vec {
    checkBlock(b);
    return theta;
  }

  withBlock(_theta: Vec, b: number, part: Vec): Vec {
    checkBlock(b);
    return V(Float32Array.from(F(part)));
  }
}

function xy(theta: Vec): [number, number] {
  const a = F(theta);
  if (a.length !== 2) throw new Error(`a 2-D function takes θ = (x, y), got ${a.length} entries`);
  return [a[0], a[1]];
}

function checkBlock(b: number): void {
  if (b !== 0) throw new Error(`a 2-D function has one block (θ), not block ${b}`);
}
