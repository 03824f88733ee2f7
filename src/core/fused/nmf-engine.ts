/**
 * β-NMF multiplicative updates on the fused engine's WebAssembly SIMD gemm (wasm-kernels.ts): V, Vᵀ,
 * W, H and the scratch as float32 in the kernels' memory, the same iteration as
 * algorithms/nmf-updates.ts (scikit-learn's `mu` loop body, float32 products, per-entry weights in
 * float64 rounded once — the shared loops of problems/nmf-loops.ts).
 *
 * The speed comes from never materialising the m×n matrices WH, (WH)^{β−2}⊙V and (WH)^{β−1}: a half
 * step runs over blocks of R rows (W's) or R columns (H's) of V, and per block computes
 *     P_b = W_b·H,   [Q_b; D_b] = weights(P_b, V_b),   N_W[b] = Q_b·Hᵀ,   D_W[b] = D_b·Hᵀ
 * (for H the same on the transposes: P_bᵀ = H_bᵀ·Wᵀ against Vᵀ_b, then Q_bᵀ·W), so each block's
 * three R×n matrices stay in cache. β = 2 needs no weights: N_W = V·Hᵀ, D_W = W(HHᵀ); N_H = WᵀV,
 * D_H = (WᵀW)H, as sklearn.
 *
 * `loss()` computes P = W·H block by block for D_β(V | WH); for β ≠ 2 the same pass also yields the
 * next W-update's N_W and D_W (they need that very P), which `step` then uses instead of a second pass.
 */
import { divergenceLoop, updateLoop, weightsLoop, EPSILON, type Strides } from '../problems/nmf-loops';
import { createNMFKernels, type NMFWasmKernels } from './nmf-wasm-kernels';
import { createWasmKernels, type GemmFn } from './wasm-kernels';

/** Floats per block of P (R·width ≈ 16k: three such blocks stay in a 256 KiB L2). */
const BLOCK_FLOATS = 16384;

export interface NMFShape {
  m: number;
  n: number;
  K: number;
}

export class NMFWorkspace {
  readonly m: number;
  readonly n: number;
  readonly K: number;
  private readonly gemm: GemmFn;
  private readonly nk: NMFWasmKernels;
  /** Byte offsets into the kernels' memory. */
  private readonly p: Record<'V' | 'VT' | 'W' | 'H' | 'HT' | 'WT' | 'NW' | 'DW' | 'NH' | 'DH' | 'G' | 'zero' | 'P' | 'QD' | 'S', number>;
  /** Float32 views of the same regions. */
  private readonly f: Record<'V' | 'VT' | 'W' | 'H' | 'HT' | 'WT' | 'NW' | 'DW' | 'NH' | 'DH' | 'P' | 'QD', Float32Array>;
  private readonly sums: Float64Array;
  /** 1 where V > EPSILON, row-major m×n (sklearn's mask for the V-dependent terms). */
  private readonly mask: Float32Array;
  private readonly rowsPerBlock: number;
  private readonly colsPerBlock: number;
  /** Which run's (W, H), at which version, the W and H regions hold. */
  private loaded: { owner: object; version: number } | null = null;
  /** Which (W, H) N_W and D_W were computed for (`loss` with β ≠ 2), or null. */
  private prepared: { owner: object; version: number; beta: number } | null = null;

  /** V row-major m×n (entries ≥ 0). Throws when WebAssembly SIMD is unavailable. */
  constructor(V: Float32Array, { m, n, K }: NMFShape) {
    if (V.length !== m * n) throw new Error(`V must have ${m}×${n} entries`);
    this.m = m;
    this.n = n;
    this.K = K;
    const wide = Math.max(m, n);
    this.rowsPerBlock = Math.max(4, Math.floor(BLOCK_FLOATS / n / 4) * 4);
    this.colsPerBlock = Math.max(4, Math.floor(BLOCK_FLOATS / m / 4) * 4);
    const blockFloats = Math.ceil(Math.max(this.rowsPerBlock * n, this.colsPerBlock * m) / 4) * 4;
    const sizes = {
      V: m * n, VT: m * n, W: m * K, H: K * n, HT: n * K, WT: K * m, NW: m * K, DW: m * K, NH: n * K, DH: n * K,
      G: K * K, zero: Math.max(wide, K), P: blockFloats, QD: 2 * blockFloats, S: 4,
    };
    let total = 0;
    const p = {} as Record<keyof typeof sizes, number>;
    for (const [name, len] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      p[name] = total * 4;
      total += Math.ceil(len / 4) * 4;
    }
    const k = createWasmKernels(total * 4);
    const nk = k && createNMFKernels(k.memory);
    if (!k || !nk) throw new Error('WebAssembly SIMD is not available');
    this.nk = nk;
    this.sums = new Float64Array(k.memory.buffer, p.S, 2);
    this.gemm = k.gemm;
    this.p = p;
    const view = (name: keyof typeof sizes) => new Float32Array(k.memory.buffer, p[name], sizes[name]);
    this.f = {
      V: view('V'), VT: view('VT'), W: view('W'), H: view('H'), HT: view('HT'), WT: view('WT'),
      NW: view('NW'), DW: view('DW'), NH: view('NH'), DH: view('DH'), P: view('P'), QD: view('QD'),
    };
    this.f.V.set(V);
    const VT = this.f.VT;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) VT[j * m + i] = V[i * n + j];
    this.mask = new Float32Array(m * n);
    for (let i = 0; i < m * n; i++) this.mask[i] = V[i] > EPSILON ? 1 : 0;
  }

  /**
   * Loads (W, H) unless `owner` at `version` is already loaded (each run keeps its own W and H and
   * bumps `version` whenever they change outside this workspace).
   */
  load(owner: object, version: number, W: Float32Array, H: Float32Array): void {
    if (this.loaded && this.loaded.owner === owner && this.loaded.version === version) return;
    this.f.W.set(W);
    this.f.H.set(H);
    this.transposeH();
    this.loaded = { owner, version };
    this.prepared = null;
  }

  /** Copies W and H out (after `step`, the run stores them and its new version). */
  save(owner: object, version: number, W: Float32Array, H: Float32Array): void {
    W.set(this.f.W);
    H.set(this.f.H);
    this.loaded = { owner, version };
  }

  /** One iteration on the loaded (W, H): W with the old H, then H with the new W, exponent e. */
  step(beta: number, e: number): void {
    const owner = this.loaded?.owner;
    const ready = this.prepared !== null && this.prepared.owner === owner && this.prepared.version === this.loaded?.version && this.prepared.beta === beta;
    this.prepared = null;
    if (!ready) this.numeratorsW(beta, false);
    this.applyW(beta, e);
    this.halfStepH(beta, e);
  }

  /** D_β(V | WH) at the loaded (W, H), summed in float64; for β ≠ 2 also prepares the next step's W half. */
  loss(beta: number): number {
    if (beta === 2) return this.divergenceOnly(beta);
    const sum = this.numeratorsW(beta, true);
    this.prepared = { owner: this.loaded!.owner, version: this.loaded!.version, beta };
    return sum;
  }

  // ---------------------------------------------------------------------------------------------

  private transposeH(): void {
    const { K, n } = this;
    const { H, HT } = this.f;
    for (let k = 0; k < K; k++) for (let j = 0; j < n; j++) HT[j * K + k] = H[k * n + j];
  }

  private transposeW(): void {
    const { K, m } = this;
    const { W, WT } = this.f;
    for (let i = 0; i < m; i++) for (let k = 0; k < K; k++) WT[k * m + i] = W[i * K + k];
  }

  /**
   * [Q; D] of a block (P at the P region, V at byte `vPtr`, `len` entries) into the QD region: β = 0, 1
   * on the SIMD kernels, other β on the JS loop. Returns D's offset in QD, in floats.
   */
  private weights(vPtr: number, V: Float32Array, len: number, beta: number): number {
    const { p, f, nk } = this;
    const dOff = Math.ceil(len / 4) * 4;
    if (beta === 1) nk.weightsKL(p.P, vPtr, p.QD, len);
    else if (beta === 0) nk.weightsIS(p.P, vPtr, p.QD, p.QD + dOff * 4, len);
    else {
      weightsLoop(f.QD.subarray(0, 2 * len), f.P.subarray(0, len), V, beta);
      return len;
    }
    return dOff;
  }

  /** P_b = W_b·H for rows [i0, i0 + r) into the P block. */
  private productRows(i0: number, r: number): void {
    const { K, n, p } = this;
    this.gemm(p.W + i0 * K * 4, K * 4, 4, p.H, p.zero, p.P, r, K, n, 0);
  }

  /**
   * N_W (and D_W) for the loaded (W, H) — β = 2: V·Hᵀ and W(HHᵀ); else block by block from P = W·H.
   * With `withLoss`, also Σ d_β(V | P) over the blocks (the objective at the loaded point).
   */
  private numeratorsW(beta: number, withLoss: boolean): number {
    const { m, n, K, p, f, gemm } = this;
    if (beta === 2) {
      gemm(p.V, n * 4, 4, p.HT, p.zero, p.NW, m, n, K, 0);
      gemm(p.H, n * 4, 4, p.HT, p.zero, p.G, K, n, K, 0); // HHᵀ
      gemm(p.W, K * 4, 4, p.G, p.zero, p.DW, m, K, K, 0);
      return withLoss ? this.divergenceOnly(beta) : NaN;
    }
    const R = this.rowsPerBlock;
    let sum = 0;
    for (let i0 = 0; i0 < m; i0 += R) {
      const r = Math.min(R, m - i0);
      const len = r * n;
      this.productRows(i0, r);
      const P = f.P.subarray(0, len);
      const Vb = f.V.subarray(i0 * n, i0 * n + len);
      if (withLoss) sum += divergenceLoop(P, Vb, this.mask.subarray(i0 * n, i0 * n + len), beta);
      const dOff = this.weights(p.V + i0 * n * 4, Vb, len, beta);
      gemm(p.QD, n * 4, 4, p.HT, p.zero, p.NW + i0 * K * 4, r, n, K, 0);
      if (beta !== 1) gemm(p.QD + dOff * 4, n * 4, 4, p.HT, p.zero, p.DW + i0 * K * 4, r, n, K, 0);
    }
    return sum;
  }

  /** W ⊙ (N_W / D_W)^e in place (β = 1: D_W = the row sums of H), then (β < 1) tiny entries → 0. */
  private applyW(beta: number, e: number): void {
    const { m, n, K, f } = this;
    let D = f.DW;
    let ds: Strides = [0, K, 1];
    if (beta === 1) {
      D = f.DH.subarray(0, K); // scratch: DH is free until H's half-step
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += f.H[k * n + j];
        D[k] = s;
      }
      ds = [0, 0, 1];
    }
    updateLoop(f.W, f.W, f.NW, [0, K, 1], D, ds, m, K, e, beta < 1, false);
  }

  /** H's half-step with the new W: H ⊙ (N_H / D_H)^e, then (β ≤ 1) tiny entries → 0; Hᵀ refreshed. */
  private halfStepH(beta: number, e: number): void {
    const { m, n, K, p, f, gemm } = this;
    this.transposeW();
    const N = f.NH;
    const ns: Strides = [0, 1, K]; // N_Hᵀ (n×K): entry (k, j) at j·K + k
    let D: Float32Array = f.DH;
    let ds: Strides = [0, 1, K];
    if (beta === 2) {
      gemm(p.WT, m * 4, 4, p.W, p.zero, p.G, K, m, K, 0); // WᵀW
      gemm(p.G, K * 4, 4, p.H, p.zero, p.DH, K, K, n, 0); // (WᵀW)H, K×n
      gemm(p.VT, m * 4, 4, p.W, p.zero, p.NH, n, m, K, 0); // (WᵀV)ᵀ = VᵀW, n×K (a transposed A is 2× slower)
      ds = [0, n, 1];
    } else {
      const R = this.colsPerBlock;
      for (let j0 = 0; j0 < n; j0 += R) {
        const r = Math.min(R, n - j0);
        const len = r * m;
        gemm(p.HT + j0 * K * 4, K * 4, 4, p.WT, p.zero, p.P, r, K, m, 0); // P_bᵀ = H_bᵀ·Wᵀ
        const dOff = this.weights(p.VT + j0 * m * 4, f.VT.subarray(j0 * m, j0 * m + len), len, beta);
        gemm(p.QD, m * 4, 4, p.W, p.zero, p.NH + j0 * K * 4, r, m, K, 0);
        if (beta !== 1) gemm(p.QD + dOff * 4, m * 4, 4, p.W, p.zero, p.DH + j0 * K * 4, r, m, K, 0);
      }
      if (beta === 1) {
        D = f.DH.subarray(0, K); // the column sums of W (zeros → 1 in the update)
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += f.W[i * K + k];
          D[k] = s;
        }
        ds = [0, 1, 0];
        // N_Hᵀ was written into NH; DH's first K floats now hold the sums (N never reads them).
      }
    }
    updateLoop(f.H, f.H, N, ns, D, ds, K, n, e, beta <= 1, beta === 1);
    this.transposeH();
  }

  /** D_β(V | WH) alone, block by block. */
  private divergenceOnly(beta: number): number {
    const { m, n, f } = this;
    const R = this.rowsPerBlock;
    let sum = 0;
    for (let i0 = 0; i0 < m; i0 += R) {
      const r = Math.min(R, m - i0);
      const len = r * n;
      this.productRows(i0, r);
      if (beta === 2) {
        // ½Σ(V − P)², pairs on the SIMD kernel (float64 lanes), an odd last entry here
        this.nk.sqDiff(this.p.P, this.p.V + i0 * n * 4, len, this.p.S);
        let s = this.sums[0] + this.sums[1];
        if (len % 2) s += (f.V[i0 * n + len - 1] - f.P[len - 1]) ** 2;
        sum += 0.5 * s;
      } else sum += divergenceLoop(f.P.subarray(0, len), f.V.subarray(i0 * n, i0 * n + len), this.mask.subarray(i0 * n, i0 * n + len), beta);
    }
    return sum;
  }
}
