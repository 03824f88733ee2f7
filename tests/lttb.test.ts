import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lttbIndices, SeriesBuffer } from '../src/ui/lttb';

describe('lttbIndices', () => {
  it('returns every index when the threshold is not below the length', () => {
    const x = [0, 1, 2, 3];
    expect(Array.from(lttbIndices(x, [4, 3, 2, 1], 10))).toEqual([0, 1, 2, 3]);
    expect(Array.from(lttbIndices(x, [4, 3, 2, 1], 4))).toEqual([0, 1, 2, 3]);
  });

  it('keeps the ends, is strictly increasing and has the requested size', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 5, maxLength: 400 }), fc.integer({ min: 3, max: 60 }), (ys, k) => {
        const x = ys.map((_, i) => i);
        const idx = lttbIndices(x, ys, k);
        expect(idx.length).toBe(Math.min(k, ys.length));
        expect(idx[0]).toBe(0);
        expect(idx[idx.length - 1]).toBe(ys.length - 1);
        for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
      }),
    );
  });

  it('keeps a spike and a non-finite point', () => {
    const n = 1000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => 1 / (1 + i));
    y[500] = 50;
    y[777] = NaN;
    const idx = Array.from(lttbIndices(x, y, 50));
    expect(idx).toContain(500);
    expect(idx).toContain(777);
  });
});

describe('SeriesBuffer', () => {
  it('stays bounded over 10^5 appends and keeps the first and last points', () => {
    const b = new SeriesBuffer(2000);
    for (let t = 0; t <= 100_000; t++) b.push(t, t * 0.5, Math.exp(-t / 1e4), 2 * Math.exp(-t / 1e4));
    expect(b.length).toBeLessThanOrEqual(2000);
    expect(b.appended).toBe(100_001);
    expect(b.compactions).toBeGreaterThan(0);
    expect(b.step[0]).toBe(0);
    expect(b.last('step')).toBe(100_000);
    let maxGap = 0;
    for (let i = 1; i < b.length; i++) {
      expect(b.step[i]).toBeGreaterThan(b.step[i - 1]);
      maxGap = Math.max(maxGap, b.step[i] - b.step[i - 1]);
    }
    // Density stays roughly uniform: no region is thinned out by repeated compaction.
    expect(maxGap).toBeLessThanOrEqual(400);
    // Columns stay aligned after compaction.
    for (let i = 0; i < b.length; i++) expect(b.wall[i]).toBe(b.step[i] * 0.5);
    const v = b.view('step', 'loss', 300);
    expect(v.x.length).toBe(300);
    expect(b.nearest(50_000)).toBeGreaterThan(0);
    expect(Math.abs(b.step[b.nearest(50_000)] - 50_000)).toBeLessThan(300);
  });
});
