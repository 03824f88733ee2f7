/**
 * The CNN of cnn-net.ts on the WebAssembly SIMD matrix product (fused/wasm-kernels.ts, f32x4, float32
 * storage and accumulation as torch's CPU kernels): the same im2col pass, with θ, the chunk's maps and
 * their gradients as float32 in the kernels' memory. Every product is one `gemm` call:
 *   forward   Z = cols·K + c                     gemm(cols, kk, 1, K, c, Z, M, kk, F)
 *   ∇K        colsᵀ·∂Z (cols read transposed)    gemm(cols, 1, kk, ∂Z, 0, gK, kk, M, F)
 *   ∇c        1ᵀ·∂Z                              gemm(ones, 0, 1, ∂Z, 0, gc, 1, M, F)
 *   ∂cols     ∂Z·Kᵀ (Kᵀ copied once per pass)     gemm(∂Z, F, 1, Kᵀ, 0, ∂cols, M, F, kk)
 * and the dense stack as fused/mlp-net-wasm.ts. Each chunk's float32 gradient is summed into the float64
 * gradient in JS (float32 sums never run over more than one chunk). im2col, col2im, the max-pool and
 * the loss are cnn-net.ts's JS loops on float32 views.
 */
import { lossChunk } from '../../fused/losses';
import { activate, activationBackward, type F64 } from '../../fused/mlp-kernels';
import { penalty, type FusedData } from '../../fused/mlp-net';
import { createWasmKernels, regionOffsets, type WasmKernels } from '../../fused/wasm-kernels';
import { cnnLayout } from '../../problems/cnn-spec';
import { col2im, im2col, maxPool, type CNNEvaluator, type CNNNetSpec } from './cnn-net';

/** A region of the kernels' memory: its byte offset and a float32 view. */
interface Region {
  ptr: number;
  v: Float32Array;
}

export class CNNNetWasm implements CNNEvaluator {
  readonly nParams: number;
  private readonly k: WasmKernels;
  private readonly kOff: number[] = [];
  private readonly wOff: number[] = [];
  private readonly bOff: number[] = [];
  private readonly regions: Region[] = [];
  private readonly th: Region;
  private readonly g: Region;
  private readonly zero: Region;
  private readonly ones: Region;
  private readonly input: Region;
  /** Per block: cols, σ(Z), pooled output, ∂Z, ∂cols, ∂(pooled output), Kᵀ; and the pool's argmax. */
  private readonly conv: { cols: Region; act: Region; out: Region; dAct: Region; dCols: Region; dOut: Region; kt: Region; arg: Int32Array }[];
  /** Dense stack: outputs per layer, ∂f/∂Z per layer, Wᵀ per layer. */
  private readonly dense: Region[];
  private readonly dDense: Region[];
  private readonly wt: Region[];
  private readonly dFlat: Region;

  /** Throws when WebAssembly SIMD is unavailable. */
  constructor(
    readonly spec: CNNNetSpec,
    readonly chunkRows = 32,
  ) {
    const { shape } = spec;
    const R = chunkRows;
    const { tensors, nParams } = cnnLayout(shape);
    this.nParams = nParams;
    for (let t = 0; t < tensors.length; t += 2) {
      (t < 2 * shape.convs.length ? this.kOff : this.wOff).push(tensors[t].offset);
      this.bOff.push(tensors[t + 1].offset);
    }
    const lengths: number[] = [];
    const at = (len: number) => lengths.push(len) - 1;
    const iTh = at(nParams);
    const iG = at(nParams);
    const widest = Math.max(...shape.dense, ...shape.convs.map((c) => Math.max(c.filters, c.kernel * c.kernel * c.inC)));
    const iZero = at(widest);
    const iOnes = at(Math.max(R, ...shape.convs.map((c) => R * c.outH * c.outW)));
    const iInput = at(R * shape.rows * shape.cols);
    const iConv = shape.convs.map((c) => {
      const M = R * c.outH * c.outW;
      const kk = c.kernel * c.kernel * c.inC;
      const pooled = R * c.poolH * c.poolW * c.filters;
      return [at(M * kk), at(M * c.filters), at(pooled), at(M * c.filters), at(M * kk), at(pooled), at(kk * c.filters)];
    });
    const iDense = shape.dense.slice(1).map((d) => at(R * d));
    const iDDense = shape.dense.slice(1).map((d) => at(R * d));
    const iWt = shape.dense.slice(0, -1).map((d, l) => at(d * shape.dense[l + 1]));
    const iFlat = at(R * shape.dense[0]);
    const { offsets, totalFloats } = regionOffsets(lengths);
    const k = createWasmKernels(totalFloats * 4);
    if (!k) throw new Error('WebAssembly SIMD is not available');
    this.k = k;
    lengths.forEach((len, i) => this.regions.push({ ptr: offsets[i], v: new Float32Array(k.memory.buffer, offsets[i], len) }));
    const r = (i: number) => this.regions[i];
    [this.th, this.g, this.zero, this.ones, this.input, this.dFlat] = [r(iTh), r(iG), r(iZero), r(iOnes), r(iInput), r(iFlat)];
    this.ones.v.fill(1);
    this.conv = iConv.map(([cols, act, out, dAct, dCols, dOut, kt], b) => ({
      cols: r(cols),
      act: r(act),
      out: shape.convs[b].pool > 1 ? r(out) : r(act),
      dAct: r(dAct),
      dCols: r(dCols),
      dOut: r(dOut),
      kt: r(kt),
      arg: new Int32Array(R * shape.convs[b].poolH * shape.convs[b].poolW * shape.convs[b].filters),
    }));
    this.dense = iDense.map(r);
    this.dDense = iDDense.map(r);
    this.wt = iWt.map(r);
  }

  private act(reg: Region, len: number): void {
    const a = this.spec.activation;
    if (a === 'relu') this.k.relu(reg.ptr, len);
    else if (a === 'tanh') this.k.tanh(reg.ptr, len);
    else activate(reg.v, len, a);
  }

  private dact(d: Region, a: Region, len: number): void {
    const act = this.spec.activation;
    if (act === 'relu') this.k.drelu(d.ptr, a.ptr, len);
    else if (act === 'tanh') this.k.dtanh(d.ptr, a.ptr, len);
    else activationBackward(d.v, a.v, len, act);
  }

  /** The forward pass of r rows from `start`; returns the logits region. */
  private forward(data: FusedData, rows: Int32Array | null, start: number, r: number): Region {
    const { shape } = this.spec;
    const gemm = this.k.gemm;
    const d = shape.rows * shape.cols;
    const inp = this.input.v;
    for (let i = 0; i < r; i++) {
      const src = (rows ? rows[start + i] : start + i) * d;
      for (let q = 0; q < d; q++) inp[i * d + q] = data.X[src + q];
    }
    let a = this.input;
    shape.convs.forEach((s, b) => {
      const c = this.conv[b];
      const M = r * s.outH * s.outW;
      const kk = s.kernel * s.kernel * s.inC;
      im2col(a.v, s, r, c.cols.v);
      gemm(c.cols.ptr, kk * 4, 4, this.th.ptr + this.kOff[b] * 4, this.th.ptr + this.bOff[b] * 4, c.act.ptr, M, kk, s.filters, 0);
      this.act(c.act, M * s.filters);
      if (s.pool > 1) maxPool(c.act.v, s, r, c.out.v, c.arg);
      a = c.out;
    });
    const nc = shape.convs.length;
    const L = shape.dense.length - 1;
    for (let l = 0; l < L; l++) {
      const [K, N] = [shape.dense[l], shape.dense[l + 1]];
      gemm(a.ptr, K * 4, 4, this.th.ptr + this.wOff[l] * 4, this.th.ptr + this.bOff[nc + l] * 4, this.dense[l].ptr, r, K, N, 0);
      if (l < L - 1) this.act(this.dense[l], r * N);
      a = this.dense[l];
    }
    return a;
  }

  /** Adds the chunk's float32 gradient of parameters [from, to) into grad. */
  private collect(grad: F64, from: number, to: number): void {
    const g = this.g.v;
    for (let p = from; p < to; p++) grad[p] += g[p];
  }

  private backward(r: number, grad: F64): void {
    const { shape } = this.spec;
    const gemm = this.k.gemm;
    const nc = shape.convs.length;
    const L = shape.dense.length - 1;
    const [g, zero, ones] = [this.g.ptr, this.zero.ptr, this.ones.ptr];
    for (let l = L - 1; l >= 0; l--) {
      const [K, N] = [shape.dense[l], shape.dense[l + 1]];
      const aIn = l > 0 ? this.dense[l - 1] : this.conv[nc - 1].out;
      const D = this.dDense[l];
      gemm(aIn.ptr, 4, K * 4, D.ptr, zero, g + this.wOff[l] * 4, K, r, N, 0);
      gemm(ones, 0, 4, D.ptr, zero, g + this.bOff[nc + l] * 4, 1, r, N, 0);
      this.collect(grad, this.wOff[l], this.bOff[nc + l] + N);
      const dIn = l > 0 ? this.dDense[l - 1] : this.dFlat;
      gemm(D.ptr, N * 4, 4, this.wt[l].ptr, zero, dIn.ptr, r, N, K, 0);
      if (l > 0) this.dact(dIn, aIn, r * K);
    }
    let dOut = this.dFlat;
    for (let b = nc - 1; b >= 0; b--) {
      const s = shape.convs[b];
      const c = this.conv[b];
      const M = r * s.outH * s.outW;
      const kk = s.kernel * s.kernel * s.inC;
      const dA = c.dAct.v;
      if (s.pool > 1) {
        dA.fill(0, 0, M * s.filters);
        const np = r * s.poolH * s.poolW * s.filters;
        for (let j = 0; j < np; j++) dA[c.arg[j]] += dOut.v[j];
      } else dA.set(dOut.v.subarray(0, M * s.filters));
      this.dact(c.dAct, c.act, M * s.filters);
      gemm(c.cols.ptr, 4, kk * 4, c.dAct.ptr, zero, g + this.kOff[b] * 4, kk, M, s.filters, 0);
      gemm(ones, 0, 4, c.dAct.ptr, zero, g + this.bOff[b] * 4, 1, M, s.filters, 0);
      this.collect(grad, this.kOff[b], this.bOff[b] + s.filters);
      if (b === 0) break;
      gemm(c.dAct.ptr, s.filters * 4, 4, c.kt.ptr, zero, c.dCols.ptr, M, s.filters, kk, 0);
      dOut = this.conv[b - 1].dOut;
      col2im(c.dCols.v, s, r, dOut.v);
    }
  }

  /** Copies θ in, and Kᵀ, Wᵀ for the backward products. */
  private load(theta: F64, withGrad: boolean): void {
    this.th.v.set(theta);
    if (!withGrad) return;
    const { shape } = this.spec;
    shape.convs.forEach((s, b) => {
      const kk = s.kernel * s.kernel * s.inC;
      const [F, o, kt] = [s.filters, this.kOff[b], this.conv[b].kt.v];
      for (let a = 0; a < kk; a++) for (let f = 0; f < F; f++) kt[f * kk + a] = theta[o + a * F + f];
    });
    shape.dense.slice(0, -1).forEach((K, l) => {
      const [N, o, wt] = [shape.dense[l + 1], this.wOff[l], this.wt[l].v];
      for (let a = 0; a < K; a++) for (let j = 0; j < N; j++) wt[j * K + a] = theta[o + a * N + j];
    });
  }

  /** As CNNNet.evaluate: the mean loss (+ penalty); with `grad`, ∇f overwrites it. */
  evaluate(theta: F64, data: FusedData, rows: Int32Array | null, withPenalty: boolean, grad: F64 | null = null): number {
    const n = rows ? rows.length : data.n;
    const K = this.spec.shape.dense.at(-1)!;
    const terms = this.spec.loss === 'softmax_ce' ? n : n * K;
    this.load(theta, !!grad);
    if (grad) grad.fill(0);
    let sum = 0;
    const last = this.dDense.length - 1;
    for (let start = 0; start < n; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, n - start);
      const z = this.forward(data, rows, start, r);
      sum += lossChunk(this.spec.loss, z.v, K, data.y, rows, start, r, grad ? this.dDense[last].v : null, 1 / terms);
      if (grad) this.backward(r, grad);
    }
    const pen = withPenalty ? penalty(this.spec.l2, [...this.kOff, ...this.wOff], this.bOff, theta, grad) : 0;
    return sum / terms + pen;
  }

  logits(theta: F64, data: FusedData, rows: Int32Array | null = null): Float64Array {
    const n = rows ? rows.length : data.n;
    const K = this.spec.shape.dense.at(-1)!;
    const out = new Float64Array(n * K);
    this.load(theta, false);
    for (let start = 0; start < n; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, n - start);
      out.set(this.forward(data, rows, start, r).v.subarray(0, r * K), start * K);
    }
    return out;
  }
}
