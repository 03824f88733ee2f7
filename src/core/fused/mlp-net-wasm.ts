/**
 * FusedMLP on the WebAssembly SIMD kernels (wasm-kernels.ts): the same chunked forward/backward
 * pass, with θ, the activations and ∂f/∂Z as float32 in the kernels' memory. Each chunk's gradient
 * is produced in float32 and summed into the float64 gradient in JS, so float32 sums never run over
 * more than one layer's width or one chunk of rows. The losses (and sigmoid's forward pass, which
 * needs exp) are the shared JS code on float32 views.
 */
import { lossChunk } from './losses';
import { activate, type F64 } from './mlp-kernels';
import { paramLayout, penalty, type FusedData, type FusedNet, type KernelKind, type NetSpec } from './mlp-net';
import { createWasmKernels, regionOffsets, type WasmKernels } from './wasm-kernels';

export class FusedMLPWasm implements FusedNet {
  readonly kernels: KernelKind = 'wasm-simd';
  readonly nParams: number;
  private readonly sizes: number[];
  private readonly L: number;
  private readonly wOff: number[];
  private readonly bOff: number[];
  private readonly k: WasmKernels;
  /** Byte offsets in the kernel memory, and float32 views of the same regions. */
  private readonly thPtr: number;
  private readonly th: Float32Array;
  private readonly gPtr: number;
  private readonly g: Float32Array;
  private readonly wtPtr: number[];
  private readonly wt: Float32Array[];
  private readonly zeroPtr: number;
  private readonly onesPtr: number;
  private readonly actPtr: number[];
  private readonly act: Float32Array[];
  private readonly dPtr: number[];
  private readonly d: Float32Array[];

  /** Throws when WebAssembly SIMD is unavailable (see `FusedMLPWasm.available`). */
  constructor(
    readonly spec: NetSpec,
    readonly chunkRows = 256,
  ) {
    const { sizes } = spec;
    const R = chunkRows;
    this.sizes = sizes;
    this.L = sizes.length - 1;
    const layout = paramLayout(sizes);
    this.wOff = layout.wOff;
    this.bOff = layout.bOff;
    this.nParams = layout.nParams;
    const widest = Math.max(...sizes);
    // Regions (in floats, each 16-byte aligned): θ, the chunk's ∇θ, Wᵀ per layer (l ≥ 1), a zero
    // bias, activations per layer, two ∂f/∂Z buffers, a row of ones (bias gradients = 1ᵀ·∂f/∂Z).
    const lengths = [
      this.nParams,
      this.nParams,
      ...sizes.slice(0, -1).map((s, l) => (l === 0 ? 0 : s * sizes[l + 1])),
      widest,
      ...sizes.map((s) => R * s),
      R * widest,
      R * widest,
      R,
    ];
    const { offsets, totalFloats } = regionOffsets(lengths);
    const k = createWasmKernels(totalFloats * 4);
    if (!k) throw new Error('WebAssembly SIMD is not available');
    this.k = k;
    const view = (i: number) => new Float32Array(k.memory.buffer, offsets[i], lengths[i]);
    this.thPtr = offsets[0];
    this.th = view(0);
    this.gPtr = offsets[1];
    this.g = view(1);
    const L = this.L;
    this.wtPtr = sizes.slice(0, -1).map((_, l) => offsets[2 + l]);
    this.wt = sizes.slice(0, -1).map((_, l) => view(2 + l));
    this.zeroPtr = offsets[2 + L];
    this.actPtr = sizes.map((_, l) => offsets[3 + L + l]);
    this.act = sizes.map((_, l) => view(3 + L + l));
    this.dPtr = [offsets[4 + 2 * L], offsets[5 + 2 * L]];
    this.d = [view(4 + 2 * L), view(5 + 2 * L)];
    this.onesPtr = offsets[6 + 2 * L];
    view(6 + 2 * L).fill(1);
  }

  evaluate(theta: F64, data: FusedData, rows: Int32Array | null, withPenalty: boolean, grad: F64 | null = null): number {
    const { sizes, L, act, k, chunkRows: R, wOff, bOff } = this;
    const gemm = k.gemm;
    const activation = this.spec.activation;
    const n = rows ? rows.length : data.n;
    const inDim = sizes[0];
    const out = sizes[L];
    const terms = this.spec.loss === 'softmax_ce' ? n : n * out;
    this.th.set(theta); // exact: θ holds float32 values
    if (grad) {
      grad.fill(0);
      for (let l = 1; l < L; l++) {
        // Wᵀ (out×in) so that ∂f/∂A = ∂f/∂Z·Wᵀ is a product with a row-major right operand.
        const K = sizes[l], N = sizes[l + 1], w = wOff[l], wt = this.wt[l];
        for (let a = 0; a < K; a++) for (let b = 0; b < N; b++) wt[b * K + a] = theta[w + a * N + b];
      }
    }
    let sum = 0;
    for (let start = 0; start < n; start += R) {
      const r = Math.min(R, n - start);
      const A0 = act[0];
      const X = data.X;
      for (let i = 0; i < r; i++) {
        const src = (rows ? rows[start + i] : start + i) * inDim;
        for (let c = 0; c < inDim; c++) A0[i * inDim + c] = X[src + c];
      }
      for (let l = 0; l < L; l++) {
        const K = sizes[l], N = sizes[l + 1];
        gemm(this.actPtr[l], K * 4, 4, this.thPtr + wOff[l] * 4, this.thPtr + bOff[l] * 4, this.actPtr[l + 1], r, K, N, 0);
        if (l < L - 1) {
          if (activation === 'tanh') k.tanh(this.actPtr[l + 1], r * N);
          else if (activation === 'relu') k.relu(this.actPtr[l + 1], r * N);
          else activate(act[l + 1], r * N, activation);
        }
      }
      let D = 0;
      sum += lossChunk(this.spec.loss, act[L], out, data.y, rows, start, r, grad ? this.d[D] : null, 1 / terms);
      if (!grad) continue;
      for (let l = L - 1; l >= 0; l--) {
        const K = sizes[l], N = sizes[l + 1];
        // ∇W_l (this chunk) = A_lᵀ·D: A_l read transposed (A(k, i) at k·4 + i·K·4). With one output
        // (K×1 = 1×K) it is computed as Dᵀ·A_l instead, vectorised along K rather than one by one.
        if (N === 1) gemm(this.dPtr[D], 0, 4, this.actPtr[l], this.zeroPtr, this.gPtr + wOff[l] * 4, 1, r, K, 0);
        else gemm(this.actPtr[l], 4, K * 4, this.dPtr[D], this.zeroPtr, this.gPtr + wOff[l] * 4, K, r, N, 0);
        // ∇b_l (this chunk) = 1ᵀ·D.
        gemm(this.onesPtr, 0, 4, this.dPtr[D], this.zeroPtr, this.gPtr + bOff[l] * 4, 1, r, N, 0);
        const g = this.g;
        for (let p = wOff[l], e = bOff[l] + N; p < e; p++) grad[p] += g[p];
        if (l === 0) break;
        gemm(this.dPtr[D], N * 4, 4, this.wtPtr[l], this.zeroPtr, this.dPtr[1 - D], r, N, K, 0);
        const dp = this.dPtr[1 - D], ap = this.actPtr[l];
        if (activation === 'tanh') k.dtanh(dp, ap, r * K);
        else if (activation === 'relu') k.drelu(dp, ap, r * K);
        else if (activation === 'sigmoid') k.dsigmoid(dp, ap, r * K);
        D = 1 - D;
      }
    }
    const value = sum / terms;
    return withPenalty ? value + penalty(this.spec.l2, wOff, bOff, theta, grad) : value;
  }
}
