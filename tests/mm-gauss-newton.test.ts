/**
 * Gauss–Newton / prox-linear MM: the hand-written Jacobian products against autodiff, known answers on
 * least squares, the conjugate-gradient path against the direct (Cholesky) path, and the λ rule.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { jacobianGram, jvp, vjp } from '../src/core/engines/tfjs/mlp-ops';
import { Rng } from '../src/core/rng';
import { Fold, flat, leastSquares, problemFrom, solveDense } from './mm-helpers';

const randomLike = (ts: tf.Tensor[], rng: Rng) => ts.map((t) => tf.tensor(Float32Array.from({ length: t.size }, () => rng.normal()), t.shape));
const dotAll = (a: tf.Tensor[], b: tf.Tensor[]) => tf.tidy(() => tf.addN(a.map((x, i) => tf.sum(tf.mul(x, b[i])))).dataSync()[0]);

describe('Jacobian products of the network (J·v forward-mode, Jᵀu by tf.grads, JᵀJ explicit)', () => {
  it.each([
    ['tanh', 'bce', 'moons', [5, 4]],
    ['relu', 'softmax_ce', 'spiral', [6]],
    ['sigmoid', 'softmax_ce', 'gaussians', [3, 3]],
    ['linear', 'bce', 'xor', [4]],
    ['tanh', 'mse', 'ripple', []],
  ] as const)('%s / %s: ⟨u, Jv⟩ = ⟨Jᵀu, v⟩ and vᵀ(JᵀJ)v = ‖Jv‖²', (activation, loss, name, hidden) => {
    const prob = problemFrom({ data: { kind: 'dataset', name, n: 48 }, hidden: [...hidden], activation, loss }, 2);
    const params = prob.initialParams();
    const rng = new Rng(5);
    const before = tf.memory().numTensors;
    for (let trial = 0; trial < 3; trial++) {
      const v = randomLike(params, rng);
      const Jv = jvp(prob.full, params, v);
      const u = tf.tensor2d(Float32Array.from({ length: Jv.size }, () => rng.normal()), Jv.shape as [number, number]);
      const JTu = vjp(prob.full, params, u);
      const lhs = dotAll([u], [Jv]);
      const rhs = dotAll(JTu, v);
      expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(rhs)));
      const { G, P } = jacobianGram(prob.full, params);
      const vf = flat(v);
      let q = 0;
      for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) q += vf[i] * G[i * P + j] * vf[j];
      const jv2 = tf.tidy(() => tf.sum(tf.square(Jv)).dataSync()[0]);
      expect(Math.abs(q - jv2)).toBeLessThanOrEqual(1e-4 * (1 + jv2));
      tf.dispose([...v, Jv, u, ...JTu]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(params);
    prob.dispose();
  });
});

describe('mm-gauss-newton', () => {
  it('on least squares with a tiny λ one step is Newton: it lands on the normal equations’ solution', () => {
    const l2 = 0.05;
    const prob = problemFrom({ data: { kind: 'dataset', name: 'sine', n: 64 }, hidden: [], loss: 'mse', l2 }, 8);
    const { Xt, y, n, d } = leastSquares(prob);
    const H = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => (2 / n) * Xt.reduce((s, r) => s + r[i] * r[j], 0) + (i === j && i < d - 1 ? l2 : 0)),
    );
    const star = solveDense(
      H,
      Array.from({ length: d }, (_, i) => (2 / n) * Xt.reduce((s, r, k) => s + r[i] * y[k], 0)),
    );
    const run = new Fold(prob, 'mm-gauss-newton', { lambda0: 1e-9 });
    run.step();
    expect(run.info.accepted).toBe(true);
    expect(run.info.tries).toBe(0);
    flat(run.params).forEach((v, i) => expect(Math.abs(v - star[i])).toBeLessThan(1e-5 * (1 + Math.abs(star[i]))));
    run.dispose();
    prob.dispose();
  });

  it('λ ← λ/3 after an accepted step, λ ← 10λ after a refused one', () => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [6], loss: 'bce' }, 3);
    const run = new Fold(prob, 'mm-gauss-newton', { lambda0: 1e-6 });
    let refusals = 0;
    for (let k = 0; k < 40; k++) {
      const lambdaStart = (run.state as { lambda: number }).lambda;
      run.step();
      const { lambda, tries, accepted } = run.info as { lambda: number; tries: number; accepted: boolean };
      expect(accepted).toBe(true);
      expect(lambda / lambdaStart).toBeCloseTo(10 ** tries, 6);
      refusals += tries;
      const next = (run.state as { lambda: number }).lambda;
      expect([lambda / 3, lambda]).toContainEqual(next); // kept only when the decrease was below float32 rounding
    }
    // Starting from λ = 1e-6 on a network, the linearisation is too optimistic at first: refusals happen.
    expect(refusals).toBeGreaterThan(0);
    run.dispose();
    prob.dispose();
  });

  it('conjugate gradients (matrix-free) follow the direct Cholesky path', () => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'gaussians', n: 64 }, hidden: [4], loss: 'softmax_ce', l2: 1e-3 }, 6);
    const direct = new Fold(prob, 'mm-gauss-newton');
    const cg = new Fold(prob, 'mm-gauss-newton', { maxDirect: 0, cgIterations: 200, cgTolerance: 1e-9 });
    for (let k = 0; k < 15; k++) {
      direct.step();
      cg.step();
      expect(direct.info.direct).toBe(true);
      expect(cg.info.direct).toBe(false);
      expect(cg.info.cgIterations as number).toBeGreaterThan(0);
      expect(cg.loss()).toBeCloseTo(direct.loss(), 5);
    }
    direct.dispose();
    cg.dispose();
    prob.dispose();
  });
});
