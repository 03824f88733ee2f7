/** Issue 15 point 6: every dataset starts with a noise at which its shape shows. */
import { describe, expect, it } from 'vitest';
import { CLASSIFICATION_DATASETS, makeDataset } from '../src/core/data/datasets';
import { DEFAULT_NOISE, defaultNoise } from '../src/ui/datasetDefaults';

/** Share of points whose 5 nearest neighbours (itself excluded) vote for its own label. */
function knnAgreement(X: number[][], y: number[], k = 5): number {
  let ok = 0;
  for (let i = 0; i < X.length; i++) {
    const near = X.map((x, j) => [(x[0] - X[i][0]) ** 2 + (x[1] - X[i][1]) ** 2, j])
      .sort((a, b) => a[0] - b[0])
      .slice(1, k + 1);
    const votes = new Map<number, number>();
    for (const [, j] of near) votes.set(y[j], (votes.get(y[j]) ?? 0) + 1);
    const best = [...votes].sort((a, b) => b[1] - a[1])[0][0];
    if (best === y[i]) ok++;
  }
  return ok / X.length;
}

const points = (name: (typeof CLASSIFICATION_DATASETS)[number], noise: number) =>
  makeDataset({ kind: 'dataset', name, n: 256, noise, testRatio: 0, classes: 3 } as never, 1).train;

describe('per-dataset default noise', () => {
  it.each(CLASSIFICATION_DATASETS.map((n) => [n]))('%s: its shape shows at the default noise (5-NN agreement ≥ 0.9)', (name) => {
    const d = points(name, DEFAULT_NOISE[name]);
    expect(knnAgreement(d.X, d.y)).toBeGreaterThanOrEqual(0.9);
  });

  it('the spiral at the old shared default (0.15) shows no spiral: the reason for its own default', () => {
    const d = points('spiral', 0.15);
    expect(knnAgreement(d.X, d.y)).toBeLessThan(0.6);
    expect(DEFAULT_NOISE.spiral).toBeLessThan(0.05);
  });

  it('image sets (no generated noise) keep the value they had', () => {
    expect(defaultNoise('digits', 0.1)).toBe(0.1);
    expect(defaultNoise('spiral', 0.1)).toBe(0.03);
  });
});
