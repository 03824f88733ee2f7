/**
 * The MLP objective of problems/mlp.ts on flat parameter vectors, without tfjs:
 *   θ = [W1 (in×out row-major), b1, W2, b2, …],   f(θ) = mean loss(c(θ; X), Y) + (l2/2)·Σ‖W‖².
 * The data is processed in chunks of `chunkRows` rows (forward, then backward, accumulating ∇W and ∇b),
 * so every intermediate stays in cache whatever the number of examples, and the buffers are allocated
 * once. A mini-batch is the same computation on the rows listed by an index array.
 */
import type { Activation, LossName } from '../problems/mlp';
import { mlpLayout } from '../engine/mlp-ops';
import { lossChunk } from './losses';
import { activate, activationBackward, gemmBias, gemmNT, gemmTN, type F64 } from './mlp-kernels';

export interface NetSpec {
  /** Full layer sizes, input to output, e.g. [2, 8, 8, 1]. */
  sizes: number[];
  activation: Activation;
  loss: LossName;
  l2: number;
}

/** Examples of one data set: X row-major n×in, y one target per row (class index for softmax_ce). */
export interface FusedData {
  n: number;
  X: F64;
  y: F64;
}

/** Offsets of W_l and b_l (l = 0 … L−1) in the flat vector, and its length (engine/mlp-ops.ts). */
export const paramLayout = mlpLayout;

/** Which kernels a net runs on: WebAssembly SIMD (float32) or plain JS (float64 intermediates). */
export type KernelKind = 'wasm-simd' | 'js';

/** f and ∇f of one MLP objective on flat parameters; FusedMLP (JS) and FusedMLPWasm implement it. */
export interface FusedNet {
  readonly spec: NetSpec;
  readonly nParams: number;
  readonly kernels: KernelKind;
  /**
   * f(θ) on `data` (its rows listed by `rows`, or all of them), with the penalty when asked. When
   * `grad` is given it is overwritten with ∇f(θ) (the penalty's gradient included iff withPenalty).
   * θ is read as float64 but holds float32 values.
   */
  evaluate(theta: F64, data: FusedData, rows: Int32Array | null, withPenalty: boolean, grad?: F64 | null): number;
}

/** (l2/2)·Σ‖W‖² over the weight blocks, and when `grad` is given adds l2·W to its weight entries. */
export function penalty(l2: number, wOff: number[], bOff: number[], theta: F64, grad: F64 | null): number {
  if (l2 === 0) return 0;
  let s = 0;
  for (let l = 0; l < wOff.length; l++) {
    const end = bOff[l];
    for (let p = wOff[l]; p < end; p++) {
      const w = theta[p];
      s += w * w;
      if (grad) grad[p] += l2 * w;
    }
  }
  return (l2 / 2) * s;
}

export class FusedMLP implements FusedNet {
  readonly kernels: KernelKind = 'js';
  readonly sizes: number[];
  readonly L: number;
  readonly nParams: number;
  readonly wOff: number[];
  readonly bOff: number[];
  /** acts[0]: the chunk's inputs; acts[l]: layer l's outputs (activated for l < L). */
  private readonly acts: F64[];
  /** Ping-pong buffers for ∂f/∂Z of the layer being back-propagated. */
  private dA: F64;
  private dB: F64;

  constructor(
    readonly spec: NetSpec,
    readonly chunkRows = 128,
  ) {
    this.sizes = spec.sizes;
    this.L = spec.sizes.length - 1;
    const layout = paramLayout(spec.sizes);
    this.wOff = layout.wOff;
    this.bOff = layout.bOff;
    this.nParams = layout.nParams;
    this.acts = spec.sizes.map((s) => new Float64Array(chunkRows * s));
    const widest = Math.max(...spec.sizes);
    this.dA = new Float64Array(chunkRows * widest);
    this.dB = new Float64Array(chunkRows * widest);
  }

  /** (l2/2)·Σ‖W‖², and when `grad` is given adds l2·W to its weight entries. */
  penalty(theta: F64, grad: F64 | null): number {
    const l2 = this.spec.l2;
    if (l2 === 0) return 0;
    let s = 0;
    for (let l = 0; l < this.L; l++) {
      const end = this.bOff[l];
      for (let p = this.wOff[l]; p < end; p++) {
        const w = theta[p];
        s += w * w;
        if (grad) grad[p] += l2 * w;
      }
    }
    return (l2 / 2) * s;
  }

  evaluate(theta: F64, data: FusedData, rows: Int32Array | null, withPenalty: boolean, grad: F64 | null = null): number {
    const { sizes, L, acts, chunkRows: R } = this;
    const n = rows ? rows.length : data.n;
    const inDim = sizes[0];
    const out = sizes[L];
    const terms = this.spec.loss === 'softmax_ce' ? n : n * out;
    const scale = 1 / terms;
    if (grad) grad.fill(0);
    let sum = 0;
    for (let start = 0; start < n; start += R) {
      const r = Math.min(R, n - start);
      // Gather the chunk's inputs.
      const A0 = acts[0];
      const X = data.X;
      for (let i = 0; i < r; i++) {
        const src = (rows ? rows[start + i] : start + i) * inDim;
        for (let k = 0; k < inDim; k++) A0[i * inDim + k] = X[src + k];
      }
      for (let l = 0; l < L; l++) {
        gemmBias(acts[l], theta, this.wOff[l], this.bOff[l], acts[l + 1], r, sizes[l], sizes[l + 1]);
        if (l < L - 1) activate(acts[l + 1], r * sizes[l + 1], this.spec.activation);
      }
      let D = this.dA;
      sum += lossChunk(this.spec.loss, acts[L], out, data.y, rows, start, r, grad ? D : null, scale);
      if (!grad) continue;
      for (let l = L - 1; l >= 0; l--) {
        gemmTN(acts[l], D, grad, this.wOff[l], this.bOff[l], r, sizes[l], sizes[l + 1]);
        if (l === 0) break;
        const prev = D === this.dA ? this.dB : this.dA;
        gemmNT(D, theta, this.wOff[l], prev, r, sizes[l + 1], sizes[l]);
        activationBackward(prev, acts[l], r * sizes[l], this.spec.activation);
        D = prev;
      }
    }
    const value = sum / terms;
    return withPenalty ? value + penalty(this.spec.l2, this.wOff, this.bOff, theta, grad) : value;
  }
}
