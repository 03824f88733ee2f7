/**
 * The page's cost estimate (src/ui/cost.ts): multiply-adds of a step counted by hand — a dense net's
 * weights, and a CNN's convolutions (cnn-spec.ts convMacs) with its dense layers, so the "slow steps"
 * hint is right for CNNs.
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment, type ExperimentConfig } from '../src/core/config';
import { forwardMacs, workEstimate } from '../src/ui/cost';

function config(problem: Record<string, unknown>, runs = 1): ExperimentConfig {
  const r = parseExperiment({ version: 1, problem, runs: Array.from({ length: runs }, () => ({ algorithm: 'adam' })) });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

describe('workEstimate', () => {
  it('a dense net on digits: 64·32 + 32·10 weights per point, 3 passes, per mini-batch and run', () => {
    const c = config({ kind: 'mlp', hidden: [32], loss: 'softmax_ce', batchSize: 64, data: { kind: 'dataset', name: 'digits', n: 1797 } }, 2);
    expect(c.problem.kind === 'mlp' && forwardMacs(c.problem)).toBe(64 * 32 + 32 * 10);
    expect(workEstimate(c).macs).toBe(3 * (64 * 32 + 32 * 10) * 64 * 2);
  });

  it('a CNN counts its convolutions: digits 8×8, 4 filters 3×3 → 6×6×4, pool 2 → 3×3×4 = 36 features, then 36-16-10', () => {
    const c = config({ kind: 'mlp', hidden: [16], loss: 'softmax_ce', batchSize: 32, conv: [{ filters: 4, kernel: 3, pool: 2 }], data: { kind: 'dataset', name: 'digits', n: 1797 } });
    const conv = 6 * 6 * 3 * 3 * 1 * 4;
    const dense = 36 * 16 + 16 * 10;
    expect(c.problem.kind === 'mlp' && forwardMacs(c.problem)).toBe(conv + dense);
    expect(workEstimate(c).macs).toBe(3 * (conv + dense) * 32);
  });

  it('an MNIST CNN whose convolutions dominate is heavy on the full set, though its dense layers alone are not', () => {
    // 28×28 → 24×24×32 (5×5 kernel) → pool 2: 12×12×32 → 8×8×32 (5×5×32 kernel) → pool 2: 4×4×32 = 512 → 10.
    const c = config({ kind: 'mlp', hidden: [], loss: 'softmax_ce', batchSize: null, conv: [{ filters: 8, kernel: 5, pool: 2 }, { filters: 16, kernel: 5, pool: 2 }], data: { kind: 'dataset', name: 'mnist', n: 10000 } });
    const conv = 24 * 24 * 25 * 1 * 8 + 8 * 8 * 25 * 8 * 16;
    const dense = 4 * 4 * 16 * 10;
    expect(c.problem.kind === 'mlp' && forwardMacs(c.problem)).toBe(conv + dense);
    const points = c.problem.kind === 'mlp' && c.problem.data.kind === 'dataset' ? Math.round(c.problem.data.n * (1 - c.problem.data.testRatio)) : 0;
    expect(workEstimate(c).heavy).toBe(true);
    expect(3 * dense * points).toBeLessThan(2e9);
  });
});
