/**
 * Böhning–Lindsay MM against known answers:
 *  - scikit-learn's LogisticRegression (binary and multinomial, ridge on weights only) — fixture
 *    tests/fixtures/sklearn-logistic.json from `/usr/bin/python3 tools/sklearn_logistic_fixture.py`,
 *    sklearn's ½‖w‖²/C + Σ loss being our mean loss + (l2/2)‖W‖² with l2 = 1/(C·n);
 *  - least squares (MSE): the bound is the exact Hessian, one step lands on the normal equations' solution;
 *  - softmax with K = 2 and no ridge takes exactly the binary step on the logit difference;
 *  - with hidden layers only the last layer moves and the factor is built once (rebuilt for new data).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildMLP, type LossName } from '../src/core/problems/mlp';
import { Fold, flat, leastSquares, problemFrom, solveDense } from './mm-helpers';

interface SkCase {
  name: string;
  loss: LossName;
  C: number;
  l2: number;
  X: number[][];
  y: number[];
  W: number[][];
  b: number[];
  objective: number;
}
const fixture: { sklearn: string; cases: SkCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/sklearn-logistic.json', import.meta.url), 'utf8'),
);

const centred = (v: number[]) => {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return v.map((x) => x - m);
};

describe('mm-bohning', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: converges to scikit-learn 1.2.1 LogisticRegression', (_n, c) => {
    const [d, K] = [c.X[0].length, c.W[0].length];
    const prob = buildMLP(
      { sizes: [d, K], activation: 'tanh', loss: c.loss, l2: c.l2 },
      { X: c.X, y: c.y },
      { seed: 0, layers: [{ W: c.W.map((r) => r.map(() => 0)), b: c.b.map(() => 0) }] },
    );
    const run = new Fold(prob, 'mm-bohning');
    for (let k = 0; k < 3000; k++) run.step();
    const W = Array.from(run.params[0].dataSync());
    const b = Array.from(run.params[1].dataSync());
    // Multinomial intercepts are defined up to a common constant (unpenalised): compare them centred.
    const [bb, bref] = K > 1 ? [centred(b), centred(c.b)] : [b, c.b];
    const errW = Math.max(...W.map((v, i) => Math.abs(v - c.W.flat()[i])));
    const errB = Math.max(...bb.map((v, i) => Math.abs(v - bref[i])));
    // Measured (3000 steps): coefficient errors 3e-9 … 1e-6, objective within 6e-8 (relative): float32 level.
    expect(errW, 'max |W − W_sklearn|').toBeLessThan(1e-5);
    expect(errB, 'max |b − b_sklearn|').toBeLessThan(1e-5);
    expect(Math.abs(run.loss() - c.objective) / c.objective).toBeLessThan(1e-6);
    run.dispose();
    prob.dispose();
  });

  it('on least squares the bound is the exact Hessian: one step solves the normal equations', () => {
    const l2 = 0.02;
    const prob = problemFrom({ data: { kind: 'dataset', name: 'ripple', n: 80 }, hidden: [], loss: 'mse', l2 }, 9);
    const { Xt, y, n, d } = leastSquares(prob);
    const H = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => (2 / n) * Xt.reduce((s, r) => s + r[i] * r[j], 0) + (i === j && i < d - 1 ? l2 : 0)),
    );
    const c = Array.from({ length: d }, (_, i) => (2 / n) * Xt.reduce((s, r, k) => s + r[i] * y[k], 0));
    const star = solveDense(H, c);
    const run = new Fold(prob, 'mm-bohning');
    run.step();
    flat(run.params).forEach((v, i) => expect(Math.abs(v - star[i])).toBeLessThan(1e-5 * (1 + Math.abs(star[i]))));
    run.dispose();
    prob.dispose();
  });

  it('softmax with two classes and no ridge takes the binary step on the logit difference', () => {
    const prob2 = problemFrom({ data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [], loss: 'bce' }, 3);
    const X = prob2.full.X.arraySync();
    const y = Array.from(prob2.full.Y.dataSync());
    const zeros = (k: number) => [{ W: [new Array(k).fill(0), new Array(k).fill(0)], b: new Array(k).fill(0) }];
    const bin = buildMLP({ sizes: [2, 1], activation: 'tanh', loss: 'bce', l2: 0 }, { X, y }, { seed: 0, layers: zeros(1) });
    const soft = buildMLP({ sizes: [2, 2], activation: 'tanh', loss: 'softmax_ce', l2: 0 }, { X, y }, { seed: 0, layers: zeros(2) });
    const a = new Fold(bin, 'mm-bohning');
    const b = new Fold(soft, 'mm-bohning');
    for (let k = 0; k < 5; k++) {
      a.step();
      b.step();
      const z = bin.predict(a.params, bin.full.X).dataSync();
      const z2 = soft.predict(b.params, soft.full.X).arraySync();
      z2.forEach((r, i) => expect(r[1] - r[0]).toBeCloseTo(z[i], 4));
    }
    [a, b].forEach((r) => r.dispose());
    [prob2, bin, soft].forEach((p) => p.dispose());
  });

  it('with hidden layers it moves the last layer only, factored once; new data gets a new factor', () => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'spiral', n: 96 }, hidden: [6, 5], loss: 'softmax_ce', l2: 1e-3 }, 4);
    const run = new Fold(prob, 'mm-bohning');
    const hidden0 = run.params.slice(0, -2).map((p) => Array.from(p.dataSync()));
    const last0 = flat(run.params.slice(-2));
    let prev = run.loss();
    for (let k = 0; k < 50; k++) {
      run.step();
      expect(run.info.refactored).toBe(false);
      const f = run.loss();
      expect(f).toBeLessThanOrEqual(prev * (1 + 1e-6) + 1e-7);
      expect(run.info.surrogateAtNext as number).toBeGreaterThanOrEqual(f - 1e-6);
      prev = f;
    }
    expect(run.params.slice(0, -2).map((p) => Array.from(p.dataSync()))).toEqual(hidden0);
    expect(flat(run.params.slice(-2))).not.toEqual(last0);
    // A mini-batch is another objective: the bound is rebuilt for its data (and is valid there).
    const batch = prob.batch(Int32Array.from({ length: 32 }, (_, i) => i * 2));
    const out = run.alg.step(batch, run.params, run.state, run.hyper);
    expect(out.info.refactored).toBe(true);
    const fb = tf.tidy(() => batch.loss(out.params).dataSync()[0]);
    expect(fb).toBeLessThanOrEqual((out.info.lossBefore as number) + 1e-6);
    tf.dispose(out.params);
    tf.dispose((out.state as { hidden: tf.Tensor[] }).hidden);
    batch.dispose();
    run.dispose();
    prob.dispose();
  });
});
