/**
 * The cpu engine's vector operations: a Vec is one Float32Array holding all of θ in its flat layout
 * ([W1 (in×out row-major), b1, W2, b2, …] for an MLP). Each element-wise result is computed in float64
 * from float32 inputs and stored to float32 — one correctly rounded float32 operation, bit-identical
 * to tfjs's and torch's float32 kernels (for +, −, ×, ÷ and √ rounding the exact result twice, to
 * float64 then float32, equals rounding it once: float64 has more than 2·24 + 2 bits). Reductions
 * accumulate in float64. Memory is garbage-collected, so tidy/keep/dispose do nothing.
 */
import type { Vec, VectorOps } from '../../engine/types';

const F = (v: Vec): Float32Array => v as unknown as Float32Array;
const V = (a: Float32Array): Vec => a as unknown as Vec;

function map2(a: Vec, b: Vec, f: (x: number, y: number) => number): Vec {
  const x = F(a);
  const y = F(b);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i], y[i]);
  return V(out);
}

function map1(a: Vec, f: (x: number) => number): Vec {
  const x = F(a);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  return V(out);
}

export const cpuVectorOps: VectorOps = {
  engine: 'cpu',
  add: (a, b) => map2(a, b, (x, y) => x + y),
  sub: (a, b) => map2(a, b, (x, y) => x - y),
  mul: (a, b) => map2(a, b, (x, y) => x * y),
  div: (a, b) => map2(a, b, (x, y) => x / y),
  // NaN propagates, as tf.maximum does.
  maximum: (a, b) => map2(a, b, (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y)),
  scale(a, s) {
    const c = Math.fround(s);
    return map1(a, (x) => x * c);
  },
  divScalar(a, s) {
    const c = Math.fround(s);
    return map1(a, (x) => x / c);
  },
  addScalar(a, s) {
    const c = Math.fround(s);
    return map1(a, (x) => x + c);
  },
  sqrt: (a) => map1(a, Math.sqrt),
  square: (a) => map1(a, (x) => x * x),
  fill: (like, value) => V(new Float32Array(F(like).length).fill(value)),
  clone: (a) => V(F(a).slice()),
  dot(a, b) {
    const x = F(a);
    const y = F(b);
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  },
  sumSquares(a) {
    const x = F(a);
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i];
    return s;
  },
  distance1(a, b) {
    const x = F(a);
    const y = F(b);
    let s = 0;
    for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
    return s;
  },
  allFinite(a) {
    const x = F(a);
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
    return true;
  },
  fromArray(like, values) {
    const n = F(like).length;
    if (values.length !== n) throw new Error(`expected ${n} values, got ${values.length}`);
    return V(Float32Array.from(values));
  },
  toArray: (a) => F(a).slice(),
  tidy: (fn) => fn(),
  keep: (a) => a,
  dispose: () => {},
};

/** The Float32Array behind a cpu Vec (no copy: do not mutate it). */
export const cpuArray = F;
/** A Float32Array as a cpu Vec (the array is not copied: do not mutate it afterwards). */
export const cpuVec = V;
