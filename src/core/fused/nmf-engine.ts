/**
 * The β-NMF operations of the cpu engine (engine/nmf-ops.ts; engines/cpu/nmf-objective.ts is the
 * ObjectiveOps over this workspace) on the WebAssembly SIMD kernels (wasm-kernels.ts,
 * nmf-wasm-kernels.ts): V, Vᵀ, W, H and the scratch as float32 in the kernels' memory; the half-steps
 * of scikit-learn's `mu` loop body (float32 products, per-entry weights in float64 rounded once — the
 * shared loops of problems/nmf-loops.ts or kernels with their bits), the update ratios, ∇f and
 * D_β(V | WH). The algorithms (exponent, order, zeroing) are algorithms/nmf-updates.ts's.
 *
 * The speed comes from never materialising the m×n matrices WH, (WH)^{β−2}⊙V and (WH)^{β−1}: a half
 * step runs over blocks of R rows (W's) or R columns (H's) of V, and per block computes
 *     P_b = W_b·H,   [Q_b; D_b] = weights(P_b, V_b),   N_W[b] = Q_b·Hᵀ,   D_W[b] = D_b·Hᵀ
 * (for H the same on the transposes: P_bᵀ = H_bᵀ·Wᵀ against Vᵀ_b, then Q_bᵀ·W), so each block's
 * R×n matrices stay in cache. β = 2 needs no weights: N_W = V·Hᵀ, D_W = W(HHᵀ); N_Hᵀ = VᵀW,
 * D_Hᵀ = Hᵀ(WᵀW) (sklearn's (WᵀW)H, transposed). H is updated as Hᵀ, where every operand is n×K.
 *
 * With a KernelPool the blocks (and the rows of the β = 2 products) are split between threads, each
 * with its own scratch; the per-entry JS loops (general β, the β = 0 / 1 divergences) stay on this
 * thread. Results are bit-identical for any number of threads.
 *
 * The workspace holds one point θ = [W (m×K); H (K×n)] (`use`, keyed by the identity of θ's array,
 * which the cpu engine never mutates). `loss()` computes P = W·H block by block for D_β(V | WH); for
 * β ≠ 2 the same pass also yields the next W half-step's N_W and D_W (they need that very P), which
 * `halfStep` then uses instead of a second pass.
 */
import { updateLoop, type Strides } from '../problems/nmf-loops';
import { columnSums, rowSums, transpose } from './matrix-util';
import { NMFWorkspaceCore } from './nmf-workspace-core';

export type { NMFShape, NMFWorkspaceOptions } from './nmf-workspace-core';

/** A Float32Array of n ones (the X of updateLoop when only the ratio is wanted). */
function ones(n: number): Float32Array {
  return new Float32Array(n).fill(1);
}

export class NMFWorkspace extends NMFWorkspaceCore {
  /** The θ = [W; H] the W, H and Hᵀ regions hold (by identity; null while a half-step changes them). */
  private loaded: Float32Array | null = null;
  /** The θ and β that N_W and D_W were computed for (`loss` with β ≠ 2, `ratio(0)`), or null. */
  private prepared: { theta: Float32Array; beta: number } | null = null;

  /** Makes θ = [W; H] the loaded point, unless it already is (θ is not mutated; keyed by identity). */
  use(theta: Float32Array): void {
    if (this.loaded === theta) return;
    const { m, n, K, f } = this;
    if (theta.length !== m * K + K * n) throw new Error(`θ must have ${m}×${K} + ${K}×${n} entries`);
    f.W.set(theta.subarray(0, m * K));
    f.H.set(theta.subarray(m * K));
    transpose(f.H, f.HT, K, n);
    this.loaded = theta;
    this.prepared = null;
  }

  /** Drops any reference to θ (its array is about to hold another θ). */
  forget(theta: Float32Array): void {
    if (this.loaded === theta) this.loaded = null;
    if (this.prepared?.theta === theta) this.prepared = null;
  }

  /** Copies the loaded (W, H) into `out` (m·K + K·n entries), which becomes the loaded θ. */
  read(out: Float32Array): Float32Array {
    out.set(this.f.W);
    out.set(this.f.H, this.m * this.K);
    if (this.prepared && this.prepared.theta === this.loaded) this.prepared = { theta: out, beta: this.prepared.beta };
    this.loaded = out;
    return out;
  }

  /**
   * A half-step in place on the loaded point: block 0 (W, with the loaded H) or 1 (H, with the loaded
   * W), X ← X ⊙ (N/D)^e, then (zeroTiny) entries below float64 eps → 0. The loaded θ then is none
   * until `read`. `l1` (H only): the penalty added to H's denominator (see `ratio`).
   */
  halfStep(beta: number, block: 0 | 1, e: number, zeroTiny: boolean, l1 = 0): void {
    const ready = this.prepared !== null && this.prepared.theta === this.loaded && this.prepared.beta === beta;
    this.loaded = null;
    this.prepared = null;
    if (block === 0) {
      if (!ready) this.numeratorsW(beta, false);
      this.applyW(beta, e, zeroTiny);
    } else this.halfStepH(beta, e, zeroTiny, l1);
  }

  /** D_β(V | WH) at the loaded (W, H), summed in float64; for β ≠ 2 also prepares the next W half-step. */
  loss(beta: number): number {
    if (beta === 2) return this.divergenceEuclid();
    const sum = this.numeratorsW(beta, true);
    this.prepared = this.loaded && { theta: this.loaded, beta };
    return sum;
  }

  /**
   * The update ratio N/D of block 0 (W, m×K) or 1 (H, K×n) at the loaded point, row-major into `out`,
   * with the update's guards (D = 0 → EPSILON; β = 1 H: D = 0 → 1 first), rounded to float32. `l1`:
   * the penalty added to H's denominator (after β = 1's 0 → 1, before 0 → EPSILON, as sklearn).
   */
  ratio(beta: number, block: 0 | 1, out: Float32Array, l1 = 0): Float32Array {
    const { m, n, K } = this;
    const pieces = this.pieces(beta, block);
    const { N, D, ds } = block === 1 ? this.penalised(pieces, beta, l1) : pieces;
    const rows = block === 0 ? m : n;
    const R = block === 0 ? out : new Float32Array(n * K);
    updateLoop(R, ones(rows * K), N, [0, K, 1], D, ds, rows, K, 1, false, block === 1 && beta === 1 && l1 === 0);
    if (block === 1) transpose(R, out, n, K);
    return out;
  }

  /** ∇f = D − N of block 0 (W, m×K) or 1 (H, K×n) at the loaded point (sklearn's guards), row-major into `out`. */
  gradient(beta: number, block: 0 | 1, out: Float32Array): Float32Array {
    const { m, n, K } = this;
    const { N, D, ds } = this.pieces(beta, block);
    const rows = block === 0 ? m : n;
    const G = block === 0 ? out : new Float32Array(n * K);
    for (let i = 0; i < rows; i++) for (let k = 0; k < K; k++) G[i * K + k] = D[ds[0] + i * ds[1] + k * ds[2]] - N[i * K + k];
    if (block === 1) transpose(G, out, n, K);
    return out;
  }

  /** N and D of block 0 (rows of W) or 1 (rows of Hᵀ) at the loaded point, D read through strides `ds`. */
  private pieces(beta: number, block: 0 | 1): { N: Float32Array; D: Float32Array; ds: Strides } {
    const { m, n, K, f } = this;
    if (block === 0) {
      if (!(this.prepared && this.prepared.theta === this.loaded && this.prepared.beta === beta)) this.numeratorsW(beta, false);
      this.prepared = this.loaded && { theta: this.loaded, beta };
      return beta === 1 ? { N: f.NW, D: rowSums(f.H, K, n, new Float32Array(K)), ds: [0, 0, 1] } : { N: f.NW, D: f.DW, ds: [0, K, 1] };
    }
    this.numeratorsH(beta);
    return beta === 1 ? { N: f.NH, D: columnSums(f.W, m, K, new Float32Array(K)), ds: [0, 0, 1] } : { N: f.NH, D: f.DH, ds: [0, K, 1] };
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * W ⊙ (N_W / D_W)^e in place (β = 1: D_W = the row sums of H), then (zeroTiny) tiny entries → 0 — on
   * the SIMD kernel for e = 1 with a full D (the JS loop's bits), else the JS loop.
   */
  private applyW(beta: number, e: number, zeroTiny: boolean): void {
    const { m, n, K, f } = this;
    let D = f.DW;
    let ds: Strides = [0, K, 1];
    if (beta === 1) {
      D = rowSums(f.H, K, n, f.DH); // scratch: DH is free until H's half-step
      ds = [0, 0, 1];
    }
    if (e === 1 && beta !== 1) (zeroTiny ? this.nk.updateTiny : this.nk.update)(this.p.W, this.p.NW, this.p.DW, m * K);
    else updateLoop(f.W, f.W, f.NW, [0, K, 1], D, ds, m, K, e, zeroTiny, false);
  }

  /** H's half-step with the loaded W, on Hᵀ: Hᵀ ⊙ (N_Hᵀ / D_Hᵀ)^e, then (zeroTiny) tiny entries → 0; H refreshed. */
  private halfStepH(beta: number, e: number, zeroTiny: boolean, l1: number): void {
    const { m, n, K, p, f } = this;
    this.numeratorsH(beta);
    let D = f.DH;
    let ds: Strides = [0, K, 1];
    if (beta === 1) {
      D = columnSums(f.W, m, K, f.DH); // the column sums of W (zeros → 1 in the update); N_Hᵀ is in NH
      ds = [0, 0, 1];
    }
    if (l1 !== 0) ({ D, ds } = this.penalised({ N: f.NH, D, ds }, beta, l1));
    if (e === 1 && beta !== 1) (zeroTiny ? this.nk.updateTiny : this.nk.update)(p.HT, p.NH, p.DH, n * K);
    else updateLoop(f.HT, f.HT, f.NH, [0, K, 1], D, ds, n, K, e, zeroTiny, beta === 1 && l1 === 0);
    transpose(f.HT, f.H, n, K);
  }

  /**
   * H's pieces with the penalty l1 added to D in place (rounded to float32, as tfjs's add): β = 1's
   * column sums get 0 → 1 first (sklearn's order), so the update must not apply that guard again.
   */
  private penalised(pc: { N: Float32Array; D: Float32Array; ds: Strides }, beta: number, l1: number): { N: Float32Array; D: Float32Array; ds: Strides } {
    if (l1 === 0) return pc;
    const len = beta === 1 ? this.K : this.n * this.K;
    const D = pc.D;
    for (let i = 0; i < len; i++) D[i] = (beta === 1 && D[i] === 0 ? 1 : D[i]) + l1;
    return pc;
  }
}
