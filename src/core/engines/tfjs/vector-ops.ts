/**
 * The tfjs engine's vector operations: a Vec is the list of parameter tensors ([W1, b1, W2, b2, …] for
 * an MLP, [W, H] for NMF), every operation one tfjs op per tensor, so it runs on whatever backend tfjs
 * is set to (WebGPU, WebGL, WASM, CPU). tfjs computes element-wise ops in float32 and rounds a scalar
 * operand to float32 (tf.mul(x, 0.9)), which is the engine interface's semantics.
 */
import * as tf from '@tensorflow/tfjs';
import type { Vec, VectorOps } from '../../engine/types';

/** The tensors behind a tfjs Vec. */
export const tensorsOf = (v: Vec): tf.Tensor[] => v as unknown as tf.Tensor[];
/** A list of tensors as a tfjs Vec (no copy). */
export const tfjsVec = (ts: tf.Tensor[]): Vec => ts as unknown as Vec;

const T = tensorsOf;
const V = tfjsVec;

function sum(parts: tf.Tensor[]): number {
  return tf.tidy(() => tf.addN(parts.map((p) => tf.sum(p))).dataSync()[0]);
}

export const tfjsVectorOps: VectorOps = {
  engine: 'tfjs',
  isVec: (x): x is Vec => Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof tf.Tensor),
  add: (a, b) => V(T(a).map((x, i) => tf.add(x, T(b)[i]))),
  sub: (a, b) => V(T(a).map((x, i) => tf.sub(x, T(b)[i]))),
  mul: (a, b) => V(T(a).map((x, i) => tf.mul(x, T(b)[i]))),
  div: (a, b) => V(T(a).map((x, i) => tf.div(x, T(b)[i]))),
  maximum: (a, b) => V(T(a).map((x, i) => tf.maximum(x, T(b)[i]))),
  scale: (a, s) => V(T(a).map((x) => tf.mul(x, s))),
  axpby: (x, a, y, b) => V(T(x).map((xi, i) => tf.add(tf.mul(xi, a), tf.mul(T(y)[i], b)))),
  addScaled: (x, y, s) => V(T(x).map((xi, i) => tf.add(xi, tf.mul(T(y)[i], s)))),
  divScalar: (a, s) => V(T(a).map((x) => tf.div(x, s))),
  addScalar: (a, s) => V(T(a).map((x) => tf.add(x, s))),
  sqrt: (a) => V(T(a).map((x) => tf.sqrt(x))),
  square: (a) => V(T(a).map((x) => tf.mul(x, x))),
  fill: (like, value) => V(T(like).map((x) => tf.fill(x.shape, value, 'float32'))),
  clone: (a) => V(T(a).map((x) => x.clone())),
  dot: (a, b) => tf.tidy(() => sum(T(a).map((x, i) => tf.mul(x, T(b)[i])))),
  sumSquares: (a) => tf.tidy(() => sum(T(a).map((x) => tf.square(x)))),
  distance1: (a, b) => tf.tidy(() => sum(T(a).map((x, i) => (x === T(b)[i] ? tf.zeros([1]) : tf.abs(tf.sub(x, T(b)[i])))))),
  allFinite: (a) => tf.tidy(() => T(a).every((x) => tf.all(tf.isFinite(x)).dataSync()[0] === 1)),
  fromArray(like, values) {
    let o = 0;
    return V(
      T(like).map((x) => {
        const part = Float32Array.from({ length: x.size }, (_, i) => values[o + i]);
        o += x.size;
        return tf.tensor(part, x.shape, 'float32');
      }),
    );
  },
  toArray(a) {
    const ts = T(a);
    const out = new Float32Array(ts.reduce((s, t) => s + t.size, 0));
    let o = 0;
    for (const t of ts) {
      out.set(t.dataSync() as Float32Array, o);
      o += t.size;
    }
    return out;
  },
  async read(a) {
    const ts = T(a);
    const parts = await Promise.all(ts.map((t) => t.data() as Promise<Float32Array>));
    const out = new Float32Array(ts.reduce((s, t) => s + t.size, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  },
  tidy: (fn) => tf.tidy(fn as () => tf.TensorContainer) as ReturnType<typeof fn>,
  keep: (a) => {
    if (a) T(a).forEach((x) => tf.keep(x));
    return a;
  },
  dispose: (a) => {
    if (a) tf.dispose(a as unknown as tf.Tensor[]);
  },
};
