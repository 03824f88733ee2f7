/**
 * The elementwise parts of β-NMF as single fused passes, registered as tfjs kernels for the two
 * backends whose data lives in CPU memory ('cpu': JS arrays; 'wasm': the WebAssembly heap, read and
 * written in place, no copies). Each kernel replaces 10–20 tfjs ops (each a full pass over the m×n
 * matrix plus a launch), computes per entry in float64 and rounds once to float32.
 *
 *   NMFWeights     (WH, V) → [Q; D] stacked (2r×c), Q = (WH)^{β−2} ⊙ V and D = (WH)^{β−1} with
 *                  sklearn's guards (β = 1: Q = V/WH only, r×c)
 *   NMFUpdate      (X, N, D) → X ⊙ (N / D)^e with D = 0 → EPSILON (β = 1 H: D = 0 → 1 first), then
 *                  (zeroTiny) entries < float64 eps → 0; N and D are read through strides, so a half
 *                  of a stacked or transposed matmul result, or a broadcast vector, needs no copy
 *   NMFDivergence  (WH, V, mask) → D_β(V | WH) as sklearn's _beta_divergence (see problems/nmf.ts),
 *                  summed in float64
 *
 * Every other backend (webgl, webgpu), and any call while a gradient tape is recording (these
 * kernels have no gradients), uses the composite tfjs-op versions below, which compute the same
 * numbers in float32 op by op. `setFusedNMFKernels(false)` forces the composite path (tests).
 */
import * as tf from '@tensorflow/tfjs';
import { divergenceLoop, EPSILON, EPS64, updateLoop, weightsLoop, type Strides } from './nmf-loops';

export { divergenceLoop, updateLoop, weightsLoop };

const WEIGHTS = 'MMLabNMFWeights';
const UPDATE = 'MMLabNMFUpdate';
const DIVERGENCE = 'MMLabNMFDivergence';
const FUSED_BACKENDS = ['cpu', 'wasm'] as const;

let fusedEnabled = true;

/** Turns the fused kernels on or off (off: composite tfjs ops on every backend). Returns the old value. */
export function setFusedNMFKernels(on: boolean): boolean {
  const old = fusedEnabled;
  fusedEnabled = on;
  return old;
}

/** Whether the next NMF computation runs the fused kernels (enabled, cpu/wasm backend, no gradient tape). */
export function fusedNMFKernels(): boolean {
  if (!fusedEnabled) return false;
  const name = tf.getBackend();
  if (name !== 'cpu' && name !== 'wasm') return false;
  // tfjs records a tape inside tf.grad/variableGrads (gradientDepth > 0): stay differentiable there.
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state;
  return !(state && (state.gradientDepth ?? 0) > 0);
}

// ---------------------------------------------------------------------------------------------
// Kernel registration (cpu and wasm)

type Info = tf.TensorInfo;
interface CpuLike {
  data: { get(id: unknown): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): Info;
}
interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): Info;
  typedArrayFromHeap(t: Info): Float32Array;
}

/** Allocates the outputs first (a wasm allocation may grow and detach the heap), then views everything. */
function withArrays(backendName: string, backend: unknown, inputs: Info[], outShapes: number[][], body: (ins: Float32Array[], outs: Float32Array[]) => void): Info[] {
  if (backendName === 'wasm') {
    const b = backend as WasmLike;
    const outs = outShapes.map((s) => b.makeOutput(s, 'float32'));
    body(
      inputs.map((t) => b.typedArrayFromHeap(t)),
      outs.map((t) => b.typedArrayFromHeap(t)),
    );
    return outs;
  }
  const b = backend as CpuLike;
  const ins = inputs.map((t) => {
    const v = b.data.get(t.dataId).values;
    return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  });
  const outVals = outShapes.map((s) => new Float32Array(s.reduce((a, n) => a * n, 1)));
  body(ins, outVals);
  return outShapes.map((s, k) => b.makeTensorInfo(s, 'float32', outVals[k]));
}

function register(): void {
  for (const backendName of FUSED_BACKENDS) {
    if (!tf.getKernel(WEIGHTS, backendName))
      tf.registerKernel({
        kernelName: WEIGHTS,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => {
          const { WH, V } = inputs as { WH: Info; V: Info };
          const beta = attrs!.beta as number;
          const [r, c] = WH.shape;
          return withArrays(backendName, backend, [WH, V], [[beta === 1 ? r : 2 * r, c]], ([wh, v], [out]) => weightsLoop(out, wh, v, beta))[0];
        },
      });
    if (!tf.getKernel(UPDATE, backendName))
      tf.registerKernel({
        kernelName: UPDATE,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => {
          const { X, N, D } = inputs as { X: Info; N: Info; D: Info };
          const a = attrs as unknown as { ns: number[]; ds: number[]; e: number; zeroTiny: boolean; dZeroToOne: boolean };
          const [r, c] = X.shape;
          return withArrays(backendName, backend, [X, N, D], [[r, c]], ([x, n, d], [out]) =>
            updateLoop(out, x, n, a.ns as unknown as Strides, d, a.ds as unknown as Strides, r, c, a.e, a.zeroTiny, a.dZeroToOne),
          )[0];
        },
      });
    if (!tf.getKernel(DIVERGENCE, backendName))
      tf.registerKernel({
        kernelName: DIVERGENCE,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => {
          const { WH, V, mask } = inputs as { WH: Info; V: Info; mask: Info };
          return withArrays(backendName, backend, [WH, V, mask], [[]], ([wh, v, m], [out]) => {
            out[0] = divergenceLoop(wh, v, m, attrs!.beta as number);
          })[0];
        },
      });
  }
}
register();

// ---------------------------------------------------------------------------------------------
// The operations (fused kernel or composite tfjs ops)

/**
 * An operand of the update, as the r×c matrix it stands for:
 *  - `t` itself (r×c), or one half of a stacked [N; D] (`half` 0 or 1; t is 2r×c);
 *  - `transposed`: t holds the transpose (c×r, or 2c×r stacked);
 *  - `vector: 'col'`: t has c entries, entry (i, j) = t[j]; `'row'`: r entries, entry (i, j) = t[i].
 */
export interface Operand {
  t: tf.Tensor;
  half?: 0 | 1;
  transposed?: boolean;
  vector?: 'row' | 'col';
}

function strides(o: Operand, r: number, c: number): Strides {
  if (o.vector === 'col') return [0, 0, 1];
  if (o.vector === 'row') return [0, 1, 0];
  const h = o.half ?? 0;
  return o.transposed ? [h * c * r, 1, r] : [h * r * c, c, 1];
}

function materialise(o: Operand, r: number, c: number): tf.Tensor {
  if (o.vector === 'col') return tf.reshape(o.t, [1, c]);
  if (o.vector === 'row') return tf.reshape(o.t, [r, 1]);
  const stacked = o.half !== undefined;
  if (!o.transposed) return stacked ? tf.slice(o.t, [o.half! * r, 0], [r, c]) : o.t;
  return tf.transpose(stacked ? tf.slice(o.t, [o.half! * c, 0], [c, r]) : o.t);
}

/** x with exact zeros replaced by `eps`. */
const zerosTo = (x: tf.Tensor, eps: number): tf.Tensor => tf.where(tf.equal(x, 0), tf.scalar(eps), x);

/**
 * [Q; D] stacked (2r×c) from WH and V (both r×c): Q = (WH)^{β−2} ⊙ V, D = (WH)^{β−1}, sklearn's guards
 * (β < 2: zeros of WH → EPSILON in Q, and Q = 0 where V = 0; β < 1: zeros → EPSILON in D too).
 * β = 1: Q = V / WH only (r×c). Not for β = 2 (whose update needs no WH).
 */
export function nmfWeights(WH: tf.Tensor2D, V: tf.Tensor2D, beta: number): tf.Tensor2D {
  if (fusedNMFKernels()) return tf.engine().runKernel(WEIGHTS, { WH, V }, { beta }) as tf.Tensor2D;
  return tf.tidy(() => {
    const WHn = beta < 2 ? zerosTo(WH, EPSILON) : WH;
    if (beta === 1) return tf.div(V, WHn) as tf.Tensor2D;
    let q: tf.Tensor;
    let d: tf.Tensor;
    if (beta === 0) {
      d = tf.reciprocal(WHn);
      q = tf.mul(tf.square(d), V);
    } else {
      q = tf.mul(tf.pow(WHn, beta - 2), V);
      d = tf.pow(beta < 1 ? WHn : WH, beta - 1);
    }
    // (WH)^{β−2} can overflow float32 where float64 does not (denormal WH at a zero of V): keep
    // sklearn's 0 there instead of 0·inf = NaN.
    if (beta < 2) q = tf.where(tf.greater(V, 0), q, tf.zerosLike(q));
    return tf.concat([q, d], 0) as tf.Tensor2D;
  });
}

/**
 * X ⊙ (N / D)^e (D = 0 → EPSILON; `dZeroToOne`: D = 0 → 1 first, sklearn's β = 1 W_sum), then
 * (`zeroTiny`) entries below float64 eps → 0. N and D are operands of X's shape (see Operand).
 */
export function nmfApplyUpdate(X: tf.Tensor2D, N: Operand, D: Operand, e: number, zeroTiny: boolean, dZeroToOne = false): tf.Tensor2D {
  const [r, c] = X.shape;
  if (fusedNMFKernels())
    return tf.engine().runKernel(UPDATE, { X, N: N.t, D: D.t }, { ns: [...strides(N, r, c)], ds: [...strides(D, r, c)], e, zeroTiny, dZeroToOne } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  return tf.tidy(() => {
    let d = materialise(D, r, c);
    if (dZeroToOne) d = zerosTo(d, 1);
    let R = tf.div(materialise(N, r, c), zerosTo(d, EPSILON));
    if (e !== 1) R = tf.pow(R, e);
    const X1 = tf.mul(X, R);
    return (zeroTiny ? tf.where(tf.less(X1, EPS64), tf.zerosLike(X1), X1) : X1) as tf.Tensor2D;
  });
}

/** The fused D_β(V | WH), or null when the composite path must be used (the caller has it). */
export function nmfDivergenceFused(WH: tf.Tensor2D, V: tf.Tensor2D, mask: tf.Tensor2D, beta: number): tf.Scalar | null {
  if (!fusedNMFKernels()) return null;
  return tf.engine().runKernel(DIVERGENCE, { WH, V, mask }, { beta }) as tf.Scalar;
}
