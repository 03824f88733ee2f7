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

// One loop per operation (no shared callback-taking helper): V8 inlines nothing through a megamorphic
// callback, and these loops are the whole cost of an optimizer step on a small net.
const out = (a: Vec): Float32Array => allocF32(F(a).length);

/**
 * Vecs are carved from 1 MiB slabs by bumping an offset: a typed-array *view* costs ~50 ns where a
 * fresh Float32Array (its own backing store) costs ~1 µs, which on a small net is most of an optimizer
 * step. Nothing is ever reused (a slab is freed by the GC once no Vec views it), so Vecs stay values.
 * Vectors over 1/8 of a slab get their own buffer. Never transfer a Vec's `.buffer`.
 */
const SLAB_BYTES = 1 << 20;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabOffset = 0;

/** A zero-filled float32 array of length n, from the current slab. */
export function allocF32(n: number): Float32Array {
  const bytes = n * 4;
  if (bytes > SLAB_BYTES / 8) return new Float32Array(n);
  if (slabOffset + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabOffset = 0;
  }
  const a = new Float32Array(slab, slabOffset, n);
  slabOffset += (bytes + 15) & ~15;
  return a;
}

export const cpuVectorOps: VectorOps = {
  engine: 'cpu',
  isVec: (x): x is Vec => x instanceof Float32Array,
  add(a, b) {
    const x = F(a);
    const y = F(b);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] + y[i];
    return V(o);
  },
  sub(a, b) {
    const x = F(a);
    const y = F(b);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] - y[i];
    return V(o);
  },
  mul(a, b) {
    const x = F(a);
    const y = F(b);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] * y[i];
    return V(o);
  },
  div(a, b) {
    const x = F(a);
    const y = F(b);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] / y[i];
    return V(o);
  },
  // NaN propagates, as tf.maximum does.
  maximum(a, b) {
    const x = F(a);
    const y = F(b);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i] > y[i] ? x[i] : y[i];
    return V(o);
  },
  scale(a, s) {
    const c = Math.fround(s);
    const x = F(a);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] * c;
    return V(o);
  },
  axpby(a, ca, b, cb) {
    const fa = Math.fround(ca);
    const fb = Math.fround(cb);
    const x = F(a);
    const y = F(b);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = Math.fround(x[i] * fa) + Math.fround(y[i] * fb);
    return V(o);
  },
  addScaled(a, b, s) {
    const c = Math.fround(s);
    const x = F(a);
    const y = F(b);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] + Math.fround(y[i] * c);
    return V(o);
  },
  divScalar(a, s) {
    const c = Math.fround(s);
    const x = F(a);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] / c;
    return V(o);
  },
  addScalar(a, s) {
    const c = Math.fround(s);
    const x = F(a);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] + c;
    return V(o);
  },
  sqrt(a) {
    const x = F(a);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(x[i]);
    return V(o);
  },
  square(a) {
    const x = F(a);
    const o = out(a);
    for (let i = 0; i < o.length; i++) o[i] = x[i] * x[i];
    return V(o);
  },
  fill: (like, value) => V(out(like).fill(value)),
  clone(a) {
    const o = out(a);
    o.set(F(a));
    return V(o);
  },
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
    const o = allocF32(n);
    for (let i = 0; i < n; i++) o[i] = values[i];
    return V(o);
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
