/**
 * The gradient family against torch.optim (PyTorch 1.13, float64) and against closed forms.
 * Fixture: tests/fixtures/torch-optim.json, written by `/usr/bin/python3 tools/torch_optim_fixtures.py`.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { getTfjsAlgorithm as getAlgorithm } from '../src/core/engines/tfjs/algorithms';
import { loadExperiment, parseHyper } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { buildMLP, type MLPProblem } from '../src/core/problems/mlp';
import { ops, paramsOf, tfjsRun } from './tfjs-run';
import type { Params } from '../src/core/types';

interface FixtureCase {
  name: string;
  torch: string;
  config: unknown;
  losses: number[];
  /** Max relative deviation of torch's float32 run from this float64 trajectory over the window. */
  float32Drift: number;
}
const fixture: { torch: string; cases: FixtureCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/torch-optim.json', import.meta.url), 'utf8'),
);

/**
 * tfjs computes in float32, torch's reference in float64, so only the first 50 steps are compared, at
 * 1e-4 relative error: float32 rounding compounds along a trajectory, and where the adaptive
 * denominators amplify it (a coordinate whose gradient hovers near 0) it can reach ~1e-3…1e-2 later.
 * The generator keeps only cases where torch's own float32 run tracks its float64 run to 1e-5 over
 * this window (`float32Drift`), so the comparison tests the update rules, not rounding luck; observed
 * errors are ~1e-7…1e-6.
 */
const WINDOW = 50;
const TOL = 1e-4;

const values = (ps: Params): number[][] => ps.map((p) => Array.from(p.dataSync()));

describe('torch.optim reference trajectories', () => {
  it('the fixture covers every gradient optimizer', () => {
    const algs = new Set(fixture.cases.map((c) => (c.config as { runs: { algorithm: string }[] }).runs[0].algorithm));
    expect([...algs].sort()).toEqual(['adagrad', 'adam', 'adamw', 'rmsprop', 'sgd']);
    expect(fixture.cases.length).toBeGreaterThanOrEqual(19);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s matches torch', (_name, c) => {
    const config = loadExperiment(c.config);
    const [run] = runExperiment(config, { recordTest: false }).runs;
    expect(run.status, run.message).toBe('done');
    expect(run.losses.length).toBe(c.losses.length);
    let worst = 0;
    let at = 0;
    for (let k = 0; k <= WINDOW; k++) {
      const err = Math.abs(run.losses[k] - c.losses[k]) / Math.abs(c.losses[k]);
      if (err > worst) [worst, at] = [err, k];
    }
    // The whole trajectory must move: a case that stalls would prove little.
    expect(c.losses[WINDOW] / c.losses[0]).toBeLessThan(0.75);
    expect(
      worst,
      `${c.name} (${c.torch}): max relative error ${worst.toExponential(2)} at step ${at} (torch float32 drift ${c.float32Drift})`,
    ).toBeLessThanOrEqual(TOL);
  });
});

/** f(W, b) = mean((Xw + b − y)²): an MLP with no hidden layer and MSE is a least-squares quadratic. */
function leastSquares() {
  const X = [[1, 0.5], [0.2, -1], [-0.7, 0.3], [1.5, 1.1], [-0.4, -0.9], [0.3, 0.8]];
  const y = [1, -0.5, 0.2, 2, -1, 0.7];
  const w0 = [[0.3], [-0.2]];
  const b0 = [0.1];
  const problem = buildMLP(
    { sizes: [2, 1], activation: 'linear', loss: 'mse', l2: 0 },
    { X, y },
    { seed: 0, layers: [{ W: w0, b: b0 }] },
  );
  return { X, y, theta0: [w0[0][0], w0[1][0], b0[0]], problem };
}

type Mat = number[][];
const matMul = (a: Mat, b: Mat): Mat => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const matVec = (a: Mat, v: number[]): number[] => a.map((r) => r.reduce((s, x, k) => s + x * v[k], 0));
function solve(a: Mat, b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    const piv = m.reduce((best, _, r) => (r >= c && Math.abs(m[r][c]) > Math.abs(m[best][c]) ? r : best), c);
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((r, i) => r[n] / r[i]);
}

describe('known answers', () => {
  it('plain SGD on a quadratic follows θₖ = θ* + (I − lr·H)ᵏ(θ₀ − θ*)', () => {
    const { X, y, theta0, problem } = leastSquares();
    const n = X.length;
    const A = X.map((r) => [...r, 1]);
    const AtA = matMul(A[0].map((_, i) => A.map((r) => r[i])), A);
    const Aty = A[0].map((_, i) => A.reduce((s, r, k) => s + r[i] * y[k], 0));
    const H = AtA.map((r) => r.map((v) => (2 / n) * v)); // ∇²f of mean((Aθ − y)²)
    const thetaStar = solve(AtA, Aty);
    const lr = 0.3;
    const M = H.map((r, i) => r.map((v, j) => (i === j ? 1 : 0) - lr * v));
    const run = tfjsRun('sgd', 'sgd', sgdHyper({ lr }), problem);
    const f = ops(problem.full, run);
    let Mk: Mat = M.map((r, i) => r.map((_, j) => (i === j ? 1 : 0)));
    const d0 = theta0.map((v, i) => v - thetaStar[i]);
    for (let k = 1; k <= 40; k++) {
      run.step(f);
      Mk = matMul(Mk, M);
      if (k % 10 !== 0 && k > 3) continue;
      const expected = matVec(Mk, d0).map((v, i) => v + thetaStar[i]);
      const [W, b] = values(paramsOf(run));
      const got = [W[0], W[1], b[0]];
      got.forEach((v, i) => expect(v, `θ_${k}[${i}]`).toBeCloseTo(expected[i], 5));
    }
    // and it does converge towards θ*: after 40 steps far closer than at the start
    const [W, b] = values(paramsOf(run));
    const dist = Math.hypot(W[0] - thetaStar[0], W[1] - thetaStar[1], b[0] - thetaStar[2]);
    expect(dist).toBeLessThan(0.05 * Math.hypot(...d0));
    run.dispose();
    problem.dispose();
  });

  it("Adam's first step moves every coordinate by lr·sign(g); AdamW's shrinks θ by lr·wd first", () => {
    const problem = smallMLP();
    const obj = problem.full;
    const theta = problem.initialParams();
    const g = tf.tidy(() => tf.grads((...p: tf.Tensor[]) => obj.loss(p))(theta));
    const gv = values(g);
    const t0 = values(theta);
    const lr = 0.01;
    for (const [id, wd] of [['adam', 0], ['adamw', 0.1]] as const) {
      const alg = getAlgorithm(id);
      const h = parseOk(id, { lr, weight_decay: wd });
      const state = alg.init(theta, h, obj);
      const out = alg.step(obj, theta, state, h);
      const t1 = values(out.params);
      t1.forEach((p, i) =>
        p.forEach((v, j) => {
          const expected = t0[i][j] * (1 - lr * wd) - lr * Math.sign(gv[i][j]);
          expect(Math.abs(gv[i][j])).toBeGreaterThan(1e-5); // eps is negligible against |g|
          expect(v - expected, `${id} θ[${i}][${j}]`).toBeCloseTo(0, 6);
        }),
      );
      tf.dispose([out.params, out.state, state]);
    }
    tf.dispose([theta, g]);
    problem.dispose();
  });

  it('the implied model is minimised at the (momentum-free) next step', () => {
    const problem = smallMLP();
    const obj = problem.full;
    const cases: [string, Record<string, unknown>][] = [
      ['sgd', { lr: 0.1 }],
      ['adam', { lr: 0.01, weight_decay: 0.01 }],
      ['adam', { lr: 0.01, amsgrad: true }],
      ['adamw', { lr: 0.01, weight_decay: 0.5 }],
      ['rmsprop', { lr: 0.01, weight_decay: 0.01 }],
      ['rmsprop', { lr: 0.01, centered: true }],
      ['adagrad', { lr: 0.1, lr_decay: 0.1, initial_accumulator_value: 0.1 }],
    ];
    for (const [id, raw] of cases) {
      const alg = getAlgorithm(id);
      const h = parseOk(id, raw);
      let params = problem.initialParams();
      let state = alg.init(params, h, obj);
      // Adam's m̂ equals g only at the first step; RMSprop/Adagrad/SGD minimisers are the next step always.
      const checkAt = id === 'adam' || id === 'adamw' ? [0] : [0, 3];
      for (let k = 0; k <= 3; k++) {
        const model = alg.model(obj, params, state, h);
        const out = alg.step(obj, params, state, h);
        expect(model.certified).toBe(false);
        const f0 = obj.loss(params);
        expect(model.value(params)).toBeCloseTo(f0.dataSync()[0], 6);
        f0.dispose();
        if (checkAt.includes(k)) {
          const a = values(model.minimiser!);
          const b = values(out.params);
          a.forEach((p, i) => p.forEach((v, j) => expect(v - b[i][j], `${id} ${JSON.stringify(raw)} step ${k}`).toBeCloseTo(0, 6)));
          expect(model.value(model.minimiser!)).toBeLessThan(model.value(params));
        }
        model.dispose();
        tf.dispose([params, state]);
        params = out.params;
        state = out.state;
      }
      tf.dispose([params, state]);
    }
    problem.dispose();
  });
});

function smallMLP(): MLPProblem {
  const X = Array.from({ length: 16 }, (_, i) => [Math.cos(i * 0.7) + 0.1 * i, Math.sin(i * 1.3)]);
  const y = X.map((x) => (x[0] * x[1] > 0 ? 1 : 0));
  return buildMLP(
    { sizes: [2, 4, 1], activation: 'tanh', loss: 'bce', l2: 0 },
    { X, y },
    {
      seed: 0,
      layers: [
        { W: [[0.5, -0.3, 0.8, 0.1], [-0.6, 0.4, 0.2, -0.9]], b: [0.1, -0.1, 0.05, 0.2] },
        { W: [[0.7], [-0.5], [0.3], [0.9]], b: [-0.05] },
      ],
    },
  );
}

function parseOk(id: string, hyper: unknown): Record<string, unknown> {
  const r = parseHyper(id, hyper, 'mlp', ['runs', 0]);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.hyper;
}
const sgdHyper = (h: Record<string, unknown>) => parseOk('sgd', h);

describe('hyper-parameters', () => {
  it("fill torch's defaults", () => {
    expect(parseOk('sgd', {})).toEqual({ lr: 0.01, momentum: 0, dampening: 0, nesterov: false, weight_decay: 0 });
    expect(parseOk('adam', {})).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false });
    expect(parseOk('adamw', {})).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-2, amsgrad: false });
    expect(parseOk('rmsprop', {})).toEqual({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false });
    expect(parseOk('adagrad', {})).toEqual({ lr: 1e-2, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10 });
    for (const id of ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']) {
      const a = ALGORITHMS[id];
      expect(a.family).toBe('gradient');
      // MLPs, and the 2-D test functions (gradient methods need only f and ∇f).
      expect(a.problems).toEqual(['mlp', 'function']);
      expect(a.summary.length).toBeGreaterThan(20);
      expect(a.formula).toContain('\\theta');
    }
  });

  it.each([
    ['sgd', { lr: -0.1 }, 'runs[0].hyper.lr: lr must be > 0'],
    ['adam', { lr: 0 }, 'runs[0].hyper.lr: lr must be > 0'],
    ['adam', { betas: [0.9, 1] }, 'runs[0].hyper.betas[1]: betas[1] must be in [0, 1)'],
    ['adamw', { betas: [-0.1, 0.999] }, 'runs[0].hyper.betas[0]: betas[0] must be in [0, 1)'],
    ['adam', { eps: 0 }, 'runs[0].hyper.eps: eps must be > 0'],
    ['sgd', { nesterov: true }, 'runs[0].hyper.nesterov: Nesterov momentum requires momentum > 0'],
    ['sgd', { nesterov: true, momentum: 0.9, dampening: 0.1 }, 'runs[0].hyper.nesterov: Nesterov momentum requires'],
    ['rmsprop', { alpha: 1 }, 'runs[0].hyper.alpha: alpha must be in [0, 1)'],
    ['rmsprop', { momentum: -0.5 }, 'runs[0].hyper.momentum: momentum must be in [0, 1)'],
    ['adagrad', { lr_decay: -1 }, 'runs[0].hyper.lr_decay: lr_decay must be ≥ 0'],
    ['adagrad', { initial_accumulator_value: -1 }, 'runs[0].hyper.initial_accumulator_value: initial_accumulator_value must be ≥ 0'],
    ['adagrad', { weight_decay: -1 }, 'runs[0].hyper.weight_decay: weight_decay must be ≥ 0'],
  ])('%s %j is refused with a message naming the field', (id, hyper, message) => {
    const r = parseHyper(id, hyper, 'mlp', ['runs', 0]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(message);
  });

  it('unknown hyper-parameters are refused (strict schemas)', () => {
    for (const id of ['adam', 'adamw', 'rmsprop', 'adagrad']) {
      const r = parseHyper(id, { lr: 0.01, learning_rate: 0.1 }, 'mlp', ['runs', 0]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.join('\n')).toContain('learning_rate');
    }
  });
});

describe('tensor hygiene', () => {
  it('5,000 Adam steps keep tf.memory().numTensors constant', () => {
    const problem = smallMLP();
    const run = tfjsRun('adam', 'adam', parseOk('adam', { lr: 0.01, amsgrad: true }), problem);
    const f = ops(problem.full, run);
    run.step(f);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 5000; k++) run.step(f);
    expect(run.status, run.message).toBe('running');
    expect(tf.memory().numTensors).toBe(before);
    run.dispose();
    problem.dispose();
  });

  it('every optimizer steps and models leak-free, without mutating or disposing its inputs', () => {
    const problem = smallMLP();
    const obj = problem.full;
    const cases: [string, Record<string, unknown>][] = [
      ['sgd', { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 }],
      ['adam', { lr: 0.01, amsgrad: true, weight_decay: 0.01 }],
      ['adamw', { lr: 0.01, amsgrad: true }],
      ['rmsprop', { lr: 0.01, momentum: 0.5, centered: true, weight_decay: 0.01 }],
      ['adagrad', { lr: 0.1, lr_decay: 0.01, weight_decay: 0.01, initial_accumulator_value: 0.1 }],
    ];
    for (const [id, raw] of cases) {
      const alg = getAlgorithm(id);
      const h = parseOk(id, raw);
      const params = problem.initialParams();
      const state = alg.init(params, h, obj);
      const first = alg.step(obj, params, state, h);
      const p0 = values(first.params);
      const s0 = JSON.stringify(snapshot(first.state));
      const before = tf.memory().numTensors;
      for (let k = 0; k < 20; k++) {
        const out = alg.step(obj, first.params, first.state, h);
        tf.dispose([out.params, out.state]);
        alg.model(obj, first.params, first.state, h).dispose();
      }
      expect(tf.memory().numTensors, id).toBe(before);
      expect(values(first.params), `${id} params unchanged`).toEqual(p0);
      expect(JSON.stringify(snapshot(first.state)), `${id} state unchanged`).toBe(s0);
      tf.dispose([params, state, first.params, first.state]);
    }
    problem.dispose();
  });
});

/** Plain-number copy of a state container (throws if a tensor in it was disposed). */
function snapshot(x: unknown): unknown {
  if (x instanceof tf.Tensor) return Array.from(x.dataSync());
  if (Array.isArray(x)) return x.map(snapshot);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, snapshot(v)]));
  return x;
}
