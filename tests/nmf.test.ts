/**
 * β-NMF: the problem (scikit-learn's _beta_divergence), the MM multiplicative updates ('nmf-mm',
 * sklearn's solver='mu') and the heuristic ones ('nmf-mu'), and the Févotte–Idier auxiliary function.
 * Fixture: tests/fixtures/sklearn-nmf.json, written by `/usr/bin/python3 tools/sklearn_nmf_fixtures.py`
 * (scikit-learn 1.2.1, float64).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nmfMM as nmfMMEngine } from '../src/core/algorithms/nmf-mm';
import { nmfMU as nmfMUEngine } from '../src/core/algorithms/nmf-mu';
import { mmExponent, nmfIterate } from '../src/core/algorithms/nmf-updates';
import { onTfjs } from '../src/core/engines/tfjs/adapter';
import { tfjsNMFOps } from '../src/core/engines/tfjs/nmf-ops';
import { tensorsOf, tfjsVec } from '../src/core/engines/tfjs/vector-ops';
import { getTfjsAlgorithm as getAlgorithm } from '../src/core/engines/tfjs/algorithms';
import { loadExperiment, parseExperiment, type NMFProblemConfig } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { betaDivergence, buildNMF, EPSILON, type NMFProblem } from '../src/core/problems/nmf';
import { buildProblem } from '../src/core/problems/build';
import { Rng } from '../src/core/rng';
import { tfjsSurrogate } from '../src/core/engines/tfjs/adapter';
import { ops, paramsOf, tfjsRun } from './tfjs-run';
import type { Params } from '../src/core/types';

interface FixtureCase {
  name: string;
  gamma: number;
  config: unknown;
  losses: number[];
}
interface DivergenceCase {
  name: string;
  beta: number;
  V: number[][];
  W: number[][];
  H: number[][];
  value: number;
}
const fixture: { sklearn: string; cases: FixtureCase[]; divergences: DivergenceCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/sklearn-nmf.json', import.meta.url), 'utf8'),
);

const SEEDS = { data: 1, init: 2, batch: 3 };
// The algorithms as the tfjs fold runs them (written once against the engine interface, engine/)
const nmfMM = onTfjs(nmfMMEngine);
const nmfMU = onTfjs(nmfMUEngine);

function nmfConfig(beta: number, V: number[][], W0: number[][], H0: number[][]): NMFProblemConfig {
  return { kind: 'nmf', beta, rank: H0.length, data: { kind: 'explicit', V }, init: { W0, H0 } };
}

function lossOf(p: NMFProblem, params: Params): number {
  return tf.tidy(() => p.full.loss(params).dataSync()[0]);
}

/** D_β(V | WH) of plain arrays through the problem's loss. */
function divergence(beta: number, V: number[][], W: number[][], H: number[][]): number {
  return tf.tidy(() =>
    betaDivergence(tf.tensor2d(V), tf.cast(tf.greater(tf.tensor2d(V), EPSILON), 'float32') as tf.Tensor2D, tf.tensor2d(W), tf.tensor2d(H), beta).dataSync()[0],
  );
}

function randomMatrix(rng: Rng, m: number, n: number, lo: number, hi: number): number[][] {
  // log-uniform: entries over two decades
  return Array.from({ length: m }, () => Array.from({ length: n }, () => Math.exp(rng.range(Math.log(lo), Math.log(hi)))));
}

const maxRelErr = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));

describe('scikit-learn mu solver, 200 iterations (float64 reference, float32 here)', () => {
  const measured: Record<string, string> = {};
  for (const c of fixture.cases) {
    it(c.name, () => {
      const r = runExperiment(loadExperiment(c.config));
      const run = r.runs[0];
      expect(run.status).toBe('done');
      expect(run.losses).toHaveLength(c.losses.length);
      const err = maxRelErr(run.losses, c.losses);
      measured[c.name] = err.toExponential(2);
      expect(err).toBeLessThan(1e-4);
    });
  }
  it('(summary of the measured max relative errors)', () => {
    console.log('max relative error vs sklearn over 200 iterations:', measured);
  });
});

describe('D_β(V | WH) = sklearn _beta_divergence', () => {
  it.each(fixture.divergences.map((d) => [d.name, d] as const))('%s', (_name, d) => {
    expect(Math.abs(divergence(d.beta, d.V, d.W, d.H) - d.value)).toBeLessThan(1e-5 * Math.abs(d.value));
  });

  it('closed forms on scalars: ½(x−y)², x log(x/y) − x + y, x/y − log(x/y) − 1, the general formula', () => {
    const d = (beta: number, x: number, y: number): number => divergence(beta, [[x]], [[y]], [[1]]);
    expect(d(2, 3, 1)).toBeCloseTo(2, 6);
    expect(d(1, 2, 1)).toBeCloseTo(2 * Math.log(2) - 1, 6);
    expect(d(0, 2, 1)).toBeCloseTo(1 - Math.log(2), 6);
    expect(d(0.5, 4, 1)).toBeCloseTo((2 - 0.5 - 2) / -0.25, 5); // = 2
    expect(d(3, 1, 2)).toBeCloseTo(5 / 6, 5);
    expect(d(-1, 2, 1)).toBeCloseTo((0.5 - 2 + 2 * 1) / 2, 5); // (x^β + (β−1)y^β − βxy^{β−1})/(β(β−1))
    for (const beta of [-1, 0, 0.5, 1, 1.5, 2, 3]) expect(Math.abs(d(beta, 1.7, 1.7))).toBeLessThan(1e-6);
  });

  it("sklearn's quirks: V ≤ EPSILON is left out of the V-dependent terms; β = 0 still subtracts m·n", () => {
    // β = 1: the zero entry contributes wh = 1
    expect(divergence(1, [[0, 2]], [[1]], [[1, 1]])).toBeCloseTo(1 + 2 * Math.log(2) - 1, 6);
    // β = 0: Σ_{V>ε}(v/wh − log(v/wh)) − m·n = (2 − log 2) − 2 (negative!)
    expect(divergence(0, [[0, 2]], [[1]], [[1, 1]])).toBeCloseTo(-Math.log(2), 6);
    // β = 3: the zero entry contributes wh^β/β
    expect(divergence(3, [[0, 1]], [[1]], [[2, 2]])).toBeCloseTo(8 / 3 + 5 / 6, 5);
  });
});

describe('algorithms and problem', () => {
  it('mmExponent: 1/(2−β) below 1, 1 on [1, 2], 1/(β−1) above 2', () => {
    expect(mmExponent(-1)).toBeCloseTo(1 / 3, 12);
    expect(mmExponent(0)).toBe(0.5);
    expect(mmExponent(0.5)).toBeCloseTo(2 / 3, 12);
    expect([1, 1.5, 2].map(mmExponent)).toEqual([1, 1, 1]);
    expect(mmExponent(3)).toBe(0.5);
    expect(mmExponent(5)).toBe(0.25);
  });

  it('registered, NMF-only, without hyper-parameters', () => {
    expect((getAlgorithm('nmf-mm') as typeof nmfMM).engineAlgorithm).toBe(nmfMMEngine);
    expect((getAlgorithm('nmf-mu') as typeof nmfMU).engineAlgorithm).toBe(nmfMUEngine);
    expect([nmfMM.family, nmfMU.family]).toEqual(['mm', 'gradient']);
    const problem = { kind: 'nmf', data: { kind: 'synthetic', rows: 8, cols: 8 } };
    expect(parseExperiment({ version: 1, problem, runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu', hyper: {} }] }).ok).toBe(true);
    const bad = parseExperiment({ version: 1, problem, runs: [{ algorithm: 'nmf-mm', hyper: { lr: 1 } }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^runs\[0\]\.hyper/);
    const mlp = parseExperiment({ version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'nmf-mu' }] });
    expect(mlp.ok).toBe(false);
    if (!mlp.ok) expect(mlp.errors[0]).toMatch(/runs\[0\]\.algorithm: .*does not apply to mlp/);
  });

  it('synthetic data: seeded, strictly positive; random init like sklearn (avg·|N(0,1)|)', () => {
    const cfg = loadExperiment({ version: 1, problem: { kind: 'nmf', rank: 3, data: { kind: 'synthetic', rows: 20, cols: 15 } }, runs: [{ algorithm: 'nmf-mm' }] });
    const a = buildProblem(cfg) as NMFProblem;
    const b = buildProblem(cfg) as NMFProblem;
    const c = buildProblem({ ...cfg, seeds: { ...cfg.seeds, data: 99 } }) as NMFProblem;
    expect([a.kind, a.rows, a.cols, a.nTrain, a.rank]).toEqual(['nmf', 20, 15, 15, 3]);
    expect(a.paramNames).toEqual(['W', 'H']);
    const Va = a.full.V.arraySync();
    expect(Va).toEqual(b.full.V.arraySync());
    expect(Va).not.toEqual(c.full.V.arraySync());
    expect(Math.min(...Va.flat())).toBeGreaterThan(0);
    const [W, H] = a.initialParams();
    expect(W.shape).toEqual([20, 3]);
    expect(H.shape).toEqual([3, 15]);
    const all = [...(W.arraySync() as number[][]).flat(), ...(H.arraySync() as number[][]).flat()];
    expect(Math.min(...all)).toBeGreaterThanOrEqual(0);
    // E|N(0,1)| = √(2/π): the mean entry is avg·√(2/π) with avg = √(mean(V)/K)
    const avg = Math.sqrt(Va.flat().reduce((s, v) => s + v, 0) / Va.flat().length / 3);
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    expect(mean / (avg * Math.sqrt(2 / Math.PI))).toBeGreaterThan(0.75);
    expect(mean / (avg * Math.sqrt(2 / Math.PI))).toBeLessThan(1.25);
    const batch = a.batch(new Int32Array([0, 1]));
    expect(batch.V).toBe(a.full.V);
    batch.dispose();
    tf.dispose([W, H]);
    [a, b, c].forEach((p) => p.dispose());
  });

  it('spectrogram: deterministic, positive, max 1 (+ floor); IS-NMF on it decreases monotonically', () => {
    const config = loadExperiment({
      version: 1,
      problem: { kind: 'nmf', beta: 0, rank: 4, data: { kind: 'spectrogram', bins: 64, frames: 80 } },
      runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
      steps: 60,
    });
    const p1 = buildProblem(config) as NMFProblem;
    const p2 = buildProblem({ ...config, seeds: { data: 5, init: 6, batch: 7 } }) as NMFProblem;
    const V = p1.full.V.arraySync().flat();
    expect(p2.full.V.arraySync().flat()).toEqual(V);
    expect([p1.rows, p1.cols]).toEqual([64, 80]);
    expect(Math.min(...V)).toBeGreaterThan(0);
    expect(Math.max(...V)).toBeCloseTo(1 + 1e-6, 5);
    p1.dispose();
    p2.dispose();
    const r = runExperiment(config);
    for (const run of r.runs) {
      expect(run.status).toBe('done');
      expect(run.losses[60]).toBeLessThan(0.5 * run.losses[0]);
    }
    const mm = r.runs[0].losses;
    mm.slice(1).forEach((f, k) => expect(f).toBeLessThanOrEqual(mm[k] * (1 + 1e-5)));
  });

  it('nmf-mu is nmf-mm for 1 ≤ β ≤ 2 (exponent 1 either way)', () => {
    const rng = new Rng(3);
    const V = randomMatrix(rng, 6, 5, 0.1, 5);
    const W0 = randomMatrix(rng, 6, 2, 0.1, 2);
    const H0 = randomMatrix(rng, 2, 5, 0.1, 2);
    for (const beta of [1, 1.5, 2]) {
      const r = runExperiment(
        loadExperiment({ version: 1, problem: nmfConfig(beta, V, W0, H0), runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }], steps: 30 }),
      );
      expect(r.runs[1].losses).toEqual(r.runs[0].losses);
    }
  });

  it('heuristic MU can increase the objective for β > 2 where MM decreases (β = 5, one iteration)', () => {
    // Found by a hill-climb on sklearn's own updates with gamma = 1 (float64: 163919 → 172446).
    const V = [[0.06, 20.086, 4.428], [0.055, 0.06, 0.105], [1.224, 0.792, 5.058], [5.343, 0.074, 3.377]];
    const W0 = [[0.985, 0.988], [1.668, 0.069], [3.652, 0.05], [0.05, 16.513]];
    const H0 = [[0.186, 0.075, 0.606], [0.146, 0.102, 0.259]];
    const r = runExperiment(
      loadExperiment({ version: 1, problem: nmfConfig(5, V, W0, H0), runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }], steps: 3 }),
    );
    const [mm, mu] = r.runs.map((run) => run.losses);
    expect(mm[1]).toBeLessThan(mm[0]);
    expect(mu[1]).toBeGreaterThan(1.04 * mu[0]);
    expect(mu[1] / mu[0]).toBeCloseTo(172446 / 163919, 3);
  });
});

/** A random small problem: V, W, H positive, log-uniform over two decades. */
const problemArb = fc.record({
  m: fc.integer({ min: 2, max: 6 }),
  n: fc.integer({ min: 2, max: 6 }),
  K: fc.integer({ min: 1, max: 3 }),
  // β on a grid of 0.05 over [−1, 3]: sklearn's general formula divides by β(β − 1), so within ~1e-3 of
  // 0 or 1 float32 cancellation (not the algorithm) dominates; the exact 0 and 1 use their own formulas.
  beta: fc.integer({ min: -20, max: 60 }).map((i) => i / 20),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

function randomProblem({ m, n, K, beta, seed }: { m: number; n: number; K: number; beta: number; seed: number }): NMFProblem {
  const rng = new Rng(seed);
  return buildNMF(nmfConfig(beta, randomMatrix(rng, m, n, 0.05, 5), randomMatrix(rng, m, K, 0.1, 2), randomMatrix(rng, K, n, 0.1, 2)), SEEDS);
}

describe('the Févotte–Idier auxiliary function (property tests)', () => {
  it('G ≥ f at random H (and W) probes and along the path t ∈ [−0.5, 1.5]; G = f on H = H̃; t = γ minimises G', () => {
    fc.assert(
      fc.property(problemArb, (spec) => {
        const p = randomProblem(spec);
        const params = p.initialParams();
        const g = nmfMM.model(p.full, params, { t: 0 }, {});
        const rng = new Rng(spec.seed ^ 0x5bd1e995);
        try {
          expect(g.certified).toBe(true);
          const fk = lossOf(p, params);
          const tol = (f: number): number => 1e-5 * Math.max(Math.abs(f), Math.abs(fk));
          // touches f at θₖ (rounding only) and at the half-step point θ(0) = (W⁺, H̃) exactly
          expect(Math.abs(g.value(params) - fk)).toBeLessThanOrEqual(tol(fk));
          const p0 = g.path!(0);
          expect(g.value(p0)).toBeCloseTo(lossOf(p, p0), 9);
          const f0 = lossOf(p, p0);
          expect(f0).toBeLessThanOrEqual(fk + tol(fk)); // the W half-step is MM too
          // random probes: multiplicative perturbations of H̃ and fresh positive H, at W⁺ and at a random W
          for (let i = 0; i < 12; i++) {
            const H = tf.tidy(() =>
              i % 3 === 2
                ? tf.tensor2d(randomMatrix(rng, spec.K, spec.n, 0.01, 10))
                : tf.mul(p0[1], tf.tensor2d(randomMatrix(rng, spec.K, spec.n, Math.exp(-2), Math.exp(2)))),
            );
            const W = i % 4 === 3 ? tf.tensor2d(randomMatrix(rng, spec.m, spec.K, 0.05, 3)) : p0[0].clone();
            const q = [W, H];
            const f = lossOf(p, q);
            expect(g.value(q)).toBeGreaterThanOrEqual(f - tol(f));
            tf.dispose(q);
          }
          // along the path: majorizes, and the MM point t = γ is its minimum
          const gamma = mmExponent(spec.beta);
          const pg = g.path!(gamma);
          const gMin = g.value(pg);
          expect(lossOf(p, pg)).toBeLessThanOrEqual(gMin + tol(gMin));
          expect(gMin).toBeLessThanOrEqual(f0 + tol(f0));
          const Hmin = g.minimiser![1].arraySync() as number[][];
          (pg[1].arraySync() as number[][]).flat().forEach((v, j) => expect(Math.abs(v - Hmin.flat()[j])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(v))));
          tf.dispose(pg);
          for (let t = -0.5; t <= 1.5 + 1e-9; t += 0.1) {
            const q = g.path!(t);
            const gv = g.value(q);
            const f = lossOf(p, q);
            expect(gv).toBeGreaterThanOrEqual(f - tol(f));
            expect(gv).toBeGreaterThanOrEqual(gMin - tol(gMin));
            tf.dispose(q);
          }
          tf.dispose(p0);
        } finally {
          g.dispose();
          tf.dispose(params);
          p.dispose();
        }
      }),
      { numRuns: 200, seed: 20240614 },
    );
  });

  it('MM decreases f monotonically over 500 iterations: f(θₖ₊₁) ≤ f(θₖ)(1 + 1e-5)', () => {
    fc.assert(
      fc.property(problemArb, (spec) => {
        const rng = new Rng(spec.seed);
        const problem = nmfConfig(spec.beta, randomMatrix(rng, spec.m, spec.n, 0.05, 5), randomMatrix(rng, spec.m, spec.K, 0.1, 2), randomMatrix(rng, spec.K, spec.n, 0.1, 2));
        const r = runExperiment(loadExperiment({ version: 1, problem, runs: [{ algorithm: 'nmf-mm' }], steps: 500 }));
        const f = r.runs[0].losses;
        expect(r.runs[0].status).toBe('done');
        expect(f).toHaveLength(501);
        // + 1e-7·f(θ₀): float32 noise once the fit is (near) exact (K ≥ min(m, n) gives f → 0)
        f.slice(1).forEach((fk1, k) => expect(fk1).toBeLessThanOrEqual(f[k] * (1 + 1e-5) + 1e-7 * f[0]));
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('nmf-mu shows the same auxiliary function, not certified; its point is t = 1 on the path', () => {
    const p = randomProblem({ m: 5, n: 4, K: 2, beta: 0.5, seed: 11 });
    const params = p.initialParams();
    const g = nmfMU.model(p.full, params, { t: 0 }, {});
    expect(g.certified).toBe(false);
    const out = nmfMU.step(p.full, params, { t: 0 }, {});
    const q = g.path!(1);
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(q[1], out.params[1]))).dataSync()[0]);
    expect(d).toBeLessThan(1e-6);
    const dW = tf.tidy(() => tf.max(tf.abs(tf.sub(q[0], out.params[0]))).dataSync()[0]);
    expect(dW).toBe(0);
    tf.dispose([...q, ...out.params, ...params]);
    g.dispose();
    p.dispose();
  });
});

describe('memory', () => {
  it('tensor count is stable over 2,000 iterations (both algorithms) and surrogate use', () => {
    const p = randomProblem({ m: 8, n: 7, K: 3, beta: 0.5, seed: 1 });
    const before = tf.memory().numTensors;
    for (const id of ['nmf-mm', 'nmf-mu']) {
      const run = tfjsRun(id, id, {}, p);
      const f = ops(p.full, run);
      for (let k = 0; k < 1000; k++) run.step(f);
      expect(run.status).toBe('running');
      for (let k = 0; k < 20; k++) {
        const g = tfjsSurrogate(run.model(f));
        const q = g.path!(0.3);
        g.value(q);
        g.value(paramsOf(run));
        tf.dispose(q);
        g.dispose();
      }
      run.dispose();
    }
    // also the bare iteration helper, 2,000 times
    let [W, H] = p.initialParams() as [tf.Tensor2D, tf.Tensor2D];
    for (let k = 0; k < 2000; k++) {
      const next = tensorsOf(nmfIterate(tfjsNMFOps(p.full), tfjsVec([W, H]), 1)) as [tf.Tensor2D, tf.Tensor2D];
      tf.dispose([W, H]);
      [W, H] = next;
    }
    tf.dispose([W, H]);
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
});
