/**
 * Penalized β-NMF (Févotte & Idier 2011, §6): f = D_β(V | WH) + l1·Σ H on both engines; the update's
 * H denominator + l1 matches scikit-learn's `mu` solver with alpha_H, l1_ratio = 1 (fixture from
 * tools/sklearn_nmf_penalty_fixture.py: l1 = m·alpha_H, normalizeW 'none'); W's renormalisation keeps WH;
 * a float64 hand computation of one penalized, renormalised iteration; monotone decrease without
 * renormalisation (nmf-mm, nmf-me, nmf-joint-mm); the config field is optional and checked.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nmfJointMM } from '../src/core/algorithms/nmf-joint-mm';
import { nmfME } from '../src/core/algorithms/nmf-me';
import { nmfMM } from '../src/core/algorithms/nmf-mm';
import { mmExponent } from '../src/core/algorithms/nmf-updates';
import { loadExperiment, parseExperiment, type NMFProblemConfig } from '../src/core/config';
import fixture from './fixtures/sklearn-nmf-penalty.json';
import { nmfPair, pairOf, refIteration, runCpu, stepBoth } from './nmf-me-helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('penalty config', () => {
  it('is optional (old configs parse without it), fills normalizeW, refuses bad values with the field', () => {
    const base = { version: 1, problem: { kind: 'nmf', beta: 1 }, runs: [{ algorithm: 'nmf-mm' }] };
    expect('penalty' in (loadExperiment(base).problem as NMFProblemConfig)).toBe(false);
    const p = loadExperiment({ ...base, problem: { ...base.problem, penalty: { l1: 0.5 } } }).problem as NMFProblemConfig;
    expect(p.penalty).toEqual({ l1: 0.5, normalizeW: 'l1' });
    const bad = parseExperiment({ ...base, problem: { ...base.problem, penalty: { l1: -1 } } });
    expect(!bad.ok && bad.errors).toEqual(['problem.penalty.l1: penalty.l1 must be in [0, 1e6]']);
    const norm = parseExperiment({ ...base, problem: { ...base.problem, penalty: { l1: 1, normalizeW: 'max' } } });
    expect(!norm.ok && norm.errors[0]).toMatch(/^problem\.penalty\.normalizeW: penalty\.normalizeW must be 'l1', 'l2' or 'none'/);
  });
});

describe('f includes the penalty on both engines', () => {
  it('f − f(no penalty) = l1·Σ H, and the engines agree', () => {
    const l1 = 0.3;
    const p = nmfPair(1.5, 5, 7, 6, 2, { l1, normalizeW: 'none' });
    const q = nmfPair(1.5, 5, 7, 6, 2);
    try {
      const sumH = p.H0.flat().reduce((a, b) => a + b, 0);
      const t = p.thetaT();
      const fT = p.tfjs.f.value(t);
      tf.dispose(t as unknown as tf.Tensor[]);
      const fC = p.cpu.f.value(p.thetaC);
      expect(Math.abs(fC - (q.cpu.f.value(q.thetaC) + l1 * sumH))).toBeLessThanOrEqual(1e-5 * fC);
      expect(Math.abs(fC - fT)).toBeLessThanOrEqual(1e-5 * fC);
      // ∇_H f gains l1 on the cpu engine (tfjs differentiates the loss itself)
      const gP = Array.from(p.cpu.ops.toArray(p.cpu.f.blockValueAndGrad(p.thetaC, 1).grad));
      const gQ = Array.from(q.cpu.ops.toArray(q.cpu.f.blockValueAndGrad(q.thetaC, 1).grad));
      gP.forEach((g, i) => expect(Math.abs(g - gQ[i] - l1)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(g))));
    } finally {
      p.dispose();
      q.dispose();
    }
  });
});

describe("scikit-learn's mu solver with alpha_H, l1_ratio = 1 (fixture)", () => {
  for (const c of fixture.cases)
    it(`β = ${c.beta}: nmf-mm's objective follows sklearn's for ${c.config.steps} iterations on both engines`, () => {
      const cfg = loadExperiment(c.config).problem as NMFProblemConfig;
      const p = pairOf(cfg);
      try {
        const { cpu, tfjs } = stepBoth(p, nmfMM, {}, c.config.steps);
        const fOf = (ctx: typeof p.cpu, th: number[]) => ctx.f.value(ctx.ops.fromArray(p.thetaC, th));
        for (const k of [0, 1, 2, 5, 10, 50, 100]) {
          const want = c.losses[k];
          expect(Math.abs(fOf(p.cpu, cpu[k]) - want)).toBeLessThanOrEqual(2e-4 * want);
        }
        const fT = tfjs[100];
        const want = [...c.W.flat(), ...c.H.flat()];
        for (const th of [cpu[100], fT]) th.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(5e-3 * (0.01 + Math.abs(want[i]))));
      } finally {
        p.dispose();
      }
    });
});

describe('one penalized, renormalised iteration by hand (float64)', () => {
  for (const [beta, norm] of [[0.5, 'l1'], [1, 'l2'], [2, 'l1'], [3, 'l2']] as const)
    it(`β = ${beta}, normalizeW ${norm}: W ⊙ R_W^γ, H ⊙ (N_H/(D_H + l1))^γ, then unit-norm columns of W`, () => {
      const l1 = 0.7;
      const p = nmfPair(beta, 77, 5, 4, 2, { l1, normalizeW: norm });
      try {
        const g = mmExponent(beta);
        const ref = refIteration(p.V, p.W0, p.H0, beta, (r) => Math.pow(r, g), l1);
        const K = 2;
        for (let k = 0; k < K; k++) {
          const c = norm === 'l1' ? ref.W.reduce((s, r) => s + r[k], 0) : Math.sqrt(ref.W.reduce((s, r) => s + r[k] ** 2, 0));
          ref.W.forEach((r) => (r[k] /= c));
          ref.H[k] = ref.H[k].map((h) => h * c);
        }
        const want = [...ref.W.flat(), ...ref.H.flat()];
        const { cpu, tfjs } = stepBoth(p, nmfMM, {}, 1);
        for (const got of [cpu[1], tfjs[1]]) got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(2e-5 * (1e-3 + Math.abs(want[i]))));
      } finally {
        p.dispose();
      }
    });
});

describe('monotone decrease of the penalized objective (no renormalisation)', () => {
  it('property: nmf-mm, nmf-me (its β), nmf-joint-mm never increase D_β + l1·Σ H', () => {
    fc.assert(
      fc.property(fc.constantFrom(-1, 0, 0.5, 1, 1.5, 2, 3), fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0.01, max: 3, noNaN: true }), (beta, seed, l1) => {
        const p = nmfPair(beta, seed, 6 + (seed % 4), 5 + (seed % 3), 2, { l1, normalizeW: 'none' });
        try {
          const algs: [typeof nmfMM | typeof nmfME | typeof nmfJointMM, object][] = [[nmfMM, {}], [nmfJointMM, { sweeps: 2 }]];
          if (beta !== 1) algs.push([nmfME, { blend: 1 }]);
          for (const [alg, h] of algs) {
            const f = runCpu(p, alg, h, 20);
            f.slice(1).forEach((v, k) => expect(v).toBeLessThanOrEqual(f[k] + 2e-6 * Math.abs(f[k])));
          }
        } finally {
          p.dispose();
        }
      }),
      { numRuns: 16, seed: 4242 },
    );
  });

  it('renormalising W keeps WH: D_β is unchanged by nmf.normalizeW, only the penalty moves', () => {
    const p = nmfPair(1, 9, 6, 5, 2, { l1: 1, normalizeW: 'l2' });
    const q = nmfPair(1, 9, 6, 5, 2);
    try {
      const th = p.cpu.f.nmf!.normalizeW(p.thetaC);
      const d = (x: typeof th) => q.cpu.f.value(x);
      expect(Math.abs(d(th) - d(p.thetaC))).toBeLessThanOrEqual(1e-5 * d(p.thetaC));
      const W = Array.from(p.cpu.ops.toArray(p.cpu.f.block(th, 0)));
      for (let k = 0; k < 2; k++) expect(Math.hypot(...W.filter((_, i) => i % 2 === k))).toBeCloseTo(1, 6);
    } finally {
      p.dispose();
      q.dispose();
    }
  });
});
