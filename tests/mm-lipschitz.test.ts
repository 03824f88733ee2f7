/**
 * Lipschitz-quadratic MM against known answers on a convex quadratic: an MLP with no hidden layer and
 * MSE is least squares, f(θ) = (1/n)‖X̃θ − y‖² + (l2/2)‖w‖², ∇²f = H = (2/n)X̃ᵀX̃ + l2·D (constant).
 * With the exact L = λ_max(H) and decrease = 1 every step accepts L at once, so the iterates are gradient
 * descent with step 1/L: θₖ = θ* + (I − H/L)ᵏ(θ₀ − θ*), computed here in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Fold, flat, lambdaMax, leastSquares, lossNum, problemFrom, solveDense } from './mm-helpers';

function quadratic(l2: number) {
  const prob = problemFrom({ data: { kind: 'dataset', name: 'ripple', n: 96, noise: 0.05 }, hidden: [], loss: 'mse', l2 }, 4);
  const { Xt, y, n, d } = leastSquares(prob);
  const H = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => (2 / n) * Xt.reduce((s, r) => s + r[i] * r[j], 0) + (i === j && i < d - 1 ? l2 : 0)),
  );
  const c = Array.from({ length: d }, (_, i) => (2 / n) * Xt.reduce((s, r, k) => s + r[i] * y[k], 0));
  const thetaStar = solveDense(H, c);
  const fOf = (th: number[]) =>
    Xt.reduce((s, r, k) => s + (r.reduce((a, x, j) => a + x * th[j], 0) - y[k]) ** 2, 0) / n +
    (l2 / 2) * th.slice(0, d - 1).reduce((s, w) => s + w * w, 0);
  return { prob, H, c, thetaStar, L: lambdaMax(H), fOf, d };
}

describe('mm-lipschitz on least squares (known answers)', () => {
  it('with the exact L it is gradient descent with step 1/L: θₖ = θ* + (I − H/L)ᵏ(θ₀ − θ*)', () => {
    const q = quadratic(0.01);
    const run = new Fold(q.prob, 'mm-lipschitz', { L0: q.L, decrease: 1 });
    let ref = flat(run.params);
    const theta0 = ref.slice();
    for (let k = 1; k <= 200; k++) {
      run.step();
      expect(run.info.accepted).toBe(true);
      expect(run.info.backtracks).toBe(0);
      expect(run.info.L).toBe(q.L);
      const grad = q.H.map((row, i) => row.reduce((s, h, j) => s + h * ref[j], 0) - q.c[i]);
      ref = ref.map((v, i) => v - grad[i] / q.L);
      if ([1, 5, 50, 200].includes(k)) {
        const got = flat(run.params);
        got.forEach((v, i) => expect(Math.abs(v - ref[i]), `step ${k}, θ[${i}]`).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(ref[i]))));
      }
    }
    // The classic O(1/k) guarantee of GD with 1/L, and convergence to the normal equations' solution.
    const fStar = q.fOf(q.thetaStar);
    const dist0 = theta0.reduce((s, v, i) => s + (v - q.thetaStar[i]) ** 2, 0);
    expect(run.loss() - fStar).toBeLessThanOrEqual((q.L * dist0) / (2 * 200) + 1e-6);
    flat(run.params).forEach((v, i) => expect(v).toBeCloseTo(q.thetaStar[i], 4));
    run.dispose();
    q.prob.dispose();
  });

  it('with L ≥ λ_max(H) the surrogate majorizes f everywhere (random probes)', () => {
    const q = quadratic(0);
    const run = new Fold(q.prob, 'mm-lipschitz', { L0: q.L, decrease: 1 });
    run.step();
    const model = run.alg.model(q.prob.full, run.params, run.state, run.hyper);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (let j = 0; j < 30; j++) {
      const p = tf.tidy(() => run.params.map((x) => tf.add(x, tf.mul(tf.tensor(Array.from({ length: x.size }, rand), x.shape), 3 * rand()))));
      expect(model.value(p)).toBeGreaterThanOrEqual(lossNum(q.prob, p) - 1e-5 * (1 + lossNum(q.prob, p)));
      tf.dispose(p);
    }
    model.dispose();
    run.dispose();
    q.prob.dispose();
  });

  it('the power-iteration seed is λ_max(H) on a quadratic', () => {
    const q = quadratic(0.01);
    const run = new Fold(q.prob, 'mm-lipschitz', { powerIterations: 60 });
    const L = (run.state as { L: number }).L;
    expect(Math.abs(L - q.L) / q.L).toBeLessThan(1e-3);
    run.dispose();
    q.prob.dispose();
  });

  it('adaptive backtracking (default hyper-parameters) converges to θ* monotonically', () => {
    const q = quadratic(0.01);
    const run = new Fold(q.prob, 'mm-lipschitz');
    let prev = run.loss();
    let maxBacktracks = 0;
    for (let k = 0; k < 400; k++) {
      run.step();
      const f = run.loss();
      expect(f).toBeLessThanOrEqual(prev * (1 + 1e-6) + 1e-9);
      expect(run.info.lossAfter).toBe(f);
      maxBacktracks = Math.max(maxBacktracks, run.info.backtracks as number);
      prev = f;
    }
    // Starting from L_{k−1}/2 costs at most a few doublings per step once L has been found.
    expect(maxBacktracks).toBeLessThanOrEqual(10);
    // Backtracking never needs more than 2·λ_max (the bound holds for every L ≥ λ_max).
    expect((run.state as { L: number }).L).toBeLessThanOrEqual(2 * q.L * (1 + 1e-6));
    flat(run.params).forEach((v, i) => expect(v).toBeCloseTo(q.thetaStar[i], 4));
    run.dispose();
    q.prob.dispose();
  });
});
