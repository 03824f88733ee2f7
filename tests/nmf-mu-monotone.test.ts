/**
 * The heuristic MU's monotone claim (Févotte & Idier 2011): proven for β ∈ (0, 1) with the MM auxiliary
 * function — the heuristic point H̃ ⊙ R (t = 1 on the model's path) has G ≤ G(H̃|H̃) — and for
 * 1 ≤ β ≤ 2 where it is the MM update; at β = 0 it is the ME update. `monotone(β)` says exactly that,
 * and for β < 0 or β > 2 the auxiliary function can rise at the heuristic point (no proof there).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nmfME } from '../src/core/algorithms/nmf-me';
import { nmfMU } from '../src/core/algorithms/nmf-mu';
import { nmfPair, runCpu, stepBoth } from './nmf-me-helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** g(path(1)) − g(path(0)) of the heuristic's own model from θ₀: ≤ 0 is G(heuristic) ≤ G(H̃). */
function rise(beta: number, seed: number): { rise: number; scale: number } {
  const p = nmfPair(beta, seed, 6 + (seed % 4), 5 + (seed % 3), 1 + (seed % 3));
  try {
    const g = nmfMU.model(p.cpu, p.thetaC, nmfMU.init(p.cpu, p.thetaC, {}), {});
    const g0 = g.value(g.path!(0));
    const g1 = g.value(g.path!(1));
    g.dispose();
    return { rise: g1 - g0, scale: Math.abs(g0) };
  } finally {
    p.dispose();
  }
}

describe('nmf-mu: the monotone claim matches Févotte & Idier', () => {
  it('monotone(β) is β ∈ [0, 2], and the summary says so', () => {
    for (const [beta, m] of [[-1, false], [-0.01, false], [0, true], [0.3, true], [0.99, true], [1, true], [2, true], [2.01, false], [3, false]] as const)
      expect(nmfMU.monotone(beta), `β = ${beta}`).toBe(m);
    expect(nmfMU.summary).toMatch(/Proven monotone for 0 ≤ β ≤ 2/);
  });

  it('property, β ∈ (0, 1): the heuristic point never raises the auxiliary function, and f never rises', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }).map((i) => i / 100), fc.integer({ min: 1, max: 10_000 }), (beta, seed) => {
        const r = rise(beta, seed);
        expect(r.rise).toBeLessThanOrEqual(2e-6 * r.scale);
        const p = nmfPair(beta, seed, 7, 6, 2);
        try {
          const f = runCpu(p, nmfMU, {}, 30);
          f.slice(1).forEach((v, k) => expect(v).toBeLessThanOrEqual(f[k] + 2e-6 * Math.abs(f[k])));
        } finally {
          p.dispose();
        }
      }),
      { numRuns: 30, seed: 99 },
    );
  });

  it('β < 0 and β > 2: the heuristic point can raise the auxiliary function (so no proof there)', () => {
    for (const beta of [-1, 3]) {
      const rises = Array.from({ length: 12 }, (_, s) => rise(beta, 100 + s).rise);
      expect(Math.max(...rises), `β = ${beta}`).toBeGreaterThan(0);
    }
  });

  it('β = 0: the heuristic update is the ME update (same iterates on both engines)', () => {
    const p = nmfPair(0, 8, 8, 6, 2);
    try {
      const mu = stepBoth(p, nmfMU, {}, 5);
      const me = stepBoth(p, nmfME, { blend: 1 }, 5);
      for (const k of [1, 5])
        for (const e of ['cpu', 'tfjs'] as const) mu[e][k].forEach((v, i) => expect(Math.abs(v - me[e][k][i])).toBeLessThanOrEqual(1e-5 * (1e-3 + Math.abs(v))));
    } finally {
      p.dispose();
    }
  });
});
