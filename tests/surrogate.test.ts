/**
 * The chart helpers (surrogateSlice, surrogatePlane, impliedModelCheck) and the teaching point they
 * carry: gradient descent's implied model f(θₖ) + ∇f·Δ + ‖Δ‖²/(2·lr) majorizes a quadratic f iff
 * lr ≤ 1/L; MM surrogates majorize where they are certified.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { impliedModelCheck } from '../src/core/implied-model';
import { surrogatePlane, surrogateSlice } from '../src/core/surrogate';
import { Fold, MM_IDS, lambdaMax, leastSquares, problemFrom } from './mm-helpers';

function quadratic() {
  const prob = problemFrom({ data: { kind: 'dataset', name: 'sine', n: 64 }, hidden: [], loss: 'mse' }, 2);
  const { Xt, n, d } = leastSquares(prob);
  const H = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (2 / n) * Xt.reduce((s, r) => s + r[i] * r[j], 0)));
  return { prob, L: lambdaMax(H) };
}

describe('the implied model of SGD (iv)', () => {
  it('is flagged "not a majorizer" when lr > 1/L and is a majorizer when lr < 1/L', () => {
    const { prob, L } = quadratic();
    const before = tf.memory().numTensors;
    for (const [c, majorizes] of [[0.5, true], [0.95, true], [1.1, false], [1.5, false]] as const) {
      const run = new Fold(prob, 'sgd', { lr: c / L });
      const r = impliedModelCheck(prob.full, run.alg, run.params, run.state, run.hyper);
      expect(r.majorizes, `lr = ${c}/L: ${r.message}`).toBe(majorizes);
      expect(r.certified).toBe(false);
      expect(r.lrTimesL!).toBeCloseTo(c, 2);
      if (majorizes) {
        expect(r.message).toMatch(/lr ≤ 1\/L/);
        expect(r.slice.violations).toEqual([]);
      } else {
        expect(r.message).toMatch(/^not a majorizer: .* \(lr·L ≈ [\d.]+: lr > 1\/L\)$/);
        expect(r.where).toBe('curvature'); // on a quadratic the top eigenvector fails first
      }
      run.dispose();
    }
    // Far beyond 1/L even the step's own segment shows g < f (every direction has curvature > 1/lr).
    const run = new Fold(prob, 'sgd', { lr: 4 / L });
    const slice = surrogateSlice(prob.full, run.alg, run.params, run.state, run.hyper);
    expect(slice.certified).toBe(false);
    expect(slice.violations.length).toBeGreaterThan(0);
    expect(slice.fNext).toBeGreaterThan(slice.gNext);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    prob.dispose();
  });
});

describe('surrogateSlice / surrogatePlane for MM algorithms', () => {
  it.each(MM_IDS)('%s: g(θₖ) = f(θₖ), f(θₖ₊₁) ≤ g(θₖ₊₁), certified, leak-free', (id) => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'gaussians', n: 64 }, hidden: [4], loss: 'softmax_ce', l2: 1e-3 }, 5);
    const run = new Fold(prob, id);
    for (let k = 0; k < 3; k++) run.step();
    const before = tf.memory().numTensors;
    const s = surrogateSlice(prob.full, run.alg, run.params, run.state, run.hyper, { points: 9 });
    expect(s.t).toEqual([-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    expect(s.f).toHaveLength(9);
    expect(s.certified).toBe(true);
    expect(s.formula.length).toBeGreaterThan(10);
    expect(Math.abs(s.gCurrent - s.fCurrent)).toBeLessThan(1e-6);
    expect(s.fCurrent).toBe(run.loss());
    expect(s.fNext).toBeLessThanOrEqual(s.gNext + s.tol);
    expect(s.gNext).toBeLessThanOrEqual(s.gCurrent + s.tol);
    expect(s.stepNorm).toBeGreaterThan(0);
    // Between θₖ and θₖ₊₁ g stays above f wherever the bound is global (Böhning here); the
    // accepted-point certificates (Lipschitz, layer-wise, Gauss–Newton on a network) promise t = 1 only.
    if (id === 'mm-bohning')
      s.t.forEach((t, i) => {
        if (t >= 0 && t <= 1) expect(s.g[i], `t = ${t}`).toBeGreaterThanOrEqual(s.f[i] - s.tol);
      });
    const p = surrogatePlane(prob.full, run.alg, run.params, run.state, run.hyper, { points: 5, seed: 3 });
    expect(p.a).toEqual([-0.5, 0, 0.5, 1, 1.5]);
    expect(p.b).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(p.f.map((r) => r.length)).toEqual([5, 5, 5, 5, 5]);
    expect(p.f[2][1]).toBe(s.fCurrent);
    expect(p.f[2][3]).toBeCloseTo(s.fNext, 6);
    expect(p.scale).toBeCloseTo(s.stepNorm, 5);
    // Block surrogates get a second direction inside their block: g is finite on the whole plane.
    expect(p.g.flat().every(Number.isFinite)).toBe(true);
    if (id === 'mm-bohning') {
      expect(s.violations).toEqual([]);
      expect(p.violations).toBe(0); // a global bound in the last layer
    }
    expect(tf.memory().numTensors).toBe(before);
    run.dispose();
    prob.dispose();
  });

  it('the layer-wise slice follows its first block (the surrogate’s path), not the whole sweep', () => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [4], loss: 'bce' }, 5);
    const run = new Fold(prob, 'mm-layerwise');
    run.step();
    const s = surrogateSlice(prob.full, run.alg, run.params, run.state, run.hyper, { points: 5 });
    run.step();
    // The sweep moves both layers and goes further down than its first block alone.
    expect(run.loss()).toBeLessThan(s.fNext);
    expect(s.fNext).toBeLessThan(s.fCurrent);
    run.dispose();
    prob.dispose();
  });

  it('a backtracked Lipschitz surrogate is certified at the accepted point, not in every direction', () => {
    // Logistic regression: the backtracked L bounds the curvature along −∇f; along the Hessian's top
    // eigenvector it can be too small. The MM invariant holds (the slice), a global bound need not.
    const prob = problemFrom({ data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [], loss: 'bce' }, 1);
    const run = new Fold(prob, 'mm-lipschitz');
    let flagged = 0;
    for (let k = 0; k < 8; k++) {
      run.step();
      const r = impliedModelCheck(prob.full, run.alg, run.params, run.state, run.hyper, { directions: 0 });
      expect(r.certified).toBe(true);
      expect(r.slice.fNext).toBeLessThanOrEqual(r.slice.gNext + r.slice.tol);
      if (!r.majorizes) flagged++;
    }
    expect(flagged).toBeGreaterThan(0);
    run.dispose();
    prob.dispose();
  });
});

describe('how far each certificate reaches', () => {
  it('Böhning and Gauss–Newton on a linear model are global; backtracked bounds are certified at the step; gradient models are not', () => {
    const logistic = problemFrom({ data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [], l2: 1e-3 }, 3);
    const net = problemFrom({ data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [4] }, 3);
    const expected: [typeof logistic, string, string][] = [
      [logistic, 'mm-bohning', 'global'],
      [logistic, 'mm-gauss-newton', 'global'],
      [net, 'mm-gauss-newton', 'step'],
      [net, 'mm-lipschitz', 'step'],
      [net, 'mm-layerwise', 'step'],
      [net, 'adam', 'none'],
      [net, 'sgd', 'none'],
    ];
    for (const [prob, id, certificate] of expected) {
      const run = new Fold(prob, id);
      const slice = surrogateSlice(prob.full, run.alg, run.params, run.state, run.hyper, { points: 9 });
      expect(slice.certificate, id).toBe(certificate);
      // Every certificate holds where it is claimed: at θₖ and at the step's point.
      if (certificate !== 'none') {
        expect(slice.gCurrent).toBeCloseTo(slice.fCurrent, 5);
        expect(slice.gNext).toBeGreaterThanOrEqual(slice.fNext - 1e-5 * Math.max(1, Math.abs(slice.fCurrent)));
      }
      if (certificate === 'global') expect(slice.violations).toEqual([]);
      run.dispose();
    }
    logistic.dispose();
    net.dispose();
  });
});
