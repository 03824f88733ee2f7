/**
 * The cpu engine's MLP structure (engine/mlp-ops.ts) on flat arrays: θ = [W1 (in×out row-major), b1,
 * W2, b2, …] (fused/mlp-net.ts's layout), the data of a FusedData restricted to the objective's rows.
 *
 * One forward pass in float64 stores every layer's activations for all n rows (a_0 = X, a_l = σ(z_l),
 * the outputs z_L), cached by θ's identity and the rows' identity (Vecs are values, so the cache is
 * never stale). On top of it, in float64 JS loops (fused/mlp-kernels.ts's register-blocked products
 * where they fit):
 *   J·v   forward-mode: ż_1 = X·V_1 + v_b1,  ż_{l+1} = (σ′(a_l) ⊙ ż_l)·W_{l+1} + a_l·V_{l+1} + v_b(l+1);
 *   Jᵀu   reverse-mode: Δ_L = u, ∇W_l = a_{l−1}ᵀΔ_l, ∇b_l = 1ᵀΔ_l, Δ_{l−1} = (Δ_l W_lᵀ) ⊙ σ′(a_{l−1});
 *   JᵀJ   per output k, the per-example Jacobian rows, a chunk of rows at a time (./mlp-jacobian.ts);
 *   Ã_lᵀÃ_l  the same kernel on the stored activations, plus the column sums for the ones column.
 * σ′ is read off the activation's output, as the tfjs engine and the backward pass do (relu′(0) = 0).
 * Buffers are allocated once per data size and reused: a step allocates only the arrays it returns.
 *
 * With the 'wasm-simd' kernels the forward pass, J·v and Jᵀu run instead on the float32 WebAssembly
 * SIMD gemm and activation kernels (./mlp-ops-simd.ts over fused/wasm-kernels.ts, those fused/mlp-net-wasm.ts evaluates f
 * with; ≈10× the float64 JS loops, which made Gauss–Newton's conjugate-gradient path the slow one):
 * float32 storage and products as f's own pass (and the tfjs engine), sums over one layer's width or
 * F32_CHUNK rows only, Jᵀu's partial sums added in float64. The forward pass is then bit for bit f's,
 * and JᵀJ and the input Grams are built in float64 from those (float32) activations.
 */
import { curvatureBoundOf, mlpLayout, mlpNetShape, weightMaskArray, type MLPOps } from '../../engine/mlp-ops';
import type { LastLayer } from '../../engine/net-ops';
import type { Vec } from '../../engine/types';
import { activate, activationBackward, gemmBias, gemmNT, gemmTN, type F64 } from '../../fused/mlp-kernels';
import type { FusedData, KernelKind, NetSpec } from '../../fused/mlp-net';
import { CHUNK, gramJs, gramSimd, type GramInputs } from './mlp-jacobian';
import { createF32Net, createGramKernel, gemmAcc, mirrorLower, SIMD_CHUNK, syrkLower, type F32Net, type GramKernel } from './mlp-ops-kernels';
import { forward32, jvp32, vjp32, type NetShape } from './mlp-ops-simd';
import { RowsData } from './rows-data';
import { allocF32, cpuArray, cpuVec } from './vector-ops';

export class CpuMLPOps implements MLPOps {
  readonly sizes: readonly number[];
  readonly activation: NetSpec['activation'];
  readonly loss: NetSpec['loss'];
  readonly l2: number;
  readonly curvatureBound: number;
  readonly layoutKey: readonly number[];
  readonly lastLayer: LastLayer;
  private readonly rowsData: RowsData;
  private readonly L: number;
  private readonly K: number;
  private readonly P: number;
  private readonly wOff: number[];
  private readonly bOff: number[];
  private readonly widest: number;
  private readonly shape: NetShape;
  /** acts[l]: n×sizes[l]; acts[0] the rows of X, acts[l] = σ(z_l) for 0 < l < L, acts[L] the outputs. */
  private acts: F64[] = [];
  /** Rows the buffers hold. */
  private cap = 0;
  private readonly theta64: F64;
  private readonly v64: F64;
  private readonly grad64: F64;
  /** Ping-pong buffers (n×widest) for tangents and back-propagated signals, and a Jacobian chunk. */
  private bufA: F64 = new Float64Array(0);
  private bufB: F64 = new Float64Array(0);
  /** CHUNK rows of per-example Jacobian rows (CHUNK·P float64: made on first use, 52 MB at 784-256-10). */
  private jchunk: F64 | null = null;
  private readonly dchunkA: F64;
  private readonly dchunkB: F64;
  /** What acts[] were computed for (undefined: nothing yet). */
  private fwdTheta: Float32Array | null = null;
  private fwdRows: Int32Array | null | undefined = undefined;
  /** What acts[0] holds. */
  private gatheredRows: Int32Array | null | undefined = undefined;
  /** The SIMD Gram kernel (created on first use; null: unavailable, use the JS loops). */
  private simd: GramKernel | null | undefined;
  /** The float32 SIMD net ('wasm-simd' kernels; created on first use, null: unavailable). */
  private f32: F32Net | null | undefined;
  /** acts[1 …] are behind the float32 activations of the SIMD net (copied on demand). */
  private acts64Stale = false;

  constructor(
    spec: NetSpec,
    private readonly data: FusedData,
    /** The objective's current rows (null: every row); read at each call. */
    private readonly rowsOf: () => Int32Array | null,
    withPenalty = true,
    /** 'wasm-simd': JᵀJ's products on the WebAssembly f64x2 kernel (fused/kernels/gram.ts). */
    private readonly kernels: KernelKind = 'js',
  ) {
    this.sizes = spec.sizes;
    this.activation = spec.activation;
    this.loss = spec.loss;
    this.l2 = withPenalty ? spec.l2 : 0;
    this.L = spec.sizes.length - 1;
    this.K = spec.sizes[this.L];
    this.curvatureBound = curvatureBoundOf(spec.loss, this.K);
    ({ layoutKey: this.layoutKey, lastLayer: this.lastLayer } = mlpNetShape(spec.sizes));
    this.rowsData = new RowsData(data, rowsOf, spec.sizes[0]);
    const layout = mlpLayout(spec.sizes);
    this.wOff = layout.wOff;
    this.bOff = layout.bOff;
    this.P = layout.nParams;
    this.widest = Math.max(...spec.sizes);
    this.shape = { sizes: this.sizes, L: this.L, K: this.K, wOff: this.wOff, bOff: this.bOff, activation: this.activation };
    this.theta64 = new Float64Array(this.P);
    this.v64 = new Float64Array(this.P);
    this.grad64 = new Float64Array(this.P);
    this.dchunkA = new Float64Array(Math.max(CHUNK, SIMD_CHUNK) * this.widest);
    this.dchunkB = new Float64Array(Math.max(CHUNK, SIMD_CHUNK) * this.widest);
  }

  get n(): number {
    return this.rowsData.n;
  }

  get dataKey(): number {
    return this.rowsData.dataKey;
  }

  /** Runs (or reuses) the forward pass at θ on the current rows; returns n. */
  private forward(theta: Float32Array): number {
    const rows = this.rowsOf();
    const n = rows ? rows.length : this.data.n;
    if (theta === this.fwdTheta && rows === this.fwdRows) return n;
    const { sizes, L } = this;
    if (n > this.cap) {
      this.acts = sizes.map((s) => new Float64Array(n * s));
      this.bufA = new Float64Array(n * this.widest);
      this.bufB = new Float64Array(n * this.widest);
      this.cap = n;
      this.gatheredRows = undefined;
    }
    const A0 = this.acts[0];
    const d = sizes[0];
    if (rows !== this.gatheredRows) {
      const X = this.data.X;
      if (rows) for (let i = 0; i < n; i++) for (let k = 0, s = rows[i] * d; k < d; k++) A0[i * d + k] = X[s + k];
      else A0.set(X.subarray(0, n * d));
      this.gatheredRows = rows;
    }
    const w = this.theta64;
    w.set(theta);
    const net = this.f32Net(n);
    if (net) {
      forward32(this.shape, net, theta, this.acts[0], n);
      this.acts64Stale = true;
      this.fwdTheta = theta;
      this.fwdRows = rows;
      return n;
    }
    // With the WebAssembly kernels f is evaluated on float32 activations: round ours the same way
    // (z, then σ(z)), so that the features an algorithm builds its model from are (nearly always bit
    // for bit) the ones f sees — Böhning's bound is exact for mse, and a model built on features that
    // differ from f's by float32 rounding mispredicts f(θ⁺) by more than the acceptance slack. The JS
    // kernels keep float64 activations, which these loops reproduce exactly.
    const f32 = this.kernels === 'wasm-simd';
    for (let l = 0; l < L; l++) {
      const Z = this.acts[l + 1];
      const len = n * sizes[l + 1];
      gemmBias(this.acts[l], w, this.wOff[l], this.bOff[l], Z, n, sizes[l], sizes[l + 1]);
      if (f32) for (let i = 0; i < len; i++) Z[i] = Math.fround(Z[i]);
      if (l < L - 1) {
        activate(Z, len, this.activation);
        if (f32) for (let i = 0; i < len; i++) Z[i] = Math.fround(Z[i]);
      }
    }
    this.fwdTheta = theta;
    this.fwdRows = rows;
    return n;
  }

  /** The float32 SIMD net for n rows (grown as needed), or null (JS kernels, or no WebAssembly SIMD). */
  private f32Net(n: number): F32Net | null {
    if (this.kernels !== 'wasm-simd') return null;
    if (this.f32 === undefined || (this.f32 && this.f32.cap < n)) {
      this.f32 = createF32Net(this.sizes, this.P, Math.max(n, this.f32?.cap ?? 0));
      this.fwdTheta = null;
    }
    return this.f32;
  }

  /** Brings acts[1 …] (float64) up to the SIMD net's activations; returns n. */
  private forward64(theta: Float32Array): number {
    const n = this.forward(theta);
    if (this.acts64Stale && this.f32) {
      for (let l = 1; l <= this.L; l++) {
        const len = n * this.sizes[l];
        const src = this.f32.act[l];
        const dst = this.acts[l];
        for (let i = 0; i < len; i++) dst[i] = src[i];
      }
      this.acts64Stale = false;
    }
    return n;
  }

  targets(): Float64Array {
    return this.rowsData.targets(this.K, this.loss);
  }

  outputs(theta: Vec): Float64Array {
    const n = this.forward64(cpuArray(theta));
    return this.acts[this.L].slice(0, n * this.K);
  }

  layerInputs(theta: Vec): Float64Array[] {
    const n = this.forward64(cpuArray(theta));
    return this.sizes.slice(0, this.L).map((s, l) => this.acts[l].slice(0, n * s));
  }

  lastLayerInputs(theta: Vec): Float64Array {
    return this.layerInputs(theta)[this.L - 1];
  }

  inputGrams(theta: Vec): Float64Array[] {
    const n = this.forward64(cpuArray(theta));
    return this.sizes.slice(0, this.L).map((d, l) => {
      const A = this.acts[l];
      const m = d + 1;
      const G = new Float64Array(m * m);
      syrkLower(A, n, d, G, m);
      for (let p = 0; p < d; p++) {
        let s = 0;
        for (let i = 0, a = p; i < n; i++, a += d) s += A[a];
        G[d * m + p] = s;
      }
      G[d * m + d] = n;
      mirrorLower(G, m);
      return G;
    });
  }

  jvp(theta: Vec, v: Vec): Float64Array {
    const n = this.forward(cpuArray(theta));
    if (this.f32) return jvp32(this.shape, this.f32, n, cpuArray(v));
    const { sizes, L, wOff, bOff, acts } = this;
    const v64 = this.v64;
    v64.set(cpuArray(v));
    let Z = this.bufA;
    let next = this.bufB;
    gemmBias(acts[0], v64, wOff[0], bOff[0], Z, n, sizes[0], sizes[1]);
    for (let l = 1; l < L; l++) {
      activationBackward(Z, acts[l], n * sizes[l], this.activation); // ȧ_l = σ′(a_l) ⊙ ż_l
      gemmBias(acts[l], v64, wOff[l], bOff[l], next, n, sizes[l], sizes[l + 1]);
      gemmAcc(Z, this.theta64, wOff[l], next, n, sizes[l], sizes[l + 1]);
      [Z, next] = [next, Z];
    }
    return Z.slice(0, n * this.K);
  }

  vjp(theta: Vec, u: Float64Array): Vec {
    const n = this.forward(cpuArray(theta));
    if (this.f32) {
      const out = allocF32(this.P);
      out.set(vjp32(this.shape, this.f32, n, u, this.grad64));
      return cpuVec(out);
    }
    const { sizes, L, wOff, bOff, acts } = this;
    const g = this.grad64;
    g.fill(0);
    let D = this.bufA;
    let prev = this.bufB;
    D.set(u.subarray(0, n * this.K));
    for (let l = L - 1; l >= 0; l--) {
      gemmTN(acts[l], D, g, wOff[l], bOff[l], n, sizes[l], sizes[l + 1]);
      if (l === 0) break;
      gemmNT(D, this.theta64, wOff[l], prev, n, sizes[l + 1], sizes[l]);
      activationBackward(prev, acts[l], n * sizes[l], this.activation);
      [D, prev] = [prev, D];
    }
    const out = allocF32(this.P);
    out.set(g);
    return cpuVec(out);
  }

  jacobianGram(theta: Vec, out?: Float64Array): Float64Array {
    const n = this.forward64(cpuArray(theta));
    const G = out ?? new Float64Array(this.P * this.P);
    if (G.length !== this.P * this.P) throw new Error(`jacobianGram: out must hold ${this.P}×${this.P} entries`);
    if (this.simd === undefined) this.simd = this.kernels === 'wasm-simd' ? createGramKernel(this.P) : null;
    const simd = this.simd;
    if (simd) gramSimd(this.shape, this.gramInputs(), this.P, n, G, simd);
    else {
      G.fill(0);
      gramJs(this.shape, this.gramInputs(), this.P, n, G);
      mirrorLower(G, this.P);
    }
    return G;
  }

  private gramInputs(): GramInputs {
    this.jchunk ??= new Float64Array(CHUNK * this.P);
    return { acts: this.acts, theta64: this.theta64, jchunk: this.jchunk, dchunkA: this.dchunkA, dchunkB: this.dchunkB };
  }

  weightMask(like: Vec): Vec {
    const m = weightMaskArray(this.sizes);
    if (m.length !== cpuArray(like).length) throw new Error(`expected ${m.length} parameters, got ${cpuArray(like).length}`);
    const out = allocF32(m.length);
    out.set(m);
    return cpuVec(out);
  }
}
