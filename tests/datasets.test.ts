import { describe, expect, it } from 'vitest';
import { DATASETS, makeDataset, datasetClasses } from '../src/core/data/datasets';
import { Rng } from '../src/core/rng';

describe('seeded datasets', () => {
  for (const name of DATASETS) {
    it(`${name}: deterministic, split by testRatio, right shapes and labels`, () => {
      const spec = { name, n: 200, noise: 0.1, testRatio: 0.25, classes: 3 };
      const a = makeDataset(spec, 7);
      const b = makeDataset(spec, 7);
      const c = makeDataset(spec, 8);
      expect(a).toEqual(b);
      expect(a.train.X).not.toEqual(c.train.X);
      expect(a.train.X.length).toBe(150);
      expect(a.test.X.length).toBe(50);
      const d = name === 'sine' ? 1 : 2;
      expect(a.d).toBe(d);
      for (const x of [...a.train.X, ...a.test.X]) {
        expect(x.length).toBe(d);
        x.forEach((v) => expect(Number.isFinite(v)).toBe(true));
      }
      const K = datasetClasses(spec);
      if (K > 0) {
        const labels = new Set([...a.train.y, ...a.test.y]);
        expect([...labels].sort()).toEqual(Array.from({ length: K }, (_, k) => k));
      }
    });
  }

  it('Rng: uniform in [0,1), normal has mean≈0 and variance≈1, permutation is a permutation', () => {
    const r = new Rng(42);
    const u = Array.from({ length: 20000 }, () => r.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const z = Array.from({ length: 20000 }, () => r.normal());
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect([...r.permutation(50)].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
