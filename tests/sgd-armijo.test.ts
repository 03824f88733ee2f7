/**
 * sgd-armijo (SLS, Vaswani et al. 2019) against a port of the authors' `sls` package (fixture:
 * tests/fixtures/sls-agd.json, written by `/usr/bin/python3 tools/sls_agd_fixture.py`), and its
 * invariants: the Armijo condition at every accepted step on the step's own mini-batch, the reset and
 * cap rules, the surrogate (certified exactly when the decrease reaches η‖∇f‖²/2), switches.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getAlgorithm } from '../src/core/algorithms/registry';
import { sgdArmijoHyper } from '../src/core/algorithms/sgd-armijo';
import { loadExperiment, type ExperimentConfig } from '../src/core/config';
import { CpuMLPProblem } from '../src/core/engines/cpu/mlp-problem';
import { Experiment as TfjsExperiment } from '../src/core/experiment';
import type { Experiment } from '../src/core/fold/experiment';
import { FusedExperiment, runFusedExperiment } from '../src/core/fused';
import { surrogateSlice } from '../src/core/views/surrogate';

interface FixtureCase {
  name: string;
  config: unknown;
  losses: number[];
  etas: number[];
  backtracks?: number[];
}
const fixture: { cases: FixtureCase[] } = JSON.parse(readFileSync(new URL('./fixtures/sls-agd.json', import.meta.url), 'utf8'));
const slsCases = fixture.cases.filter((c) => (c.config as { runs: { algorithm: string }[] }).runs[0].algorithm === 'sgd-armijo');

/** f(θ₀), f(θ₁), … and each step's info, stepping run 0 of an experiment. */
function trajectory(exp: Experiment, steps: number): { losses: number[]; infos: Record<string, unknown>[] } {
  exp.evaluateAll({ withTest: false });
  const run = exp.runs[0];
  const losses = [run.lastLoss];
  const infos: Record<string, unknown>[] = [];
  for (let k = 0; k < steps; k++) {
    exp.step({ withTest: false });
    losses.push(run.lastLoss);
    infos.push({ ...run.lastInfo });
  }
  return { losses, infos };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('sgd-armijo against the sls package (port in tools/sls_agd_fixture.py)', () => {
  it('the fixture has the SLS cases', () => expect(slsCases.length).toBeGreaterThanOrEqual(3));

  // Every case on the cpu engine, one on tfjs's cpu backend (the same algorithm code; tfjs is slow here).
  const engines = [
    ['cpu', (c: ExperimentConfig) => new FusedExperiment(c)],
    ['tfjs', (c: ExperimentConfig) => new TfjsExperiment(c)],
  ] as const;
  it.each(slsCases.flatMap((c, i) => engines.filter(([e]) => e === 'cpu' || i === 0).map(([e, make]) => [c.name, e, c, make] as const)))('%s (%s engine): losses, step sizes, backtracks', (_n, _e, c, make) => {
    const config = loadExperiment(c.config);
    const exp = make(config);
    const { losses, infos } = trajectory(exp, c.etas.length);
    exp.dispose();
    expect(c.losses.at(-1)! / c.losses[0]).toBeLessThan(0.5); // the case moves
    losses.forEach((f, k) => expect(rel(f, c.losses[k]), `f at step ${k}`).toBeLessThanOrEqual(2e-5));
    infos.forEach((info, k) => {
      expect(rel(info.eta as number, c.etas[k]), `η at step ${k + 1}`).toBeLessThanOrEqual(1e-6);
      expect(info.backtracks, `backtracks at step ${k + 1}`).toBe(c.backtracks![k]);
      expect(info.accepted).toBe(true);
    });
  });
});

describe('sgd-armijo invariants', () => {
  const miniBatch = loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 200 }, hidden: [8], activation: 'tanh', loss: 'bce', batchSize: 20 },
    runs: [{ algorithm: 'sgd-armijo', hyper: { n_batches_per_epoch: 8, init_step_size: 5 } }],
    steps: 60,
  });

  it('the Armijo condition holds on the step’s own mini-batch at every accepted step; η ≤ η_max', () => {
    const problem = CpuMLPProblem.build(miniBatch);
    const alg = getAlgorithm('sgd-armijo');
    const h = sgdArmijoHyper.parse({ n_batches_per_epoch: 8, init_step_size: 5, eta_max: 4 });
    let theta = problem.theta0();
    let state = alg.init({ ops: problem.ops, f: problem.full }, theta, h);
    let seed = 11;
    let backtracked = 0;
    for (let k = 0; k < 60; k++) {
      const rows = Int32Array.from({ length: 20 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % problem.nTrain);
      const { f, release } = problem.batch(rows);
      const c = { ops: problem.ops, f };
      const out = alg.step(c, theta, state, h);
      const { value: f0, grad } = f.valueAndGrad(theta);
      const eta = out.info.eta as number;
      expect(out.info.accepted).toBe(true);
      expect(eta).toBeLessThanOrEqual(4);
      // Recomputed independently of the step: the batch's f at θₖ₊₁ against the sufficient decrease.
      expect(f.value(out.theta)).toBeLessThanOrEqual(f0 - h.c * eta * problem.ops.sumSquares(grad));
      // θₖ₊₁ = θₖ − η∇f_B(θₖ) exactly (float32 ops).
      expect(problem.ops.distance1(out.theta, problem.ops.addScaled(theta, grad, -eta))).toBe(0);
      backtracked += out.info.backtracks as number;
      release();
      theta = out.theta;
      state = out.state;
    }
    expect(backtracked).toBeGreaterThan(0); // the search did work
    problem.dispose();
  });

  it('reset rules: 0 never grows η, 1 grows it by γ^{1/n_b} before searching, 2 restarts from init_step_size', () => {
    const run = (hyper: Record<string, unknown>) =>
      trajectory(new FusedExperiment(loadExperiment({ ...miniBatch, runs: [{ algorithm: 'sgd-armijo', hyper }] })), 30).infos.map((i) => i.eta as number);
    const keep = run({ reset_option: 0, init_step_size: 20 });
    keep.slice(1).forEach((e, k) => expect(e).toBeLessThanOrEqual(keep[k]));
    const grow = run({ reset_option: 1, init_step_size: 0.01, gamma: 2, n_batches_per_epoch: 2, eta_max: 1000 });
    // A tiny first step is always accepted, and grows by exactly √2 per step until the search bites.
    expect(grow[0]).toBeCloseTo(0.01 * Math.SQRT2, 12);
    expect(grow[1]).toBeCloseTo(0.02, 12);
    const restart = run({ reset_option: 2, init_step_size: 0.5, beta_b: 0.5 });
    restart.forEach((e) => expect([0.5, 0.25, 0.125, 0.0625, 0.03125]).toContain(e));
  });

  it('runs on mini-batches in the fold (CLI path), with switches to and from AGD and Adam', () => {
    const config = loadExperiment({
      ...miniBatch,
      runs: [
        { algorithm: 'sgd-armijo', hyper: { n_batches_per_epoch: 10 } },
        { algorithm: 'adam', hyper: { lr: 0.01 }, switches: [{ at: 20, algorithm: 'sgd-armijo', hyper: {} }, { at: 40, algorithm: 'agd', hyper: {} }] },
      ],
    });
    const res = runFusedExperiment(config, { recordTest: false });
    for (const r of res.runs) {
      expect(r.status, r.message).toBe('done');
      expect(r.losses.at(-1)!).toBeLessThan(r.losses[0] * 0.8);
    }
    expect(res.runs[1].switches.map((s) => s.to)).toEqual(['sgd-armijo', 'agd']);
  });

  it('surrogate: the quadratic with curvature 1/η touches f at θₖ, its minimiser is the step; certified iff the decrease reaches η‖∇f‖²/2', () => {
    for (const c of [0.1, 0.5]) {
      const config = loadExperiment({ ...miniBatch, problem: { ...miniBatch.problem, batchSize: null }, runs: [{ algorithm: 'sgd-armijo', hyper: { c } }] });
      const exp = new FusedExperiment(config);
      let certified = 0;
      for (let k = 0; k < 8; k++) {
        const run = exp.runs[0];
        const p = { c: run.context(exp.problem.full), alg: run.algorithm, theta: run.theta, state: run.state, hyper: run.hyper, layout: exp.problem.layout, release: (o: unknown, n: unknown) => exp.problem.releaseReplaced(o, n) };
        const s = surrogateSlice(p, { points: 9 });
        expect(Math.abs(s.gCurrent - s.fCurrent)).toBeLessThanOrEqual(1e-12 * Math.abs(s.fCurrent) + 1e-12);
        // The minimiser of g along the step is t = 1 (g is a parabola in t with its vertex at the step).
        const iMin = s.g.indexOf(Math.min(...s.g));
        expect(s.t[iMin]).toBe(1);
        const decrease = s.fCurrent - s.fNext;
        const predicted = s.fCurrent - s.gNext; // η‖∇f‖²/2
        if (s.certified) {
          certified++;
          expect(s.certificate).toBe('step');
          expect(s.fNext).toBeLessThanOrEqual(s.gNext + 1e-6 * Math.abs(s.fCurrent));
        } else expect(decrease).toBeLessThan(predicted);
        if (c === 0.5) expect(s.certified).toBe(true);
        exp.step({ withTest: false });
      }
      if (c === 0.5) expect(certified).toBe(8);
      exp.dispose();
    }
  });
});
