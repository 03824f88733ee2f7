import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { parseExperiment, type ExperimentConfig } from '../src/core/config';
import { algorithmIds } from '../src/core/algorithms/registry';
import { DEFAULT_VIEW, decodeShare, encodeShare, MAX_HASH_CHARS } from '../src/ui/share';

function config(): ExperimentConfig {
  const r = parseExperiment({
    version: 1,
    problem: { kind: 'mlp' },
    runs: [{ algorithm: algorithmIds()[0], switches: [{ at: 5, algorithm: algorithmIds()[0], hyper: {} }] }],
    steps: 50,
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

const hashOf = (payload: unknown) => `#v1.${compressToEncodedURIComponent(JSON.stringify(payload))}`;

describe('share links', () => {
  it('round-trips the config (with switches) and the view state', () => {
    const c = config();
    const view = { ...DEFAULT_VIEW, log: false, x: 'wall' as const, speed: 25 };
    const d = decodeShare(encodeShare(c, view));
    expect(d.kind).toBe('ok');
    if (d.kind !== 'ok') return;
    expect(d.config).toEqual(c);
    expect(d.view).toEqual(view);
    expect(d.warnings).toEqual([]);
  });

  it('is compact', () => {
    expect(encodeShare(config(), DEFAULT_VIEW).length).toBeLessThan(600);
  });

  it('reports an empty hash as empty', () => {
    expect(decodeShare('').kind).toBe('empty');
    expect(decodeShare('#').kind).toBe('empty');
  });

  it('explains malformed links', () => {
    const cases = ['#hello', '#v2.abc', '#v1.%%%not-lz', `#v1.${'A'.repeat(MAX_HASH_CHARS + 1)}`, hashOf([1, 2]), hashOf({ x: 1 })];
    for (const h of cases) {
      const d = decodeShare(h);
      expect(d.kind, h.slice(0, 30)).toBe('error');
      if (d.kind === 'error') expect(d.errors.length).toBeGreaterThan(0);
    }
    const notJson = `#v1.${compressToEncodedURIComponent('{"c": ')}`;
    expect(decodeShare(notJson).kind).toBe('error');
  });

  it('names the offending fields of an invalid config', () => {
    const c = config() as unknown as { runs: { hyper: Record<string, unknown> }[]; steps: number };
    c.steps = -3;
    const d = decodeShare(hashOf({ c }));
    expect(d.kind === 'error' && d.errors.join('\n')).toMatch(/^steps: /);
    c.steps = 10;
    c.runs[0].hyper = { lr: -1 };
    const e = decodeShare(hashOf({ c }));
    expect(e.kind === 'error' && e.errors.join('\n')).toMatch(/runs\[0\]\.hyper\.lr/);
  });

  it('keeps a valid config when only the view is bad', () => {
    const d = decodeShare(hashOf({ c: config(), v: { log: 'yes', sel: 99 } }));
    expect(d.kind).toBe('ok');
    if (d.kind === 'ok') {
      expect(d.view).toEqual(DEFAULT_VIEW);
      expect(d.warnings.length).toBe(1);
    }
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        expect(() => decodeShare(s)).not.toThrow();
        expect(() => decodeShare(`#v1.${s}`)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        expect(() => decodeShare(hashOf({ c: v, v }))).not.toThrow();
      }),
    );
  });
});
