/**
 * The cpu engine's objective operations for β-NMF: f(θ) = D_β(V | WH) and the multiplicative-update
 * pieces (engine/nmf-ops.ts) on an NMFWorkspace (core/fused/nmf-engine.ts: blocked WebAssembly SIMD
 * passes that never form the m×n matrices, kernel threads where they pay).
 *
 * Layout: a cpu Vec for NMF is one Float32Array θ = [W (m×K row-major); H (K×n row-major)] — the layout
 * order of the tfjs Vec [W, H], so `toArray`/`fromArray` move θ between engines unchanged. Blocks: 0 = W
 * (θ[0, mK)), 1 = H (θ[mK, mK + Kn)).
 *
 * The workspace holds one loaded θ (W, H and Hᵀ in the kernels' memory), keyed by the Vec's identity
 * (Vecs are immutable): a step's `update` leaves its result loaded, f(θ⁺) then reads it in place and
 * (β ≠ 2) prepares the next W half-step in the same pass, so consecutive calls on one run copy only θ
 * out (m·K + K·n floats per `update`), never the m×n work. Several runs may share one objective (and
 * workspace): a θ that is not loaded is copied in first.
 */
import { NO_PENALTY, type NMFHalfStep, type NMFOps, type NMFPenalty } from '../../engine/nmf-ops';
import type { ObjectiveOps, Vec } from '../../engine/types';
import type { NMFWorkspace } from '../../fused/nmf-engine';
import { EPS64, EPSILON } from '../../problems/nmf-loops';
import { jointRatioCpu, normalizeWCpu, penaltyBound, type JointCache } from './nmf-joint';
import { allocF32, cpuArray, cpuVec } from './vector-ops';

export class CpuNMFObjective implements ObjectiveOps {
  readonly kind = 'nmf' as const;
  readonly blocks = 2;
  readonly nmf: NMFOps;
  private readonly mK: number;
  private readonly size: number;
  /** f at the last θ evaluated (by identity). */
  private cached: { theta: Float32Array; value: number } | null = null;
  /** Arrays of released θs (see `release`), reused for later results. */
  private readonly spare: Float32Array[] = [];

  constructor(
    readonly workspace: NMFWorkspace,
    readonly beta: number,
    readonly penalty: NMFPenalty = NO_PENALTY,
  ) {
    const { m, n, K } = workspace;
    this.mK = m * K;
    this.size = m * K + K * n;
    this.nmf = new CpuNMFOps(this, workspace, beta, penalty);
  }

  /** l1·Σ H (float64; 0 without a penalty). */
  private penaltyValue(a: Float32Array): number {
    const l1 = this.penalty.l1;
    if (l1 === 0) return 0;
    let s = 0;
    for (let i = this.mK; i < this.size; i++) s += a[i];
    return l1 * s;
  }

  /** The Float32Array of θ, loaded into the workspace. */
  load(theta: Vec): Float32Array {
    const a = cpuArray(theta);
    this.workspace.use(a);
    return a;
  }

  /**
   * f(θ) = D_β(V | WH) (≥ 0: rounding below 0 is dropped, NaN kept) + l1·Σ H (the penalty, if any),
   * rounded to float32 as tfjs reports it.
   */
  value(theta: Vec): number {
    const a = cpuArray(theta);
    if (this.cached?.theta === a) return this.cached.value;
    this.workspace.use(a);
    const value = Math.fround(Math.max(0, this.workspace.loss(this.beta)) + this.penaltyValue(a));
    this.cached = { theta: a, value };
    return value;
  }

  /**
   * Declares that θ will never be read again (its owner replaced it and holds no view of it), so its
   * array may back a later result: a run stepping on one objective then allocates nothing per step.
   */
  release(theta: Vec): void {
    const a = cpuArray(theta);
    if (a.length !== this.size || this.spare.includes(a) || this.spare.length >= 4) return;
    if (this.cached?.theta === a) this.cached = null;
    this.workspace.forget(a);
    (this.nmf as CpuNMFOps).forget(a);
    this.spare.push(a);
  }

  /** An array for a new θ (a released one, or a fresh one). */
  fresh(): Float32Array {
    return this.spare.pop() ?? allocF32(this.size);
  }

  valueAndGrad(theta: Vec): { value: number; grad: Vec } {
    const value = this.value(theta);
    const grad = allocF32(this.size);
    this.load(theta);
    this.workspace.gradient(this.beta, 0, grad.subarray(0, this.mK));
    this.workspace.gradient(this.beta, 1, grad.subarray(this.mK));
    this.addPenaltyGrad(grad.subarray(this.mK));
    return { value, grad: cpuVec(grad) };
  }

  blockValueAndGrad(theta: Vec, b: number): { value: number; grad: Vec } {
    const value = this.value(theta);
    this.load(theta);
    const grad = allocF32(b === 0 ? this.mK : this.size - this.mK);
    this.workspace.gradient(this.beta, b === 0 ? 0 : 1, grad);
    if (b !== 0) this.addPenaltyGrad(grad);
    return { value, grad: cpuVec(grad) };
  }

  /** ∇_H of l1·Σ H is l1 everywhere (rounded like tfjs's float32 add). */
  private addPenaltyGrad(gH: Float32Array): void {
    const l1 = this.penalty.l1;
    if (l1 !== 0) for (let i = 0; i < gH.length; i++) gH[i] += l1;
  }

  block(theta: Vec, b: number): Vec {
    const a = cpuArray(theta);
    return cpuVec(b === 0 ? a.subarray(0, this.mK) : a.subarray(this.mK, this.size));
  }

  withBlock(theta: Vec, b: number, part: Vec): Vec {
    const out = allocF32(this.size);
    out.set(cpuArray(theta));
    out.set(cpuArray(part), b === 0 ? 0 : this.mK);
    return cpuVec(out);
  }
}

class CpuNMFOps implements NMFOps {
  readonly rows: number;
  readonly cols: number;
  readonly rank: number;

  private readonly joint: JointCache = { ref: null, PQ: new Float32Array(0) };

  constructor(
    private readonly f: CpuNMFObjective,
    private readonly ws: NMFWorkspace,
    readonly beta: number,
    readonly penalty: NMFPenalty,
  ) {
    this.rows = ws.m;
    this.cols = ws.n;
    this.rank = ws.K;
  }

  update(theta: Vec, halves: readonly NMFHalfStep[]): Vec {
    this.f.load(theta);
    for (const h of halves) this.ws.halfStep(this.beta, h.block, h.exponent, h.zeroTiny, this.penalty.l1);
    return cpuVec(this.ws.read(this.f.fresh()));
  }

  ratio(theta: Vec, block: 0 | 1): Vec {
    this.f.load(theta);
    const { m, n, K } = this.ws;
    return cpuVec(this.ws.ratio(this.beta, block, allocF32(block === 0 ? m * K : K * n), this.penalty.l1));
  }

  normalizeW(theta: Vec): Vec {
    const { m, n, K } = this.ws;
    const norm = this.penalty.normalizeW;
    return cpuVec(norm === 'none' ? cpuArray(theta).slice() : normalizeWCpu(cpuArray(theta), m, n, K, norm));
  }

  /** Drops the joint cache's reference if it is θ's array (about to hold another θ). */
  forget(a: Float32Array): void {
    if (this.joint.ref === a) this.joint.ref = null;
  }

  jointRatio(ref: Vec, theta: Vec, block: 0 | 1): Vec {
    const { m, n, K } = this.ws;
    return cpuVec(jointRatioCpu(this.ws.data, cpuArray(ref), cpuArray(theta), m, n, K, this.beta, block, this.penalty.l1, this.joint));
  }

  scaleByRatio(X: Vec, R: Vec, t: number, zeroTiny: boolean): Vec {
    const x = cpuArray(X);
    const r = cpuArray(R);
    const out = allocF32(x.length);
    for (let i = 0; i < x.length; i++) {
      const y = x[i] * (t === 1 ? r[i] : Math.pow(r[i], t));
      out[i] = zeroTiny && y < EPS64 ? 0 : y;
    }
    return cpuVec(out);
  }

  auxiliary(theta: Vec, Ht: Vec): number {
    const { m, n, K } = this.ws;
    const a = cpuArray(theta);
    const H = a.subarray(m * K);
    const g = auxiliaryH(this.ws.data, a.subarray(0, m * K), cpuArray(Ht), H, m, n, K, this.beta);
    return g + penaltyBound(cpuArray(Ht), H, this.beta, this.penalty.l1);
  }

  carry(): Vec | null {
    return null; // the workspace keeps its own (the f-pass prepares the next W half-step)
  }
}

/**
 * G_W(H | H̃) (engine/nmf-ops.ts `auxiliary`), summed in float64 — the same terms as the tfjs engine's
 * auxiliaryH (engines/tfjs/nmf-ops.ts). With Ṽ = WH̃ (zeros → EPSILON), Y = WH, Q = H/H̃ and
 * A(p) = W(H̃ ⊙ Q^p): β = 1: Y + [v log v − v − v(log ṽ + A_log/ṽ)]; β = 0: −log v − 1 + v ṽ⁻² A(−1) +
 * log ṽ + (y − ṽ)/ṽ (−1 where V ≤ EPSILON); else y^β/β Jensen (β > 1) or tangent, and −x·y^{β−1}/(β−1)
 * Jensen (β ≤ 2) or tangent, + x^β/(β(β−1)); V-dependent terms only where V > EPSILON (β = 2: all).
 */
export function auxiliaryH(V: Float32Array, W: Float32Array, Ht: Float32Array, H: Float32Array, m: number, n: number, K: number, beta: number): number {
  // H may not leave a zero of H̃
  for (let i = 0; i < K * n; i++) if (!(Ht[i] > 0) && H[i] !== 0) return Infinity;
  // B_p = H̃ ⊙ Q^p for the powers the β needs (Q = 1 where H̃ = 0, so those terms vanish)
  const powers = beta === 1 ? ['log'] : beta === 0 ? [-1] : beta > 1 && beta <= 2 ? [beta, beta - 1] : beta > 2 ? [beta] : [beta - 1];
  const B = powers.map((p) => {
    const b = new Float64Array(K * n);
    for (let i = 0; i < K * n; i++) {
      const ht = Ht[i];
      if (!(ht > 0)) continue;
      const q = H[i] / ht;
      b[i] = p === 'log' ? ht * Math.log(q) : ht * Math.pow(q, p as number);
    }
    return b;
  });
  const vt = new Float64Array(n);
  const y = new Float64Array(n);
  const A = B.map(() => new Float64Array(n));
  let sum = 0;
  for (let i = 0; i < m; i++) {
    vt.fill(0);
    y.fill(0);
    A.forEach((a) => a.fill(0));
    for (let k = 0; k < K; k++) {
      const w = W[i * K + k];
      if (w === 0) continue;
      const o = k * n;
      for (let j = 0; j < n; j++) {
        vt[j] += w * Ht[o + j];
        y[j] += w * H[o + j];
      }
      for (let s = 0; s < B.length; s++) {
        const a = A[s];
        const b = B[s];
        for (let j = 0; j < n; j++) a[j] += w * b[o + j];
      }
    }
    for (let j = 0; j < n; j++) {
      const v = V[i * n + j];
      const counted = v > EPSILON;
      const t = vt[j] === 0 ? EPSILON : vt[j];
      const yy = y[j];
      if (beta === 1) sum += yy + (counted ? v * Math.log(v) - v - v * (Math.log(t) + A[0][j] / t) : 0);
      else if (beta === 0) sum += counted ? -Math.log(v) - 1 + (v / (t * t)) * A[0][j] + Math.log(t) + (yy - t) / t : -1;
      else {
        const x = beta === 2 || counted ? v : 1;
        const part1 = beta > 1 ? (Math.pow(t, beta - 1) * A[0][j]) / beta : Math.pow(t, beta) / beta + Math.pow(t, beta - 1) * (yy - t);
        const part2 =
          beta <= 2
            ? (x * Math.pow(t, beta - 2) * A[beta > 1 ? 1 : 0][j]) / -(beta - 1)
            : -x * (Math.pow(t, beta - 1) / (beta - 1) + Math.pow(t, beta - 2) * (yy - t));
        const xpart = Math.pow(x, beta) / (beta * (beta - 1)) + part2;
        sum += part1 + (beta === 2 || counted ? xpart : 0);
      }
    }
  }
  return sum;
}
