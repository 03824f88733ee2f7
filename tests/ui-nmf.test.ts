/** Issue 15 point 7: choosing NMF starts MM next to the heuristic MU; the images name their axes. */
import { describe, expect, it } from 'vitest';
import { checkDraft, defaultProblem, newRun, runsFor } from '../src/ui/draft';
import { nmfAxisNames } from '../src/ui/charts/NMFImages';
import { runFusedExperiment } from '../src/core/fused';

describe('NMF defaults in the page', () => {
  it('switching an MLP setup to NMF gives MM-MU and heuristic MU side by side, on a spectrogram', () => {
    const runs = runsFor('nmf', [newRun('mm-lipschitz'), newRun('adam', { lr: 0.01 })]);
    expect(runs.map((r) => r.algorithm)).toEqual(['nmf-mm', 'nmf-mu']);
    const problem = defaultProblem('nmf');
    expect(problem.kind).toBe('nmf');
    if (problem.kind !== 'nmf') return;
    expect(problem.data.kind).toBe('spectrogram');
    const check = checkDraft({ problem, runs, steps: 50, seeds: { data: 1, init: 2, batch: 3 } } as never).result;
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    // β ≠ 1, 2: the MM exponent differs from 1, so the two runs are not the same curve.
    const [mm, mu] = runFusedExperiment(check.config, { recordTest: false }).runs;
    expect(mm.losses[10]).not.toBe(mu.losses[10]);
  });

  it('keeps runs that apply, and the MLP default runs when coming back from NMF', () => {
    expect(runsFor('nmf', [newRun('nmf-mu')]).map((r) => r.algorithm)).toEqual(['nmf-mu']);
    expect(runsFor('mlp', [newRun('nmf-mm'), newRun('nmf-mu')]).map((r) => r.algorithm)).toEqual(['mm-lipschitz', 'mm-gauss-newton', 'adam']);
  });

  it('names the axes by what V is', () => {
    expect(nmfAxisNames('spectrogram')).toEqual({ rows: 'frequency bin', cols: 'time frame' });
    expect(nmfAxisNames('synthetic')).toEqual({ rows: 'feature', cols: 'sample' });
  });
});
