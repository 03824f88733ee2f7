/**
 * nmf-me (Févotte & Idier 2011, §5): the closed forms equalize the auxiliary function (checked against a
 * bisection root of G(x) = G(1) in float64, independent of the closed forms), the config refuses other
 * β with the reason, both engines give the same iterates, D_β never increases (property test over the
 * β with closed forms), the surrogate's path holds the MM and the ME points, and ME reaches a given cost
 * in no more iterations than MM on paper-style synthetic data.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nmfME } from '../src/core/algorithms/nmf-me';
import { ME_BETAS } from '../src/core/algorithms/nmf-me-forms';
import { nmfMM } from '../src/core/algorithms/nmf-mm';
import { mmExponent } from '../src/core/algorithms/nmf-updates';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { parseExperiment } from '../src/core/config';
import { nmfPair, refIteration, runCpu, stepBoth, syntheticPair, type RefPoint } from './nmf-me-helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** G(x)/(p·h̃) per entry up to a constant (nmf-me-forms.ts), in float64. */
function Gx(beta: number, r: number, x: number): number {
  if (beta < 1) return x + (r * Math.pow(x, beta - 1)) / (1 - beta);
  if (beta <= 2) return beta === 1 ? x - r * Math.log(x) : Math.pow(x, beta) / beta - (r * Math.pow(x, beta - 1)) / (beta - 1);
  return Math.pow(x, beta) / beta - r * x;
}

/** The other root of G(x) = G(1) by bisection on the far side of the minimiser r^γ (0 if none ≥ 0). */
function meRoot(beta: number, r: number): number {
  const xm = Math.pow(r, mmExponent(beta));
  if (Math.abs(xm - 1) < 1e-14) return 1;
  const target = Gx(beta, r, 1);
  const h = (x: number) => Gx(beta, r, x) - target;
  let [lo, hi] = xm > 1 ? [xm, 2 * xm] : [0, xm];
  if (xm > 1) while (h(hi) < 0) hi *= 2;
  else if (beta >= 1 && h(1e-300) < 0) return 0; // G(0) < G(1): no equalizing point ≥ 0
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if ((h(mid) < 0) === xm > 1) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

describe('nmf-me: registry and config', () => {
  it('is registered, refuses β without closed forms with the reason, and blend outside (0, 1]', () => {
    expect(ALGORITHMS['nmf-me']).toBe(nmfME);
    const cfg = (beta: number, hyper: object = {}) => parseExperiment({ version: 1, problem: { kind: 'nmf', beta, rank: 2 }, runs: [{ algorithm: 'nmf-me', hyper }] });
    for (const beta of ME_BETAS) expect(cfg(beta).ok).toBe(true);
    const bad = cfg(1);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^runs\[0\]\.algorithm: ME .*only for β ∈ \{−1, 0, 1\/2, 3\/2, 2, 3\}.*β = 1/);
    const sw = parseExperiment({ version: 1, problem: { kind: 'nmf', beta: 0.7 }, runs: [{ algorithm: 'nmf-mm', switches: [{ at: 3, algorithm: 'nmf-me' }] }] });
    expect(!sw.ok && sw.errors[0]).toMatch(/^runs\[0\]\.switches\[0\]\.algorithm: ME/);
    const b = cfg(2, { blend: 0 });
    expect(!b.ok && b.errors[0]).toMatch(/blend must be in \(0, 1\]/);
    expect(cfg(2, { blend: 0.5 }).ok).toBe(true);
  });

  it('init refuses a β without closed forms on the engine too', () => {
    const p = nmfPair(1, 3);
    try {
      expect(() => nmfME.init(p.cpu, p.thetaC, { blend: 1 })).toThrow(/closed-form updates only for β/);
    } finally {
      p.dispose();
    }
  });
});

describe('nmf-me: known answer on a tiny matrix (float64 reference by bisection)', () => {
  for (const beta of ME_BETAS)
    it(`β = ${beta}: one iteration (W then H) = the equalizing roots, on both engines`, () => {
      const p = nmfPair(beta, 11, 3, 4, 2);
      try {
        // float64 reference: W ← W ⊙ φ(R_W), then H ← H ⊙ φ(R_H) at the new W, φ by bisection
        const ref: RefPoint = refIteration(p.V, p.W0, p.H0, beta, (r) => meRoot(beta, r));
        const { cpu, tfjs } = stepBoth(p, nmfME, { blend: 1 }, 1);
        const want = [...ref.W.flat(), ...ref.H.flat()];
        for (const got of [cpu[1], tfjs[1]]) got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(2e-5 * (1e-3 + Math.abs(want[i]))));
      } finally {
        p.dispose();
      }
    });
});

describe('nmf-me: the engines agree, and D_β never increases', () => {
  for (const beta of ME_BETAS)
    it(`β = ${beta}: 15 iterations on tfjs and cpu give the same iterates (float32 tolerance)`, () => {
      const p = nmfPair(beta, 21, 9, 7, 3);
      try {
        const { cpu, tfjs } = stepBoth(p, nmfME, { blend: 1 }, 15);
        cpu.forEach((th, k) => th.forEach((v, i) => expect(Math.abs(v - tfjs[k][i])).toBeLessThanOrEqual(1e-3 * (1e-3 + Math.abs(v)))));
      } finally {
        p.dispose();
      }
    });

  it('property: for β with closed forms, random V and θ₀, blend ∈ (0, 1]: f(θₖ₊₁) ≤ f(θₖ) over 25 iterations', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ME_BETAS), fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(1, 0.5), (beta, seed, blend) => {
        const p = nmfPair(beta, seed, 6 + (seed % 5), 5 + (seed % 7), 1 + (seed % 3));
        try {
          const f = runCpu(p, nmfME, { blend }, 25);
          f.slice(1).forEach((v, k) => expect(v).toBeLessThanOrEqual(f[k] + 2e-6 * Math.abs(f[k])));
        } finally {
          p.dispose();
        }
      }),
      { numRuns: 24, seed: 1013 },
    );
  });
});

describe('nmf-me: the surrogate shows the MM and the ME points on one curve', () => {
  for (const beta of ME_BETAS)
    it(`β = ${beta}: path(γ) = the minimiser, g(path(2γ)) = g(path(0)), path(stepT) = the next iterate`, () => {
      const p = nmfPair(beta, 41, 8, 6, 2);
      try {
        const { cpu: C, thetaC } = p;
        const h = { blend: 1 };
        const g = nmfME.model(C, thetaC, nmfME.init(C, thetaC, h), h);
        const gamma = mmExponent(beta);
        expect(g.certified).toBe(true);
        expect(g.stepT).toBe(2 * gamma);
        const g0 = g.value(g.path!(0));
        const gMM = g.value(g.path!(gamma));
        const gME = g.value(g.path!(2 * gamma));
        expect(gMM).toBeLessThanOrEqual(g0);
        // equalized exactly, except (β ≥ 3/2) entries whose far root is negative: clipped to 0, G(0) < G(1)
        if (beta < 1.5) expect(Math.abs(gME - g0)).toBeLessThanOrEqual(1e-5 * Math.abs(g0) + 1e-6);
        else expect(gME).toBeLessThanOrEqual(g0 + 1e-5 * Math.abs(g0));
        expect(gME).toBeGreaterThan(gMM);
        expect(C.f.value(g.path!(2 * gamma))).toBeLessThanOrEqual(gME * (1 + 1e-5));
        const next = nmfME.step(C, thetaC, nmfME.init(C, thetaC, h), h).theta;
        const a = C.ops.toArray(next);
        const b = C.ops.toArray(g.path!(g.stepT!));
        a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-5 * (1e-3 + Math.abs(v))));
        g.dispose();
      } finally {
        p.dispose();
      }
    });
});

describe('nmf-me vs nmf-mm on paper-style synthetic data', () => {
  // Févotte & Idier's simulations: V = W*H* with random nonnegative factors (here gamma(1) entries,
  // log-normal noise 0.1, F = 30, N = 50, K = 5), the same θ₀ for both. Target: MM's cost after 200
  // iterations. For β = 3/2 and 2 the pure ME point is 0 wherever r < 1/3 (1/2), and a multiplicative
  // update never leaves a zero: pure ME then stalls far above MM (measured: β = 2, f₄₀₀ = 5.0e3 against
  // MM's 3.9e2), so those rows use blend = 0.95 (still monotone, see nmf-me.ts).
  for (const [beta, blend] of [[-1, 1], [0, 1], [0.5, 1], [1.5, 0.95], [2, 0.95], [3, 1]])
    it(`β = ${beta}, blend ${blend}: ME reaches MM's 200-iteration cost in no more iterations`, () => {
      const p = syntheticPair(beta, 30, 50, 5, 7);
      try {
        const fMM = runCpu(p, nmfMM, {}, 200);
        const fME = runCpu(p, nmfME, { blend }, 200);
        const target = fMM[200];
        const itMM = fMM.findIndex((v) => v <= target);
        const itME = fME.findIndex((v) => v <= target);
        expect(itME).toBeGreaterThan(0);
        expect(itME).toBeLessThanOrEqual(itMM);
        console.log(`β = ${beta}, blend ${blend}: iterations to MM's f₂₀₀ = ${target.toPrecision(6)}: MM ${itMM}, ME ${itME}`);
      } finally {
        p.dispose();
      }
    });
});
