/**
 * packedArrays.ts: the share-link worker's hand-over. Long number arrays and matrices travel as one
 * Float64Array each and come back as plain arrays with exactly the same values; everything else is
 * left as it is. Coming back, data equal to what the page already holds is the page's own arrays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packArrays, unpackArrays } from '../src/worker/packed-arrays';

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

  it("an echo of the page's own data is the page's arrays, not a copy; different values are a copy", () => {
    const X = Array.from({ length: 500 }, (_, i) => [i, -i]);
    const y = X.map((_, i) => i % 2);
    const sent = { problem: { data: { X, y } } };
    const echo = { type: 'started', config: packArrays(structuredClone(sent)) };
    const back = unpackArrays(structuredClone(echo), { config: sent }) as unknown as { config: typeof sent };
    expect(back.config.problem.data.X).toBe(X);
    expect(back.config.problem.data.y).toBe(y);
    const other = structuredClone(sent);
    other.problem.data.X[499][1] = 7;
    const back2 = unpackArrays(packArrays(other), sent);
    expect(back2.problem.data.X).not.toBe(X);
    expect(back2.problem.data.X[499]).toEqual([499, 7]);
    expect(back2.problem.data.y).toBe(y);
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
