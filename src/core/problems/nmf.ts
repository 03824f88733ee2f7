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
import type { NMFPenalty } from '../engine/nmf-ops';
import type { Objective, Params, Problem } from '../types';
import { nmfDivergenceFused } from './nmf-kernels';
import { EPSILON, nmfData, nmfPenalty, randomNMFInit } from './nmf-data';

export { EPS64, EPSILON, nmfData, nmfPenalty, randomNMFInit, spectrogramNMFData, syntheticNMFData } from './nmf-data';

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
// Problem

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
