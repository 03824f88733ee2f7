/**
 * The kernel side of the cpu engine's β-NMF workspace (nmf-engine.ts is the NMFWorkspace over it): the
 * layout of V, Vᵀ, W, H, the scratch and the per-thread blocks in the kernels' memory, and the blocked
 * passes that compute the multiplicative updates' numerators and denominators (N_W, D_W; N_Hᵀ, D_Hᵀ)
 * and D_β(V | WH) without forming the m×n matrices (see nmf-engine.ts for the scheme).
 */
import { divergenceLoop, weightsLoop, EPSILON } from '../problems/nmf-loops';
import { KERNEL, KernelPool, type KernelCall, type SpawnThread } from './kernel-pool';
import { createNMFKernels, type NMFWasmKernels } from './nmf-wasm-kernels';
import { createWasmKernels, type GemmFn } from './wasm-kernels';
import { part, transpose } from './matrix-util';

/** Multiply-adds per m×n×K product below which another thread costs more (sync, cache) than it saves. */
const MIN_MACS_PER_THREAD = 1 << 21;
/** Floats per block of P (R·width ≈ 16k: a block's P, Q and D stay in a 256 KiB L2). */
const BLOCK_FLOATS = 16384;

export interface NMFShape {
  m: number;
  n: number;
  K: number;
}

export interface NMFWorkspaceOptions {
  /**
   * Threads for the kernels at most (default 1; more needs `spawn`). Small problems use fewer: one
   * per 2²¹ multiply-adds of an m×n×K product (256×256, K = 16: one thread; 1024², K = 32: sixteen).
   */
  threads?: number;
  spawn?: SpawnThread;
}

type Region = 'V' | 'VT' | 'W' | 'H' | 'HT' | 'WT' | 'NW' | 'DW' | 'NH' | 'DH' | 'G' | 'zero' | 'S';

export class NMFWorkspaceCore {
  readonly m: number;
  readonly n: number;
  readonly K: number;
  readonly threads: number;
  protected readonly gemm: GemmFn;
  protected readonly nk: NMFWasmKernels;
  protected readonly pool: KernelPool | null;
  /** Byte offsets into the kernels' memory; P and QD: one scratch per thread (thread 0 = this one). */
  protected readonly p: Record<Region, number>;
  protected readonly pP: number[];
  protected readonly pQD: number[];
  protected readonly f: Record<'V' | 'VT' | 'W' | 'H' | 'HT' | 'WT' | 'NW' | 'DW' | 'NH' | 'DH', Float32Array>;
  protected readonly fP: Float32Array;
  protected readonly fQD: Float32Array;
  /** Per-block float64 partial sums (sqDiff writes three per block, in a slot of four). */
  protected readonly sums: Float64Array;
  /** 1 where V > EPSILON, row-major m×n (sklearn's mask for the V-dependent terms). */
  protected readonly mask: Float32Array;
  protected readonly rowsPerBlock: number;
  protected readonly colsPerBlock: number;


  /** V row-major m×n (entries ≥ 0). Throws when WebAssembly SIMD (or, for threads, shared memory) is unavailable. */
  constructor(V: Float32Array, { m, n, K }: NMFShape, opts: NMFWorkspaceOptions = {}) {
    if (V.length !== m * n) throw new Error(`V must have ${m}×${n} entries`);
    const threads = Math.max(1, Math.min(opts.threads ?? 1, Math.floor((m * n * K) / MIN_MACS_PER_THREAD)));
    if (threads > 1 && !opts.spawn) throw new Error('more than one kernel thread needs a way to start threads');
    this.m = m;
    this.n = n;
    this.K = K;
    this.threads = threads;
    this.rowsPerBlock = Math.max(4, Math.floor(BLOCK_FLOATS / n / 4) * 4);
    this.colsPerBlock = Math.max(4, Math.floor(BLOCK_FLOATS / m / 4) * 4);
    const blockFloats = Math.ceil(Math.max(this.rowsPerBlock * n, this.colsPerBlock * m) / 4) * 4;
    const blocks = Math.ceil(Math.max(m, n) / 4);
    const sizes: Record<Region, number> = {
      V: m * n, VT: m * n, W: m * K, H: K * n, HT: n * K, WT: K * m, NW: m * K, DW: m * K, NH: n * K, DH: n * K,
      G: K * K, zero: Math.max(m, n, K), S: 8 * blocks,
    };
    let total = 0;
    const alloc = (len: number): number => {
      const at = total * 4;
      total += Math.ceil(len / 4) * 4;
      return at;
    };
    const p = {} as Record<Region, number>;
    for (const name of Object.keys(sizes) as Region[]) p[name] = alloc(sizes[name]);
    this.pP = Array.from({ length: threads }, () => alloc(blockFloats));
    this.pQD = Array.from({ length: threads }, () => alloc(2 * blockFloats));
    const k = createWasmKernels(total * 4, threads > 1);
    const nk = k && createNMFKernels(k.memory);
    if (!k || !nk) throw new Error(threads > 1 ? 'WebAssembly SIMD with shared memory is not available' : 'WebAssembly SIMD is not available');
    this.gemm = k.gemm;
    this.nk = nk;
    this.p = p;
    this.pool = threads > 1 ? new KernelPool(k.memory, threads - 1, opts.spawn!) : null;
    const view = (name: Exclude<Region, 'G' | 'zero' | 'S'>) => new Float32Array(k.memory.buffer, p[name], sizes[name]);
    this.f = {
      V: view('V'), VT: view('VT'), W: view('W'), H: view('H'), HT: view('HT'), WT: view('WT'),
      NW: view('NW'), DW: view('DW'), NH: view('NH'), DH: view('DH'),
    };
    this.fP = new Float32Array(k.memory.buffer, this.pP[0], blockFloats);
    this.fQD = new Float32Array(k.memory.buffer, this.pQD[0], 2 * blockFloats);
    this.sums = new Float64Array(k.memory.buffer, p.S, 4 * blocks);
    this.f.V.set(V);
    const VT = this.f.VT;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) VT[j * m + i] = V[i * n + j];
    this.mask = new Float32Array(m * n);
    for (let i = 0; i < m * n; i++) this.mask[i] = V[i] > EPSILON ? 1 : 0;
  }

  /** Stops the kernel threads (the workspace cannot step afterwards). */
  close(): void {
    this.pool?.close();
  }

  /** Entries of θ = [W (m×K row-major); H (K×n row-major)], the cpu engine's NMF parameter vector. */
  get size(): number {
    return this.m * this.K + this.K * this.n;
  }

  /** V, row-major m×n (the workspace's copy: do not mutate). */
  get data(): Float32Array {
    return this.f.V;
  }

  /** Runs the calls `build(t)` makes for every thread t ≥ 1 on the helpers while `here` runs on this one. */
  protected parallel(build: (t: number) => KernelCall[], here: () => void): void {
    if (!this.pool) return here();
    this.pool.run(Array.from({ length: this.threads - 1 }, (_, h) => build(h + 1)), here);
  }

  /** The β = 0 / 1 weights run on kernels (any thread); other β on the JS loop (this thread only). */
  protected static kernelWeights(beta: number): boolean {
    return beta === 0 || beta === 1;
  }

  /**
   * The kernel calls of one block, in two halves: P = A_b·B (r×w, inner K) and (β = 0, 1) [Q; D] =
   * weights(P, V_b); then N_b = Q·C and D_b = D·C (C: w×K), with thread t's scratch. For other β the
   * JS weights loop runs between the halves (thread 0 only).
   */
  protected blockCalls(t: number, a: number, rows: number, B: number, w: number, vPtr: number, C: number, outN: number, outD: number, beta: number): KernelCall[][] {
    const { K, p } = this;
    const P = this.pP[t];
    const QD = this.pQD[t];
    const len = rows * w;
    const dOff = NMFWorkspaceCore.kernelWeights(beta) ? Math.ceil(len / 4) * 4 : len;
    const first: KernelCall[] = [[KERNEL.gemm, a, K * 4, 4, B, p.zero, P, rows, K, w, 0]];
    if (beta === 1) first.push([KERNEL.weightsKL, P, vPtr, QD, len]);
    else if (beta === 0) first.push([KERNEL.weightsIS, P, vPtr, QD, QD + dOff * 4, len]);
    const second: KernelCall[] = [[KERNEL.gemm, QD, w * 4, 4, C, p.zero, outN, rows, w, K, 0]];
    if (beta !== 1) second.push([KERNEL.gemm, QD + dOff * 4, w * 4, 4, C, p.zero, outD, rows, w, K, 0]);
    return [first, second];
  }

  /** Runs kernel calls on this thread. */
  protected exec(calls: KernelCall[]): void {
    const { gemm, nk } = this;
    for (const [id, ...a] of calls) {
      if (id === KERNEL.gemm) gemm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
      else if (id === KERNEL.weightsKL) nk.weightsKL(a[0], a[1], a[2], a[3]);
      else if (id === KERNEL.weightsIS) nk.weightsIS(a[0], a[1], a[2], a[3], a[4]);
      else nk.sqDiff(a[0], a[1], a[2], a[3]);
    }
  }

  /**
   * The blocked pass over `count` rows of `src` (V for W's half: P = W_b·H against V; Vᵀ for H's:
   * P = Hᵀ_b·Wᵀ against Vᵀ) writing N and D rows. With `withLoss` (W's half), also Σ d_β(V | P).
   */
  protected blockedPass(forW: boolean, beta: number, withLoss: boolean): number {
    const { m, n, K, p, f } = this;
    const count = forW ? m : n;
    const w = forW ? n : m;
    const R = forW ? this.rowsPerBlock : this.colsPerBlock;
    const [A, B, src, C, outN, outD] = forW ? [p.W, p.H, p.V, p.HT, p.NW, p.DW] : [p.HT, p.WT, p.VT, p.W, p.NH, p.DH];
    const V = forW ? f.V : f.VT;
    const threaded = this.pool !== null && NMFWorkspaceCore.kernelWeights(beta) && !withLoss;
    const parts = threaded ? this.threads : 1;
    const callsFor = (t: number, lo: number, hi: number): KernelCall[] => {
      const calls: KernelCall[] = [];
      for (let i0 = lo; i0 < hi; i0 += R) {
        const r = Math.min(R, hi - i0);
        calls.push(...this.blockCalls(t, A + i0 * K * 4, r, B, w, src + i0 * w * 4, C, outN + i0 * K * 4, outD + i0 * K * 4, beta).flat());
      }
      return calls;
    };
    let sum = 0;
    const here = (): void => {
      const [lo, hi] = part(count, parts, 0, R);
      for (let i0 = lo; i0 < hi; i0 += R) {
        const r = Math.min(R, hi - i0);
        const len = r * w;
        const [first, second] = this.blockCalls(0, A + i0 * K * 4, r, B, w, src + i0 * w * 4, C, outN + i0 * K * 4, outD + i0 * K * 4, beta);
        this.exec(first);
        const P = this.fP.subarray(0, len);
        const Vb = V.subarray(i0 * w, i0 * w + len);
        if (withLoss) sum += divergenceLoop(P, Vb, this.mask.subarray(i0 * w, i0 * w + len), beta);
        if (!NMFWorkspaceCore.kernelWeights(beta)) weightsLoop(this.fQD.subarray(0, 2 * len), P, Vb, beta);
        this.exec(second);
      }
    };
    if (parts === 1) here();
    else this.parallel((t) => callsFor(t, ...part(count, parts, t, R)), here);
    return sum;
  }

  /** N_W (and D_W) for the loaded (W, H); with `withLoss` also Σ d_β(V | WH) (β ≠ 2). */
  protected numeratorsW(beta: number, withLoss: boolean): number {
    const { m, n, K, p } = this;
    if (beta !== 2) return this.blockedPass(true, beta, withLoss);
    this.gemm(p.H, n * 4, 4, p.HT, p.zero, p.G, K, n, K, 0); // HHᵀ
    const rows = (t: number): KernelCall[] => {
      const [lo, hi] = part(m, this.threads, t, 4);
      return lo < hi
        ? [
            [KERNEL.gemm, p.V + lo * n * 4, n * 4, 4, p.HT, p.zero, p.NW + lo * K * 4, hi - lo, n, K, 0],
            [KERNEL.gemm, p.W + lo * K * 4, K * 4, 4, p.G, p.zero, p.DW + lo * K * 4, hi - lo, K, K, 0],
          ]
        : [];
    };
    this.parallel(rows, () => this.exec(rows(0)));
    return NaN;
  }

  /** N_Hᵀ and (β ≠ 1) D_Hᵀ, n×K, at the loaded W and H (Wᵀ refreshed); β = 1's D is W's column sums. */
  protected numeratorsH(beta: number): void {
    const { m, n, K, p, f } = this;
    transpose(f.W, f.WT, m, K);
    if (beta !== 2) return void this.blockedPass(false, beta, false);
    this.gemm(p.WT, m * 4, 4, p.W, p.zero, p.G, K, m, K, 0); // WᵀW
    const rows = (t: number): KernelCall[] => {
      const [lo, hi] = part(n, this.threads, t, 4);
      return lo < hi
        ? [
            [KERNEL.gemm, p.VT + lo * m * 4, m * 4, 4, p.W, p.zero, p.NH + lo * K * 4, hi - lo, m, K, 0], // (WᵀV)ᵀ = VᵀW
            [KERNEL.gemm, p.HT + lo * K * 4, K * 4, 4, p.G, p.zero, p.DH + lo * K * 4, hi - lo, K, K, 0], // ((WᵀW)H)ᵀ = Hᵀ(WᵀW)
          ]
        : [];
    };
    this.parallel(rows, () => this.exec(rows(0)));
  }

  /** ½Σ(V − WH)², block by block on the kernels (float64 lanes), each block's sums in its own slot. */
  protected divergenceEuclid(): number {
    const { m, n, K, p } = this;
    const R = this.rowsPerBlock;
    const callsFor = (t: number): KernelCall[] => {
      const [lo, hi] = part(m, this.threads, t, R);
      const calls: KernelCall[] = [];
      for (let i0 = lo; i0 < hi; i0 += R) {
        const r = Math.min(R, hi - i0);
        calls.push([KERNEL.gemm, p.W + i0 * K * 4, K * 4, 4, p.H, p.zero, this.pP[t], r, K, n, 0]);
        calls.push([KERNEL.sqDiff, this.pP[t], p.V + i0 * n * 4, r * n, p.S + (i0 / R) * 32]);
      }
      return calls;
    };
    this.parallel(callsFor, () => this.exec(callsFor(0)));
    let sum = 0;
    for (let b = 0; b * R < m; b++) sum += 0.5 * (this.sums[4 * b] + this.sums[4 * b + 1] + this.sums[4 * b + 2]);
    return sum;
  }
}
