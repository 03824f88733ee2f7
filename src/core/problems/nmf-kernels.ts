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

/** np.finfo(np.float32).eps — scikit-learn's EPSILON (also exported by problems/nmf.ts). */
const EPSILON = 2 ** -23;
/** np.finfo(np.float64).eps. */
const EPS64 = 2 ** -52;

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
// The per-entry loops (plain typed arrays; exported for tests)

/**
 * Q and D of the multiplicative update, per entry of WH (r×c) and V: writes Q into out[0, len) and,
 * unless β = 1, D into out[len, 2·len). (One small function per case: V8 optimises each loop alone.)
 */
export function weightsLoop(out: Float32Array, WH: Float32Array, V: Float32Array, beta: number): void {
  if (beta === 1) weightsKL(out, WH, V);
  else if (beta === 0) weightsIS(out, WH, V);
  else weightsBeta(out, WH, V, beta);
}

function weightsKL(out: Float32Array, WH: Float32Array, V: Float32Array): void {
  const len = WH.length;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    out[i] = V[i] / (w === 0 ? EPSILON : w);
  }
}

function weightsIS(out: Float32Array, WH: Float32Array, V: Float32Array): void {
  // r ≤ 1/(smallest float32 denormal) ≈ 7e44: r² is finite in float64, so V = 0 gives Q = 0 with no guard
  const len = WH.length;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    const r = 1 / (w === 0 ? EPSILON : w);
    out[i] = V[i] * r * r;
    out[len + i] = r;
  }
}

function weightsBeta(out: Float32Array, WH: Float32Array, V: Float32Array, beta: number): void {
  const len = WH.length;
  const a = beta - 2;
  const b = beta - 1;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    const v = V[i];
    if (beta < 2) {
      const wn = w === 0 ? EPSILON : w;
      out[i] = v > 0 ? v * Math.pow(wn, a) : 0;
      out[len + i] = Math.pow(beta < 1 ? wn : w, b);
    } else {
      out[i] = v * Math.pow(w, a);
      out[len + i] = Math.pow(w, b);
    }
  }
}

/** Where an operand's entry (i, j) lives: off + i·si + j·sj. */
export type Strides = readonly [off: number, si: number, sj: number];

export function updateLoop(
  out: Float32Array,
  X: Float32Array,
  N: Float32Array,
  ns: Strides,
  D: Float32Array,
  ds: Strides,
  rows: number,
  cols: number,
  e: number,
  zeroTiny: boolean,
  dZeroToOne: boolean,
): void {
  const [no, nsi, nsj] = ns;
  const [dof, dsi, dsj] = ds;
  for (let i = 0; i < rows; i++) {
    let nk = no + i * nsi;
    let dk = dof + i * dsi;
    const base = i * cols;
    for (let j = 0; j < cols; j++, nk += nsj, dk += dsj) {
      let d = D[dk];
      if (dZeroToOne && d === 0) d = 1;
      let R = N[nk] / (d === 0 ? EPSILON : d);
      if (e !== 1) R = Math.pow(R, e);
      const x = X[base + j] * R;
      out[base + j] = zeroTiny && x < EPS64 ? 0 : x;
    }
  }
}

/**
 * Σ d_β(v | wh) with sklearn's conventions (problems/nmf.ts, betaDivergence), in float64, where the
 * O(1) terms that cancel when the fit is good lose ~1e-16/r² relative (r = log(wh/v)), not float32's
 * ~1e-7/r². β = 0 needs Σ log x only: it takes the log of running products (renormalised far from
 * overflow), one Math.log per ~300 entries instead of one per entry.
 */
export function divergenceLoop(WH: Float32Array, V: Float32Array, mask: Float32Array, beta: number): number {
  if (beta === 2) return divergenceEuclid(WH, V);
  if (beta === 0) return divergenceIS(WH, V, mask);
  if (beta === 1) return divergenceKL(WH, V, mask);
  return divergenceBeta(WH, V, mask, beta);
}

function divergenceEuclid(WH: Float32Array, V: Float32Array): number {
  const len = WH.length;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const d = V[i] - WH[i];
    s += d * d;
  }
  return 0.5 * s;
}

/** Σ_{V>ε} (x − log x − 1) − #{V ≤ ε}, x = v/wh' (wh' = wh with 0 → EPSILON). */
function divergenceIS(WH: Float32Array, V: Float32Array, mask: Float32Array): number {
  const len = WH.length;
  let s = 0;
  let logs = 0;
  let p = 1;
  for (let i = 0; i < len; i++) {
    if (mask[i] === 0) continue;
    const w = WH[i];
    const x = V[i] / (w === 0 ? EPSILON : w);
    s += x;
    p *= x;
    if (!(p < 1e150 && p > 1e-150)) {
      logs += Math.log(p);
      p = 1;
    }
  }
  return s - (logs + Math.log(p)) - len;
}

/** Σ_{V>ε} v·(x − 1 − log x) + (wh − wh') + Σ_{V≤ε} wh, x = wh'/v. */
function divergenceKL(WH: Float32Array, V: Float32Array, mask: Float32Array): number {
  const len = WH.length;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    if (mask[i] === 0) {
      s += w;
      continue;
    }
    const v = V[i];
    const we = w === 0 ? EPSILON : w;
    const x = we / v;
    s += v * (x - 1 - Math.log(x)) + (w - we);
  }
  return s;
}

/** [Σ_{V>ε} (v^β − β·v·wh'^{β−1}) + (β − 1)·Σ_all wh^β] / (β(β − 1)). */
function divergenceBeta(WH: Float32Array, V: Float32Array, mask: Float32Array, beta: number): number {
  const len = WH.length;
  const c = 1 / (beta * (beta - 1));
  let s = 0;
  for (let i = 0; i < len; i++) {
    const w = WH[i];
    const wb = Math.pow(w, beta);
    if (mask[i] === 0) {
      s += (beta - 1) * wb * c;
      continue;
    }
    const v = V[i];
    const we = w === 0 ? EPSILON : w;
    s += (Math.pow(v, beta) + (beta - 1) * wb - beta * v * Math.pow(we, beta - 1)) * c;
  }
  return s;
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
