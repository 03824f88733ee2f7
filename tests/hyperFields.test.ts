import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { checkHyper, hyperDraft, hyperFields } from '../src/ui/hyperFields';

describe('hyper-parameter forms generated from the zod schemas', () => {
  for (const alg of Object.values(ALGORITHMS)) {
    it(`${alg.id}: the default form validates to the schema's defaults`, () => {
      expect(Array.isArray(hyperFields(alg))).toBe(true);
      const r = checkHyper(alg, hyperDraft(alg));
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) expect(r.hyper).toEqual(alg.hyper.parse({}));
    });
  }

  it('reports field errors by name with the schema message', () => {
    const sgd = ALGORITHMS.sgd;
    const r = checkHyper(sgd, { ...hyperDraft(sgd), lr: '-1' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors.lr).toMatch(/lr must be > 0/);
    const s = checkHyper(sgd, { ...hyperDraft(sgd), lr: 'abc' });
    expect(!s.ok && s.fieldErrors.lr).toMatch(/lr must be a number/);
  });

  it('round-trips non-default values, including number lists', () => {
    for (const alg of Object.values(ALGORITHMS)) {
      const h = alg.hyper.parse({}) as Record<string, unknown>;
      const back = checkHyper(alg, hyperDraft(alg, h));
      expect(back.ok && back.hyper).toEqual(h);
    }
  });
});
