/** Issue 15 point 13: a heavy form (20,000 explicit points) is validated once, not on every edit. */
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, parseExperiment } from '../src/core/config';
import { checkDraft, configToDraft } from '../src/ui/draft';
import { isBigConfig } from '../src/ui/shareLink';

const n = 20_000;
const X = Array.from({ length: n }, (_, i) => [(i % 2) * 2 - 1, ((i >> 1) % 2) * 2 - 1]);
const y = X.map(([a, b]) => (a * b > 0 ? 1 : 0));
const parsed = parseExperiment({ version: CONFIG_VERSION, problem: { kind: 'mlp', hidden: [4], data: { kind: 'explicit', X, y } }, runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }] });
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const config = parsed.config;

describe('heavy forms', () => {
  it('an edit that keeps the problem object reuses its parsed form, with the same result as a full parse', () => {
    const draft = configToDraft(config);
    const edited = { ...draft, runs: draft.runs.map((r) => ({ ...r, hyper: { ...r.hyper, lr: '0.02' } })) };
    const r = checkDraft(edited).result;
    if (!r.ok) throw new Error(r.errors.join('; '));
    // The problem is the one parsed when the link was read (no second parse of the 20,000 rows) …
    expect(r.config.problem).toBe(config.problem);
    // … and the whole config is what a full parse gives.
    const full = parseExperiment(JSON.parse(JSON.stringify({ ...config, runs: [{ algorithm: 'adam', hyper: { lr: 0.02 } }] })));
    expect(full.ok && JSON.stringify(full.config)).toBe(JSON.stringify(r.config));
  });

  it('a change of the problem itself is parsed in full: its errors are found', () => {
    const draft = configToDraft(config);
    const bad = { ...draft, problem: { ...draft.problem, loss: 'softmax_ce' as const, hidden: [4] } };
    const r = checkDraft(bad).result;
    expect(r.ok).toBe(true); // labels 0/1 are valid softmax classes
    const worse = { ...draft, problem: { ...draft.problem, kind: 'mlp' as const, data: { kind: 'explicit' as const, X: X.slice(0, 10), y: y.slice(0, 9) } } };
    const w = checkDraft(worse as never).result;
    expect(w.ok).toBe(false);
    expect(!w.ok && w.errors.join()).toMatch(/problem\.data\.y: has 9 entries but X has 10 rows/);
  });

  it('a big experiment is one whose link is made in the worker', () => {
    expect(isBigConfig(config)).toBe(true);
    const small = parseExperiment({ version: CONFIG_VERSION, problem: { kind: 'mlp' }, runs: [{ algorithm: 'adam' }] });
    expect(small.ok && isBigConfig(small.config)).toBe(false);
  });
});
