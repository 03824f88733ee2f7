/** Issue 15 point 8: words — every setting has a human label and a tooltip; no raw LaTeX in prose; a glossary. */
import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { hyperFields } from '../src/ui/hyperFields';
import { GLOSSARY, hasHyperWords, hyperTooltip, hyperWords, plainText } from '../src/ui/words';

const RAW_TEX = /[_^]\{|\\[a-zA-Z]|\$/;

describe('words', () => {
  it('every hyper-parameter of every algorithm has a human label, a symbol and a meaning', () => {
    const missing: string[] = [];
    for (const [id, alg] of Object.entries(ALGORITHMS))
      for (const f of hyperFields(alg)) {
        if (!hasHyperWords(id, f.name)) missing.push(`${id}.${f.name}`);
        const w = hyperWords(id, f.name);
        expect(w.label).not.toBe(f.name);
        expect(w.meaning.length).toBeGreaterThan(20);
        expect(w.symbol).not.toMatch(RAW_TEX);
        const tip = hyperTooltip(id, f.name);
        expect(tip).toContain(w.label);
        expect(tip).toContain(f.name);
        if (w.symbol !== '—') expect(tip).toContain(w.symbol);
      }
    expect(missing).toEqual([]);
  });

  it('the names the issue lists are explained', () => {
    for (const [alg, name] of [['mm-lipschitz', 'L0'], ['mm-lipschitz', 'maxBacktracks'], ['mm-lipschitz', 'powerIterations'], ['mm-gauss-newton', 'lambda0'], ['mm-gauss-newton', 'maxDirect'], ['mm-gauss-newton', 'cgIterations'], ['mm-gauss-newton', 'cgTolerance']])
      expect(hasHyperWords(alg, name), `${alg}.${name}`).toBe(true);
    expect(hyperWords('mm-lipschitz', 'L0').symbol).toBe('L₀');
  });

  it('no algorithm summary shows raw LaTeX on the page', () => {
    for (const alg of Object.values(ALGORITHMS)) expect(plainText(alg.summary), alg.id).not.toMatch(RAW_TEX);
    expect(ALGORITHMS['mm-lipschitz'].summary).toContain('L_{k−1}'); // the registry's prose, as the old page showed it
    expect(plainText('from L_{k−1}/2, doubling')).toBe('from Lₖ₋₁/2, doubling');
    expect(plainText('x^{2} and \\lambda')).toBe('x² and λ');
    expect(plainText('weight_decay stays')).toBe('weight_decay stays');
  });

  it('has a short glossary for students', () => {
    expect(GLOSSARY.length).toBeGreaterThanOrEqual(8);
    for (const g of GLOSSARY) expect(g.text).not.toMatch(RAW_TEX);
    expect(GLOSSARY.map((g) => g.term).join(' ')).toMatch(/Majorizer/);
  });
});
