/**
 * Nonnegative matrix factorisation V ≈ WH with the β-divergence (Févotte & Idier 2011):
 * f(W, H) = D_β(V | WH) = Σ d_β(v | [WH]), W (m×K), H (K×n), both ≥ 0. Parameters are [W, H].
 *
 * `loss` is scikit-learn's `_beta_divergence(V, W, H, beta, square_root=False)` (sklearn 1.2,
 * decomposition/_nmf.py), quirks included: ½‖V − WH‖² for β = 2; for β ≠ 2 the V-dependent terms only
 * count entries with V > EPSILON (float32 eps, even in float64), where a zero of WH is replaced by
 * EPSILON; β = 0 subtracts m·n (all entries) and β = 1 adds ΣWH over all entries. It is summed per entry
 * in a form without sklearn's cancellation of O(1) terms (see betaDivergence): the same number in exact
 * arithmetic, far fewer float32 digits lost when the fit is good or β is near 0 or 1.
 */
import * as tf from '@tensorflow/tfjs';
import type { NMFProblemConfig } from '../config';
import { NO_PENALTY, type NMFPenalty } from '../engine/nmf-ops';
import { Rng } from '../rng';
import type { Objective, Params, Problem } from '../types';
import { nmfDivergenceFused } from './nmf-kernels';

/** np.finfo(np.float32).eps — scikit-learn's EPSILON in _nmf.py, used even for float64 data. */
export const EPSILON = 2 ** -23;
/** np.finfo(np.float64).eps — the threshold below which sklearn's `mu` solver zeroes W/H entries. */
export const EPS64 = 2 ** -52;

/** The structure NMF algorithms use. */
export interface NMFObjective extends Objective {
  readonly kind: 'nmf';
  /** The data matrix (m×n), entries ≥ 0. */
  readonly V: tf.Tensor2D;
  readonly beta: number;
  /** 1 where V > EPSILON (the entries _beta_divergence counts in its V-dependent terms), else 0. */
  readonly mask: tf.Tensor2D;
  /** Vᵀ (n×m), kept for the updates: Vᵀ as a matmul's right operand stays packed in XNNPACK's cache (wasm). */
  readonly VT: tf.Tensor2D;
  readonly rank: number;
  /** The penalty f includes (l1·Σ H; engine/nmf-ops.ts NMFPenalty). */
  readonly penalty: NMFPenalty;
  /** W·H products the NMF steps computed and own (in their state), found again by `loss` and the next step. */
  readonly products: ProductMemo;
}

/**
 * An index of W·H products that an algorithm's state owns, keyed by the identity of the W and H
 * tensors: a multiplicative-update step ends with W⁺H⁺, which both the lab's f(θ⁺) and the next step's
 * W-update need. Holds references only (never disposes); an entry whose tensors were disposed is ignored.
 */
export class ProductMemo {
  private entries: { W: tf.Tensor; H: tf.Tensor; WH: tf.Tensor2D }[] = [];

  get(W: tf.Tensor, H: tf.Tensor): tf.Tensor2D | null {
    const e = this.entries.find((x) => x.W === W && x.H === H);
    return e && !e.WH.isDisposed && !W.isDisposed && !H.isDisposed ? e.WH : null;
  }

  put(W: tf.Tensor, H: tf.Tensor, WH: tf.Tensor2D): void {
    this.entries = this.entries.filter((x) => !x.WH.isDisposed && !x.W.isDisposed && !x.H.isDisposed).slice(-15);
    this.entries.push({ W, H, WH });
  }
}

export interface NMFProblem extends Problem<NMFObjective> {
  readonly kind: 'nmf';
  readonly beta: number;
  readonly rank: number;
  /** V is rows × cols (m × n); nTrain = cols. */
  readonly rows: number;
  readonly cols: number;
}

/** x with exact zeros replaced by EPSILON (sklearn: `x[x == 0] = EPSILON`); other entries unchanged. */
export function zerosToEps(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(x, tf.mul(tf.cast(tf.equal(x, 0), 'float32'), EPSILON)));
}

/**
 * D_β(V | WH) exactly as sklearn's `_beta_divergence(V, W, H, beta)` (see the module comment).
 * `mask` is (V > EPSILON) as float32. `product`, when given, is W·H already computed (not disposed).
 * On the cpu and wasm backends one fused pass (nmf-kernels.ts, float64 sum), elsewhere tfjs ops.
 */
export function betaDivergence(V: tf.Tensor2D, mask: tf.Tensor2D, W: tf.Tensor, H: tf.Tensor, beta: number, product?: tf.Tensor2D | null): tf.Scalar {
  return tf.tidy(() => {
    const WH: tf.Tensor2D = product ?? tf.matMul(W as tf.Tensor2D, H as tf.Tensor2D);
    const fused = nmfDivergenceFused(WH, V, mask, beta);
    if (fused) return fused;
    if (beta === 2) return tf.mul(tf.sum(tf.square(tf.sub(V, WH))), 0.5) as tf.Scalar;
    const WHe = zerosToEps(WH);
    // Entries with V ≤ EPSILON are left out of the V-dependent terms with `where`, not a product with
    // the mask: there float32 may give inf (1/WH for a denormal WH, where float64 would not) and 0·inf.
    const counted = tf.cast(mask, 'bool');
    const Vs = tf.where(counted, V, tf.onesLike(V));
    // Per counted entry, with r = log(wh'/v): d_β(v|wh') = v^β·[expm1(βr)/β − expm1((β−1)r)/(β−1)]
    // (β = 1: v·(expm1(r) − r); β = 0: expm1(−r) + r) — the same number as sklearn's sums, without
    // their cancellation of O(1) terms (which costs float32 ~1e-7/(β(β−1)·r²) relative).
    const r = tf.log(tf.div(WHe, Vs));
    let entries: tf.Tensor;
    if (beta === 1) {
      // Σ_{V>ε} v·log(v/wh') + Σ_all wh − Σ_{V>ε} v: counted entries v(expm1(r) − r) + (wh − wh')
      const counted1 = tf.add(tf.mul(Vs, tf.sub(tf.expm1(r), r)), tf.sub(WH, WHe));
      entries = tf.where(counted, counted1, WH);
    } else if (beta === 0) {
      // Σ_{V>ε} (v/wh' − log(v/wh')) − m·n  =  Σ_{V>ε} (v/wh' − log(v/wh') − 1) − #{V ≤ ε}
      entries = tf.where(counted, tf.add(tf.expm1(tf.neg(r)), r), tf.fill(V.shape, -1));
    } else {
      // [Σ_{V>ε} (v^β − β·v·wh'^{β−1}) + (β − 1)·Σ_all wh^β] / (β(β − 1)):
      // counted entries d_β(v|wh') + (wh^β − wh'^β)/β (the last term is 0 unless wh = 0), others wh^β/β
      const whBeta = tf.pow(WH, beta);
      const d = tf.mul(tf.pow(Vs, beta), tf.sub(tf.div(tf.expm1(tf.mul(r, beta)), beta), tf.div(tf.expm1(tf.mul(r, beta - 1)), beta - 1)));
      entries = tf.where(counted, tf.add(d, tf.div(tf.sub(whBeta, tf.pow(WHe, beta)), beta)), tf.div(whBeta, beta));
    }
    return tf.sum(entries) as tf.Scalar;
  });
}

// ---------------------------------------------------------------------------------------------
// Data

/**
 * A seeded strictly positive V = (W*H*) ⊙ exp(σz − σ²/2) + floor: W* (rows×r), H* (r×cols) with
 * exponential (gamma, shape 1) entries, z standard normal, σ = noise (log-normal noise of mean 1).
 */
export function syntheticNMFData(rows: number, cols: number, trueRank: number, noise: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const expo = (): number => -Math.log(1 - rng.uniform());
  const Wt = Array.from({ length: rows }, () => Array.from({ length: trueRank }, expo));
  const Ht = Array.from({ length: trueRank }, () => Array.from({ length: cols }, expo));
  const V: number[][] = [];
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let k = 0; k < trueRank; k++) s += Wt[i][k] * Ht[k][j];
      const v = s * Math.exp(noise * rng.normal() - (noise * noise) / 2);
      row.push(v);
      sum += v;
    }
    V.push(row);
  }
  // (never below 2·EPSILON: every entry stays one that the β ≤ 0 divergences count)
  const floor = Math.max(1e-6 * (sum / (rows * cols)), 2 * EPSILON);
  return V.map((r) => r.map((v) => v + floor));
}

/**
 * A deterministic power spectrogram (bins × frames) of a few piano-like notes — the opening of "Mary
 * had a little lamb" (E D C D E E E, as in Févotte, Bertin & Durrieu's IS-NMF demo): each note has
 * inharmonic partials with 1/h amplitudes and Gaussian main lobes, an exponentially decaying envelope
 * (higher partials decay faster), damped when the next note starts, plus a short broadband hammer
 * noise at each onset. Frequencies 0…2 kHz over the bins. Normalised to max 1, floor 1e-6 so that
 * every entry is > 0 (IS-NMF needs it). Ground truth: rank 4 (three pitches and the hammer).
 */
export function spectrogramNMFData(bins: number, frames: number): number[][] {
  const fmax = 2000;
  const hzPerBin = fmax / bins;
  const sigmaHz = Math.max(0.7 * hzPerBin, 4);
  const midi = [64, 62, 60, 62, 64, 64, 64];
  const slot = frames / (midi.length + 1);
  const V = Array.from({ length: bins }, () => new Float64Array(frames));
  const tau0 = Math.max(2, 2.5 * slot);
  midi.forEach((m, i) => {
    const f0 = 440 * 2 ** ((m - 69) / 12);
    const onset = Math.round(0.5 * slot + i * slot);
    const release = i + 1 < midi.length ? Math.round(0.5 * slot + (i + 1) * slot) : frames;
    for (let h = 1; ; h++) {
      const fh = h * f0 * Math.sqrt(1 + 1e-4 * h * h);
      if (fh > fmax + 3 * sigmaHz) break;
      const amp = 1 / h;
      const tau = tau0 / (1 + 0.4 * (h - 1));
      for (let t = onset; t < frames; t++) {
        const dt = t - onset;
        let env = Math.min(1, (dt + 1) / 2) * Math.exp(-dt / tau);
        if (t >= release) env *= Math.exp(-(t - release) / 1.5);
        if (env < 1e-12) break;
        for (let b = 0; b < bins; b++) {
          const df = (b * hzPerBin - fh) / sigmaHz;
          if (Math.abs(df) > 8) continue;
          const a = amp * env * Math.exp(-0.5 * df * df);
          V[b][t] += a * a;
        }
      }
    }
    // hammer: broadband, decays within a couple of frames
    for (let t = onset; t < Math.min(frames, onset + 6); t++) {
      const e = 0.03 * Math.exp(-(t - onset) / 0.8);
      for (let b = 0; b < bins; b++) {
        const a = e / (1 + (b * hzPerBin) / 500);
        V[b][t] += a * a;
      }
    }
  });
  let max = 0;
  for (const row of V) for (const v of row) max = Math.max(max, v);
  return V.map((row) => Array.from(row, (v) => v / max + 1e-6));
}

function rawNMFData(p: NMFProblemConfig, dataSeed: number): number[][] {
  switch (p.data.kind) {
    case 'explicit':
      return p.data.V;
    case 'synthetic':
      return syntheticNMFData(p.data.rows, p.data.cols, p.data.trueRank, p.data.noise, dataSeed);
    case 'spectrogram':
      return spectrogramNMFData(p.data.bins, p.data.frames);
  }
}

/**
 * V for an NMF problem config (seeded with `dataSeed` where random), as every engine uses it.
 * Entries at or below EPSILON (in float32) are what the objective counts as zeros (sklearn's
 * `X > EPSILON` mask), so for β > 0, β ≠ 2 they are zeros here too, and the updates minimise the very
 * objective that is reported (sklearn's updates would see the tiny value). With β ≤ 0 a zero of V
 * makes d_β infinite (sklearn's sum counts −1 or wh^β/β < 0 instead): config validation refuses
 * such explicit V (synthetic and spectrogram data stay above 2·EPSILON), so the lab never runs it.
 */
export function nmfData(p: NMFProblemConfig, dataSeed: number): number[][] {
  const V = rawNMFData(p, dataSeed);
  if (p.beta === 2 || p.beta <= 0) return V;
  const small = (v: number): boolean => !(Math.fround(v) > EPSILON);
  return V.some((r) => r.some(small)) ? V.map((r) => r.map((v) => (small(v) ? 0 : v))) : V;
}

/**
 * scikit-learn's init='random': avg = sqrt(mean(V)/K); H = avg·|N(0,1)| (K×n) drawn first, then
 * W = avg·|N(0,1)| (m×K) — with MM Lab's seeded Rng (so not numpy's numbers).
 */
export function randomNMFInit(V: number[][], rank: number, seed: number): { W0: number[][]; H0: number[][] } {
  const m = V.length;
  const n = V[0].length;
  let sum = 0;
  for (const row of V) for (const v of row) sum += v;
  const avg = Math.sqrt(sum / (m * n) / rank);
  const rng = new Rng(seed);
  const H0 = Array.from({ length: rank }, () => Array.from({ length: n }, () => avg * Math.abs(rng.normal())));
  const W0 = Array.from({ length: m }, () => Array.from({ length: rank }, () => avg * Math.abs(rng.normal())));
  return { W0, H0 };
}

// ---------------------------------------------------------------------------------------------
// Problem

/** The problem's penalty (config `penalty`; none when absent or l1 = 0). */
export function nmfPenalty(p: NMFProblemConfig): NMFPenalty {
  return p.penalty && p.penalty.l1 > 0 ? { l1: p.penalty.l1, normalizeW: p.penalty.normalizeW } : NO_PENALTY;
}

function makeObjective(V: tf.Tensor2D, VT: tf.Tensor2D, mask: tf.Tensor2D, beta: number, rank: number, products: ProductMemo, penalty: NMFPenalty): NMFObjective {
  const withPenalty = (d: tf.Scalar, H: tf.Tensor): tf.Scalar => (penalty.l1 === 0 ? d : (tf.add(d, tf.mul(tf.sum(H), penalty.l1)) as tf.Scalar));
  return {
    kind: 'nmf',
    V,
    VT,
    mask,
    beta,
    rank,
    penalty,
    products,
    // W·H from the step that produced (W, H) when there is one (never under a gradient tape). V's
    // entries are all counted for β ≤ 0 (nmfData), so D_β ≥ 0; rounding below 0 is dropped (NaN kept).
    // The penalty l1·Σ H is added after the clamp (f = D_β + l1·Σ H).
    loss: (p: Params) =>
      tf.tidy(() => {
        if (recording()) return withPenalty(betaDivergence(V, mask, p[0], p[1], beta), p[1]); // (tf.less has no gradient)
        const d = betaDivergence(V, mask, p[0], p[1], beta, products.get(p[0], p[1]));
        return withPenalty(tf.where(tf.less(d, 0), tf.zerosLike(d), d) as tf.Scalar, p[1]);
      }),
  };
}

/** True inside tf.grad & co. (a cached product would cut the tape). */
function recording(): boolean {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state;
  return (state?.gradientDepth ?? 0) > 0;
}

export function buildNMF(p: NMFProblemConfig, seeds: { data: number; init: number; batch: number }): NMFProblem {
  const Vdata = nmfData(p, seeds.data);
  const m = Vdata.length;
  const n = Vdata[0].length;
  const K = p.rank;
  const { W0, H0 } = p.init ?? randomNMFInit(Vdata, K, seeds.init);
  if (W0.length !== m || W0[0].length !== K || H0.length !== K || H0[0].length !== n)
    throw new Error(`NMF init: W0 must be ${m}×${K} and H0 ${K}×${n}`);
  const V = tf.tensor2d(Vdata, [m, n]);
  const mask = tf.tidy(() => tf.cast(tf.greater(V, EPSILON), 'float32')) as tf.Tensor2D;
  const VT = tf.transpose(V);
  const products = new ProductMemo();
  const W0f = Float32Array.from(W0.flat());
  const H0f = Float32Array.from(H0.flat());
  const penalty = nmfPenalty(p);
  const full = makeObjective(V, VT, mask, p.beta, K, products, penalty);
  return {
    kind: 'nmf',
    beta: p.beta,
    rank: K,
    rows: m,
    cols: n,
    full,
    nTrain: n,
    paramNames: ['W', 'H'],
    // Multiplicative updates are full-batch: a "batch" is the whole objective, nothing to free.
    batch: () => ({ ...makeObjective(V, VT, mask, p.beta, K, products, penalty), dispose: () => {} }),
    initialParams: () => [tf.tensor2d(W0f.slice(), [m, K]), tf.tensor2d(H0f.slice(), [K, n])],
    dispose: () => tf.dispose([V, VT, mask]),
  };
}
