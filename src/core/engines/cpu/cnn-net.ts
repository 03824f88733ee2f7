/**
 * The cpu engine's CNN (problems/cnn-spec.ts): f and ∇f on flat float64 parameters, chunk by chunk
 * over the rows, with the dense engine's register-blocked JS products (fused/mlp-kernels.ts).
 *
 * A convolution is one matrix product through im2col: each output pixel (i, y, x) becomes a row of
 * the k·k·cin input values under the kernel (order ky, kx, c — K's HWIO layout), so
 *   Z[M×F] = cols[M×kk]·K[kk×F] + c,   M = rows·outH·outW, kk = k²·cin          (gemmBias)
 *   ∇K += colsᵀ·∂Z, ∇c += Σ ∂Z                                                   (gemmTN)
 *   ∂cols = ∂Z·Kᵀ, scattered back onto the input pixels (col2im)                 (gemmNT)
 * Max-pooling keeps each window's argmax (the first on ties) and routes the gradient to it. Images
 * are NHWC (channels fastest), so a block's pooled output, row by row, is the dense stack's input.
 */
import { lossChunk } from '../../fused/losses';
import { activate, activationBackward, gemmBias, gemmNT, gemmTN, type Buf, type F64 } from '../../fused/mlp-kernels';
import { penalty, type FusedData } from '../../fused/mlp-net';
import type { Activation, LossName } from '../../problems/mlp-spec';
import { cnnLayout, type CNNShape, type ConvShape } from '../../problems/cnn-spec';

export interface CNNNetSpec {
  shape: CNNShape;
  activation: Activation;
  loss: LossName;
  l2: number;
}

/** f, ∇f and the logits of a CNN on flat float64 θ: CNNNet (JS, float64) or CNNNetWasm (SIMD, float32). */
export interface CNNEvaluator {
  readonly spec: CNNNetSpec;
  readonly nParams: number;
  evaluate(theta: F64, data: FusedData, rows: Int32Array | null, withPenalty: boolean, grad?: F64 | null): number;
  logits(theta: F64, data: FusedData, rows?: Int32Array | null): Float64Array;
}

/** One block's buffers for a chunk of R rows. */
interface ConvBufs {
  cols: F64;
  /** σ(conv), R·outH·outW × F. */
  act: F64;
  /** Pooled output (act itself when pool = 1). */
  out: F64;
  arg: Int32Array;
  dAct: F64;
  dCols: F64;
}

/** im2col of one block: cols[(i·oh + y)·ow + x, (ky·k + kx)·C + c] = in[i, y + ky, x + kx, c]. */
export function im2col(inp: Buf, s: ConvShape, r: number, cols: Buf): void {
  const { inH: H, inW: W, inC: C, kernel: k, outH: oh, outW: ow } = s;
  const kk = k * k * C;
  let m = 0;
  for (let i = 0; i < r; i++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++, m++) {
        let p = m * kk;
        for (let ky = 0; ky < k; ky++) {
          const src = ((i * H + y + ky) * W + x) * C;
          for (let q = 0; q < k * C; q++) cols[p++] = inp[src + q];
        }
      }
}

/** The adjoint of im2col: dIn ← Σ of dCols over every place a pixel was copied to (dIn overwritten). */
export function col2im(dCols: Buf, s: ConvShape, r: number, dIn: Buf): void {
  const { inH: H, inW: W, inC: C, kernel: k, outH: oh, outW: ow } = s;
  const kk = k * k * C;
  dIn.fill(0, 0, r * H * W * C);
  let m = 0;
  for (let i = 0; i < r; i++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++, m++) {
        let p = m * kk;
        for (let ky = 0; ky < k; ky++) {
          const dst = ((i * H + y + ky) * W + x) * C;
          for (let q = 0; q < k * C; q++) dIn[dst + q] += dCols[p++];
        }
      }
}

/** p×p max-pool, stride p: out[i, py, px, f] = max over the window; arg = the index in `inp` taken. */
export function maxPool(inp: Buf, s: ConvShape, r: number, out: Buf, arg: Int32Array): void {
  const { outH: oh, outW: ow, poolH: ph, poolW: pw, pool: p, filters: F } = s;
  let j = 0;
  for (let i = 0; i < r; i++)
    for (let py = 0; py < ph; py++)
      for (let px = 0; px < pw; px++)
        for (let f = 0; f < F; f++, j++) {
          let best = ((i * oh + py * p) * ow + px * p) * F + f;
          for (let dy = 0; dy < p; dy++)
            for (let dx = 0; dx < p; dx++) {
              const q = ((i * oh + py * p + dy) * ow + px * p + dx) * F + f;
              if (inp[q] > inp[best]) best = q;
            }
          out[j] = inp[best];
          arg[j] = best;
        }
}

export class CNNNet implements CNNEvaluator {
  readonly nParams: number;
  readonly chunkRows: number;
  protected readonly kOff: number[] = [];
  protected readonly wOff: number[] = [];
  protected readonly bOff: number[] = [];
  protected readonly convs: ConvBufs[];
  protected readonly input: F64;
  /** Dense stack: z/activations per layer, and their gradients. */
  protected readonly dense: F64[];
  protected readonly dDense: F64[];
  /** ∂f/∂(the dense stack's input). */
  protected readonly dFlat: F64;

  constructor(
    readonly spec: CNNNetSpec,
    chunkRows = 64,
  ) {
    const { shape } = spec;
    const { tensors, nParams } = cnnLayout(shape);
    this.nParams = nParams;
    this.chunkRows = chunkRows;
    const R = chunkRows;
    for (let t = 0; t < tensors.length; t += 2) {
      (t < 2 * shape.convs.length ? this.kOff : this.wOff).push(tensors[t].offset);
      this.bOff.push(tensors[t + 1].offset);
    }
    this.input = new Float64Array(R * shape.rows * shape.cols);
    this.convs = shape.convs.map((c) => {
      const M = R * c.outH * c.outW;
      const act = new Float64Array(M * c.filters);
      const pooled = c.pool > 1;
      return {
        cols: new Float64Array(M * c.kernel * c.kernel * c.inC),
        act,
        out: pooled ? new Float64Array(R * c.poolH * c.poolW * c.filters) : act,
        arg: new Int32Array(pooled ? R * c.poolH * c.poolW * c.filters : 0),
        dAct: new Float64Array(M * c.filters),
        dCols: new Float64Array(M * c.kernel * c.kernel * c.inC),
      };
    });
    this.dense = shape.dense.slice(1).map((d) => new Float64Array(R * d));
    this.dDense = shape.dense.slice(1).map((d) => new Float64Array(R * d));
    this.dFlat = new Float64Array(R * shape.dense[0]);
  }

  protected get outputs(): number {
    return this.spec.shape.dense[this.spec.shape.dense.length - 1];
  }

  /** The forward pass of rows start … start + r − 1 (of `rows`, or of the data); returns the logits buffer. */
  protected forward(theta: F64, data: FusedData, rows: Int32Array | null, start: number, r: number): F64 {
    const { shape, activation } = this.spec;
    const d = shape.rows * shape.cols;
    for (let i = 0; i < r; i++) {
      const src = (rows ? rows[start + i] : start + i) * d;
      this.input.set(data.X.subarray(src, src + d), i * d);
    }
    let a: F64 = this.input;
    shape.convs.forEach((s, b) => {
      const buf = this.convs[b];
      const M = r * s.outH * s.outW;
      const kk = s.kernel * s.kernel * s.inC;
      im2col(a, s, r, buf.cols);
      gemmBias(buf.cols, theta, this.kOff[b], this.bOff[b], buf.act, M, kk, s.filters);
      activate(buf.act, M * s.filters, activation);
      if (s.pool > 1) maxPool(buf.act, s, r, buf.out, buf.arg);
      a = buf.out;
    });
    const nc = shape.convs.length;
    const L = shape.dense.length - 1;
    for (let l = 0; l < L; l++) {
      const z = this.dense[l];
      gemmBias(a, theta, this.wOff[l], this.bOff[nc + l], z, r, shape.dense[l], shape.dense[l + 1]);
      if (l < L - 1) activate(z, r * shape.dense[l + 1], activation);
      a = z;
    }
    return a;
  }

  /** Backward from ∂f/∂logits (in dDense[L−1]) for the r rows of the last forward pass; adds into grad. */
  protected backward(theta: F64, r: number, grad: F64): void {
    const { shape, activation } = this.spec;
    const nc = shape.convs.length;
    const L = shape.dense.length - 1;
    for (let l = L - 1; l >= 0; l--) {
      const aIn = l > 0 ? this.dense[l - 1] : nc > 0 ? this.convs[nc - 1].out : this.input;
      const [din, dout] = [shape.dense[l], shape.dense[l + 1]];
      gemmTN(aIn, this.dDense[l], grad, this.wOff[l], this.bOff[nc + l], r, din, dout);
      const dIn = l > 0 ? this.dDense[l - 1] : this.dFlat;
      if (l === 0 && nc === 0) break;
      gemmNT(this.dDense[l], theta, this.wOff[l], dIn, r, dout, din);
      if (l > 0) activationBackward(dIn, aIn, r * din, activation);
    }
    let dOut = this.dFlat;
    for (let b = nc - 1; b >= 0; b--) {
      const s = shape.convs[b];
      const buf = this.convs[b];
      const M = r * s.outH * s.outW;
      const kk = s.kernel * s.kernel * s.inC;
      if (s.pool > 1) {
        buf.dAct.fill(0, 0, M * s.filters);
        const np = r * s.poolH * s.poolW * s.filters;
        for (let j = 0; j < np; j++) buf.dAct[buf.arg[j]] += dOut[j];
      } else buf.dAct.set(dOut.subarray(0, M * s.filters));
      activationBackward(buf.dAct, buf.act, M * s.filters, activation);
      gemmTN(buf.cols, buf.dAct, grad, this.kOff[b], this.bOff[b], M, kk, s.filters);
      if (b === 0) break;
      gemmNT(buf.dAct, theta, this.kOff[b], buf.dCols, M, s.filters, kk);
      dOut = this.scratchFor(b - 1);
      col2im(buf.dCols, s, r, dOut);
    }
  }

  /** ∂f/∂(block b's pooled output), reused across passes. */
  private readonly scratch = new Map<number, F64>();
  private scratchFor(b: number): F64 {
    const s = this.spec.shape.convs[b];
    let buf = this.scratch.get(b);
    if (!buf) this.scratch.set(b, (buf = new Float64Array(this.chunkRows * s.poolH * s.poolW * s.filters)));
    return buf;
  }

  /**
   * f(θ) on `data` (the rows listed by `rows`, or all): the mean loss, plus (l2/2)·Σ‖weights‖² (kernels
   * and dense weights, not biases) when asked. With `grad`, it is overwritten with ∇f(θ).
   */
  evaluate(theta: F64, data: FusedData, rows: Int32Array | null, withPenalty: boolean, grad: F64 | null = null): number {
    const n = rows ? rows.length : data.n;
    const K = this.outputs;
    const terms = this.spec.loss === 'softmax_ce' ? n : n * K;
    const last = this.dDense.length - 1;
    if (grad) grad.fill(0);
    let sum = 0;
    for (let start = 0; start < n; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, n - start);
      const z = this.forward(theta, data, rows, start, r);
      sum += lossChunk(this.spec.loss, z, K, data.y, rows, start, r, grad ? this.dDense[last] : null, 1 / terms);
      if (grad) this.backward(theta, r, grad);
    }
    const pen = withPenalty ? penalty(this.spec.l2, [...this.kOff, ...this.wOff], this.bOff, theta, grad) : 0;
    return sum / terms + pen;
  }

  /** The logits (n×K row-major) on the rows listed by `rows`, or on all of `data`. */
  logits(theta: F64, data: FusedData, rows: Int32Array | null = null): Float64Array {
    const n = rows ? rows.length : data.n;
    const K = this.outputs;
    const out = new Float64Array(n * K);
    for (let start = 0; start < n; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, n - start);
      out.set(this.forward(theta, data, rows, start, r).subarray(0, r * K), start * K);
    }
    return out;
  }
}
