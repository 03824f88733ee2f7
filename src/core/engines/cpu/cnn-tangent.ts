/**
 * The CNN's Jacobian products on the cpu engine (float64 JS loops over cnn-net.ts's forward pass), for
 * Gauss–Newton and Böhning MM (engine/net-ops.ts). c(θ) = the logits on the rows; chunk by chunk:
 *
 *   J·v   forward mode. A convolution is bilinear in (input, kernel), so with ȧ the input's tangent
 *         ż = im2col(a)·V_K + v_c + im2col(ȧ)·K   (ȧ = 0 for the images),
 *         ȧ′ = σ′(a′) ⊙ ż (σ′ read off the output, relu′(0) = 0, as the backward pass), and the max-pool
 *         routes each window's tangent from its argmax (the forward pass's, first on ties); a dense
 *         layer: ż = ȧ·W + a·V_W + v_b.
 *   Jᵀu   the backward pass of ∇f (cnn-net.ts) with ∂/∂logits = u in place of the loss's gradient.
 *   JᵀJ   per chunk of rows, the chunk's Jacobian (rows·K × P) column by column (J·e_p), folded into
 *         the lower triangle by syrkLower: memory chunkRows·K·P, time P tangent passes (direct path only).
 */
import { activationBackward, gemmBias, type F64 } from '../../fused/mlp-kernels';
import type { FusedData } from '../../fused/mlp-net';
import { CNNNet, im2col, type CNNNetSpec } from './cnn-net';
import { gemmAcc, mirrorLower, syrkLower } from './mlp-ops-kernels';

export class CNNTangentNet extends CNNNet {
  /** Per block: the tangent of Z (then of σ(Z)), of the pooled output, and im2col of the input's tangent. */
  private readonly tz: F64[];
  private readonly tp: F64[];
  private readonly tcols: F64[];
  /** Per dense layer: the tangent of its output. */
  private readonly tDense: F64[];

  constructor(spec: CNNNetSpec, chunkRows = 64) {
    super(spec, chunkRows);
    const R = chunkRows;
    const { convs, dense } = spec.shape;
    this.tz = convs.map((c) => new Float64Array(R * c.outH * c.outW * c.filters));
    this.tp = convs.map((c) => (c.pool > 1 ? new Float64Array(R * c.poolH * c.poolW * c.filters) : new Float64Array(0)));
    this.tcols = convs.map((c, b) => new Float64Array(b === 0 ? 0 : R * c.outH * c.outW * c.kernel * c.kernel * c.inC));
    this.tDense = dense.slice(1).map((d) => new Float64Array(R * d));
  }

  private rowCount(data: FusedData, rows: Int32Array | null): number {
    return rows ? rows.length : data.n;
  }

  /** The tangent of the logits (r×K, in tDense's last buffer) along v, after forward() on the same r rows. */
  private tangentChunk(theta: F64, v: F64, r: number): F64 {
    const { shape, activation } = this.spec;
    let ta: F64 | null = null;
    shape.convs.forEach((s, b) => {
      const buf = this.convs[b];
      const M = r * s.outH * s.outW;
      const kk = s.kernel * s.kernel * s.inC;
      const tz = this.tz[b];
      gemmBias(buf.cols, v, this.kOff[b], this.bOff[b], tz, M, kk, s.filters);
      if (ta) {
        im2col(ta, s, r, this.tcols[b]);
        gemmAcc(this.tcols[b], theta, this.kOff[b], tz, M, kk, s.filters);
      }
      activationBackward(tz, buf.act, M * s.filters, activation);
      if (s.pool > 1) {
        const tp = this.tp[b];
        const np = r * s.poolH * s.poolW * s.filters;
        for (let j = 0; j < np; j++) tp[j] = tz[buf.arg[j]];
        ta = tp;
      } else ta = tz;
    });
    const nc = shape.convs.length;
    const L = shape.dense.length - 1;
    for (let l = 0; l < L; l++) {
      const aIn = l > 0 ? this.dense[l - 1] : nc > 0 ? this.convs[nc - 1].out : this.input;
      const [din, dout] = [shape.dense[l], shape.dense[l + 1]];
      const tz = this.tDense[l];
      gemmBias(aIn, v, this.wOff[l], this.bOff[nc + l], tz, r, din, dout);
      if (ta) gemmAcc(ta, theta, this.wOff[l], tz, r, din, dout);
      if (l < L - 1) activationBackward(tz, this.dense[l], r * dout, activation);
      ta = tz;
    }
    return ta!;
  }

  /** J·v on the rows (n×K). */
  jvp(theta: F64, v: F64, data: FusedData, rows: Int32Array | null): Float64Array {
    const n = this.rowCount(data, rows);
    const K = this.outputs;
    const out = new Float64Array(n * K);
    for (let start = 0; start < n; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, n - start);
      this.forward(theta, data, rows, start, r);
      out.set(this.tangentChunk(theta, v, r).subarray(0, r * K), start * K);
    }
    return out;
  }

  /** Jᵀu on the rows (u: n×K) into grad (overwritten). */
  vjp(theta: F64, u: Float64Array, data: FusedData, rows: Int32Array | null, grad: F64): void {
    const n = this.rowCount(data, rows);
    const K = this.outputs;
    const last = this.dDense.length - 1;
    grad.fill(0);
    for (let start = 0; start < n; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, n - start);
      this.forward(theta, data, rows, start, r);
      this.dDense[last].set(u.subarray(start * K, (start + r) * K));
      this.backward(theta, r, grad);
    }
  }

  /** The last dense layer's inputs on the rows (n × dense[L−1]). */
  lastInputs(theta: F64, data: FusedData, rows: Int32Array | null): Float64Array {
    const { shape } = this.spec;
    const n = this.rowCount(data, rows);
    const L = shape.dense.length - 1;
    const d = shape.dense[L - 1];
    const nc = shape.convs.length;
    const out = new Float64Array(n * d);
    for (let start = 0; start < n; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, n - start);
      this.forward(theta, data, rows, start, r);
      const a = L > 1 ? this.dense[L - 2] : nc > 0 ? this.convs[nc - 1].out : this.input;
      out.set(a.subarray(0, r * d), start * d);
    }
    return out;
  }

  /** JᵀJ on the rows into G (P×P, overwritten). */
  jacobianGram(theta: F64, data: FusedData, rows: Int32Array | null, G: F64): void {
    const n = this.rowCount(data, rows);
    const K = this.outputs;
    const P = this.nParams;
    const e = new Float64Array(P);
    const J = new Float64Array(this.chunkRows * K * P);
    G.fill(0);
    for (let start = 0; start < n; start += this.chunkRows) {
      const r = Math.min(this.chunkRows, n - start);
      this.forward(theta, data, rows, start, r);
      for (let p = 0; p < P; p++) {
        e[p] = 1;
        const col = this.tangentChunk(theta, e, r);
        e[p] = 0;
        for (let i = 0; i < r * K; i++) J[i * P + p] = col[i];
      }
      syrkLower(J, r * K, P, G, P);
    }
    mirrorLower(G, P);
  }
}
