/**
 * Issue 16, point 1: β-NMF with β ≤ 0 on near-zero data. Entries of V at or below scikit-learn's
 * EPSILON (2⁻²³ ≈ 1.19e-7, compared in float32) count as zeros in the objective; with β ≤ 0 the
 * divergence is infinite there, so such inputs are refused with the threshold stated, and the
 * objective the lab reports (every engine) is never negative.
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment, parseExperiment, type ExperimentInput } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { runFusedNMFExperiment } from '../src/core/fused';
import { EPSILON, nmfData } from '../src/core/problems/nmf';

const issueConfig = (beta: number, tiny: number): ExperimentInput => ({
  version: 1,
  problem: { kind: 'nmf', beta, rank: 2, data: { kind: 'explicit', V: [[tiny, 1], [1, 1]] } },
  runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
  steps: 50,
});

describe('β ≤ 0 with entries of V at or below EPSILON', () => {
  it.each([
    [0, 1e-8],
    [0, 1e-30],
    [0, 1e-50],
    [0, 1e-320],
    [-0.5, 1e-8],
    [-2, 1e-10],
    [0, EPSILON],
    [0, EPSILON * (1 + 1e-9)], // rounds to EPSILON in float32
  ])('β = %d, V entry %d: refused, the message states the threshold', (beta, tiny) => {
    const r = parseExperiment(issueConfig(beta, tiny));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/1\.19e-7/);
    expect(r.errors.join('\n')).not.toMatch(/small floor/);
  });

  it('just above the threshold is accepted, and every engine reports a nonincreasing, nonnegative objective', () => {
    const config = loadExperiment(issueConfig(0, 1.2e-7));
    for (const result of [runExperiment(config), runFusedNMFExperiment(config)])
      for (const run of result.runs) {
        expect(run.status).toBe('done');
        run.losses.forEach((l, t) => {
          expect(l).toBeGreaterThanOrEqual(0);
          if (t > 0 && run.algorithm === 'nmf-mm') expect(l).toBeLessThanOrEqual(run.losses[t - 1] * (1 + 1e-6));
        });
      }
  });

  it('β > 0 still accepts them, and the updates treat them as the objective does (as zeros)', () => {
    const V = [[1e-8, 1, 0.3], [1, 1, 2], [0.5, 2, 1]];
    for (const beta of [0.5, 1, 1.5, 3]) {
      const p = loadExperiment({ ...issueConfig(beta, 0), problem: { kind: 'nmf', beta, rank: 2, data: { kind: 'explicit', V } } }).problem;
      if (p.kind !== 'nmf') throw new Error('nmf');
      expect(nmfData(p, 1)[0][0]).toBe(0);
    }
    const p2 = loadExperiment({ ...issueConfig(2, 0), problem: { kind: 'nmf', beta: 2, rank: 2, data: { kind: 'explicit', V } } }).problem;
    if (p2.kind !== 'nmf') throw new Error('nmf');
    expect(nmfData(p2, 1)[0][0]).toBe(1e-8); // β = 2 counts every entry as it is
  });

  it('generated data stays above the threshold, so β ≤ 0 runs on it (no uncounted entries)', () => {
    for (let seed = 0; seed < 300; seed++) {
      const p = { kind: 'nmf', beta: 0, rank: 1, data: { kind: 'synthetic', rows: 2, cols: 3, trueRank: 1, noise: 1 } } as const;
      expect(Math.min(...nmfData(p, seed).flat().map(Math.fround))).toBeGreaterThan(EPSILON);
    }
  });
});

describe('the reported β-divergence is never negative', () => {
  it.each([-1, -0.5, 0, 0.5, 1, 1.5, 3])('β = %d, an exact fit (rounding only) on every engine', (beta) => {
    const config = loadExperiment({
      version: 1,
      problem: { kind: 'nmf', beta, rank: 1, data: { kind: 'explicit', V: [[1.7, 3.4], [0.3, 0.6]] }, init: { W0: [[1.7], [0.3]], H0: [[1, 2]] } },
      runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
      steps: 5,
    });
    for (const result of [runExperiment(config), runFusedNMFExperiment(config)])
      for (const run of result.runs) for (const l of run.losses) expect(l).toBeGreaterThanOrEqual(0);
  });
});
