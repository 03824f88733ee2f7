/**
 * packedArrays.ts: the share-link worker's hand-over. Long number arrays and matrices travel as one
 * Float64Array each and come back as plain arrays with exactly the same values; everything else is
 * left as it is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packArrays, unpackArrays } from '../src/ui/packedArrays';

describe('packArrays / unpackArrays', () => {
  it('a 20,000-point explicit config: X and y each become one Float64Array, and come back equal', () => {
    const X = Array.from({ length: 20_000 }, (_, i) => [Math.sin(i), i % 3 === 0 ? -0 : i / 7]);
    const y = X.map((_, i) => i % 2);
    const config = { version: 1, problem: { kind: 'mlp', hidden: [4, 4], data: { kind: 'explicit', X, y } }, runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }] };
    const packed = packArrays(config) as unknown as { problem: { hidden: number[]; data: { X: { data: Float64Array; cols: number }; y: { data: Float64Array } } } };
    expect(packed.problem.data.X.data).toBeInstanceOf(Float64Array);
    expect(packed.problem.data.X.data.length).toBe(40_000);
    expect(packed.problem.data.X.cols).toBe(2);
    expect(packed.problem.data.y.data.length).toBe(20_000);
    expect(packed.problem.hidden).toEqual([4, 4]); // short arrays stay plain
    const back = unpackArrays(structuredClone(packed)) as unknown as typeof config;
    expect(back).toEqual(config);
    expect(Object.is(back.problem.data.X[0][1], -0)).toBe(true);
  });

  it('round-trips any JSON-like value exactly (ragged rows, mixed arrays and strings left as they are)', () => {
    const num = fc.oneof(fc.double(), fc.integer());
    const value = fc.oneof(
      fc.array(num, { minLength: 60, maxLength: 80 }),
      fc.array(fc.array(num, { minLength: 3, maxLength: 3 }), { minLength: 60, maxLength: 80 }),
      fc.array(fc.array(num, { minLength: 1, maxLength: 3 }), { minLength: 60, maxLength: 70 }),
      fc.array(fc.oneof(num, fc.string()), { minLength: 60, maxLength: 70 }),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), value), (v) => {
        expect(unpackArrays(structuredClone(packArrays({ v, nested: [v] })))).toEqual({ v, nested: [v] });
      }),
      { numRuns: 40 },
    );
  });
});
