/**
 * Does a gradient algorithm's implied model majorize f? The lab's teaching point: SGD's model
 * f(θₖ) + ∇f·Δ + ‖Δ‖²/(2·lr) is a majorizer of a quadratic iff lr ≤ 1/L. Probes the step's segment, the
 * top-curvature direction (Hessian power iteration) and random directions.
 */
import * as tf from '@tensorflow/tfjs';
import { tfjsPowerIteration as powerIteration } from './engines/tfjs/adapter';
import { evaluate, linspace, norm, randomDirection, surrogateSlice, type SurrogateSlice } from './surrogate';
import type { AnyAlgorithm, Objective, Params } from './types';

export interface ImpliedModelOptions {
  /** Random lines through θₖ besides the step and the top-curvature direction (default 2). */
  directions?: number;
  /** Power iterations for the top Hessian eigenvector (default 30; 0 skips that direction). */
  powerIterations?: number;
  seed?: number;
  tol?: number;
  points?: number;
}

export interface ImpliedModelCheck {
  /** true when g ≥ f − tol at every probe. */
  majorizes: boolean;
  /** What the algorithm claims (MM: true; gradient family: false). */
  certified: boolean;
  /** min over probes of g − f (negative: the model dips below f). */
  worstGap: number;
  /** Where worstGap was found: 'step', 'curvature' (top Hessian eigenvector) or 'random'. */
  where: 'step' | 'curvature' | 'random';
  /** Largest-magnitude Hessian eigenvalue at θₖ (finite differences), when estimated. */
  curvature?: number;
  /** lr·L when the hyper-parameters have a learning rate and L was estimated (> 1: GD overshoots the bound). */
  lrTimesL?: number;
  message: string;
  slice: SurrogateSlice;
}

/**
 * Whether an algorithm's model majorizes f around θₖ, probed along the step (t ∈ [−0.5, 1.5]), along the
 * top Hessian eigenvector and along seeded random lines (t ∈ [−1.5, 1.5] times the step's norm). On a
 * quadratic, the implied model f(θₖ) + ∇f·Δ + ‖Δ‖²/(2·lr) of gradient descent majorizes f iff lr ≤ 1/L,
 * and the top-eigenvector line is where it fails first.
 */
export function impliedModelCheck(
  obj: Objective,
  alg: AnyAlgorithm,
  params: Params,
  state: tf.TensorContainer,
  hyper: object,
  opts: ImpliedModelOptions = {},
): ImpliedModelCheck {
  const slice = surrogateSlice(obj, alg, params, state, hyper, { tol: opts.tol, points: opts.points });
  const tol = slice.tol;
  let worstGap = Infinity;
  let where: ImpliedModelCheck['where'] = 'step';
  slice.t.forEach((_, i) => {
    const gap = slice.g[i] - slice.f[i];
    if (gap < worstGap) worstGap = gap;
  });
  const lines: { dir: tf.Tensor[]; kind: 'curvature' | 'random' }[] = [];
  let curvature: number | undefined;
  const scale = slice.stepNorm > 0 ? slice.stepNorm : 1e-2 * Math.max(1, norm(params));
  if ((opts.powerIterations ?? 30) > 0) {
    const pi = powerIteration(obj, params, opts.powerIterations ?? 30, opts.seed ?? 1);
    curvature = pi.lambda;
    lines.push({ dir: pi.vector, kind: 'curvature' });
  }
  for (let k = 0; k < (opts.directions ?? 2); k++) {
    const r = randomDirection(params, (opts.seed ?? 1) * 1000 + k, null);
    lines.push({ dir: r, kind: 'random' });
  }
  const model = alg.model(obj, params, state, hyper);
  try {
    for (const { dir, kind } of lines) {
      const dn = norm(dir);
      if (!(dn > 0)) continue;
      for (const t of linspace(-1.5, 1.5, opts.points ?? 31)) {
        if (t === 0) continue;
        const p = tf.tidy(() => params.map((x, i) => tf.add(x, tf.mul(dir[i], (t * scale) / dn))));
        try {
          const v = evaluate(obj, model, p);
          const gap = v.g - v.f;
          if (gap < worstGap) {
            worstGap = gap;
            where = kind;
          }
        } finally {
          tf.dispose(p);
        }
      }
    }
  } finally {
    model.dispose();
    lines.forEach((l) => tf.dispose(l.dir));
  }
  const majorizes = worstGap >= -tol;
  const lr = (hyper as { lr?: unknown }).lr;
  const lrTimesL = typeof lr === 'number' && curvature !== undefined ? lr * curvature : undefined;
  const lrNote = lrTimesL !== undefined ? ` (lr·L ≈ ${lrTimesL.toPrecision(3)}${lrTimesL > 1 ? ': lr > 1/L' : ': lr ≤ 1/L'})` : '';
  const message = majorizes
    ? `the model stays above f on every probe${lrNote}`
    : `not a majorizer: g < f by ${(-worstGap).toPrecision(3)} along the ${where === 'step' ? 'step' : where === 'curvature' ? 'top-curvature direction' : 'random direction'}${lrNote}`;
  return { majorizes, certified: slice.certified, worstGap, where, curvature, lrTimesL, message, slice };
}

