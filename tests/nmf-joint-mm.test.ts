/**
 * nmf-joint-mm (Marmin, Goulart & Févotte 2023): one iteration against a float64 reference written from
 * the joint auxiliary function (P̃, Q̃ at W̃H̃ only; χ₁, χ₂ of the updated W in H's step), the engines
 * agree over several iterations, monotone decrease (property over β), its first W update is nmf-mm's,
 * and the joint H update leaves the joint majorizer no higher than the alternating one would at (W⁺, H̃).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nmfJointMM } from '../src/core/algorithms/nmf-joint-mm';
import { nmfMM } from '../src/core/algorithms/nmf-mm';
import { mmExponent } from '../src/core/algorithms/nmf-updates';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { parseExperiment } from '../src/core/config';
import { nmfPair, runCpu, stepBoth } from './nmf-me-helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BETAS = [-0.5, 0, 0.5, 1, 1.5, 2, 3];

/** One joint-MM iteration in float64, `sweeps` W-then-H block minimisations (no zeros: no guard acts). */
function jointRef(V: number[][], W0: number[][], H0: number[][], beta: number, sweeps: number): number[] {
  const [m, n, K] = [V.length, V[0].length, H0.length];
  const g = mmExponent(beta);
  const Vt = V.map((_, i) => Array.from({ length: n }, (_, j) => W0[i].reduce((s, w, k) => s + w * H0[k][j], 0)));
  const P = Vt.map((r, i) => r.map((y, j) => V[i][j] * y ** (beta - 2)));
  const Q = Vt.map((r) => r.map((y) => y ** (beta - 1)));
  const chi1 = (x: number, xt: number) => (beta > 2 ? x : xt * (x / xt) ** (beta - 1));
  const chi2 = (x: number, xt: number) => (beta < 1 ? x : xt * (x / xt) ** beta);
  let W = W0.map((r) => [...r]);
  let H = H0.map((r) => [...r]);
  for (let s = 0; s < sweeps; s++) {
    const Wn = W0.map((r, i) =>
      r.map((wt, k) => {
        let N = 0;
        let D = 0;
        for (let j = 0; j < n; j++) {
          N += P[i][j] * chi1(H[k][j], H0[k][j]);
          D += Q[i][j] * chi2(H[k][j], H0[k][j]);
        }
        return wt * (N / D) ** g;
      }),
    );
    W = Wn;
    H = H0.map((r, k) =>
      r.map((ht, j) => {
        let N = 0;
        let D = 0;
        for (let i = 0; i < m; i++) {
          N += chi1(W[i][k], W0[i][k]) * P[i][j];
          D += chi2(W[i][k], W0[i][k]) * Q[i][j];
        }
        return ht * (N / D) ** g;
      }),
    );
  }
  void K;
  return [...W.flat(), ...H.flat()];
}

describe('nmf-joint-mm', () => {
  it('is registered with a checked sweeps hyper-parameter', () => {
    expect(ALGORITHMS['nmf-joint-mm']).toBe(nmfJointMM);
    const cfg = (hyper: object) => parseExperiment({ version: 1, problem: { kind: 'nmf', beta: 1 }, runs: [{ algorithm: 'nmf-joint-mm', hyper }] });
    expect(cfg({}).ok).toBe(true);
    const bad = cfg({ sweeps: 0 });
    expect(!bad.ok && bad.errors[0]).toMatch(/^runs\[0\]\.hyper\.sweeps: sweeps must be in \[1, 10\]/);
  });

  for (const beta of BETAS)
    for (const sweeps of [1, 3])
      it(`β = ${beta}, ${sweeps} sweep(s): one iteration = the float64 reference on both engines`, () => {
        const p = nmfPair(beta, 3 + 7 * beta + sweeps, 6, 5, 2);
        try {
          const want = jointRef(p.V, p.W0, p.H0, beta, sweeps);
          const { cpu, tfjs } = stepBoth(p, nmfJointMM, { sweeps }, 1);
          for (const got of [cpu[1], tfjs[1]]) got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(3e-5 * (1e-3 + Math.abs(want[i]))));
        } finally {
          p.dispose();
        }
      });

  for (const beta of BETAS)
    it(`β = ${beta}: the engines give the same iterates over 15 iterations; the first W update is nmf-mm's`, () => {
      const p = nmfPair(beta, 50 + 10 * beta, 9, 7, 3);
      try {
        const { cpu, tfjs } = stepBoth(p, nmfJointMM, { sweeps: 1 }, 15);
        cpu.forEach((th, k) => th.forEach((v, i) => expect(Math.abs(v - tfjs[k][i])).toBeLessThanOrEqual(1e-3 * (1e-3 + Math.abs(v)))));
        const mm = stepBoth(p, nmfMM, {}, 1).cpu[1];
        const mK = 9 * 3;
        cpu[1].slice(0, mK).forEach((v, i) => expect(Math.abs(v - mm[i])).toBeLessThanOrEqual(1e-5 * (1e-3 + Math.abs(v))));
      } finally {
        p.dispose();
      }
    });

  // β on a 1/20 grid of [−1, 3] (a denormal β makes D_β itself NaN: 1/(β(β − 1)) overflows)
  it('property: D_β never increases (β ∈ [−1, 3], 1–3 sweeps)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20, max: 60 }).map((i) => i / 20), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 3 }), (beta, seed, sweeps) => {
        const p = nmfPair(beta, seed, 5 + (seed % 6), 4 + (seed % 5), 1 + (seed % 3));
        try {
          const f = runCpu(p, nmfJointMM, { sweeps }, 25);
          f.slice(1).forEach((v, k) => expect(v).toBeLessThanOrEqual(f[k] + 2e-6 * Math.abs(f[k])));
        } finally {
          p.dispose();
        }
      }),
      { numRuns: 30, seed: 777 },
    );
  });
});
