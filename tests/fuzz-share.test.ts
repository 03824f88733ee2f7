/**
 * Fuzzing the share-link decoder (issue "Robustness"): a link is untrusted input. Over 10⁴ generated
 * links — random text, damaged real links, and well-formed links carrying hostile configs — decoding never
 * throws, every rejection is a readable message, and whatever is accepted is a validated config.
 */
import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../src/core/config';
import { decodeShare, encodeShare, DEFAULT_VIEW } from '../src/ui/share';

const valid = parseExperiment({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 } },
  runs: [{ algorithm: 'adam', hyper: { lr: 0.01 }, switches: [{ at: 20, algorithm: 'mm-lipschitz' }] }, { algorithm: 'sgd' }],
  steps: 50,
});
if (!valid.ok) throw new Error(valid.errors.join('\n'));
const link = encodeShare(valid.config, { ...DEFAULT_VIEW, log: false }).slice(1);

function check(hash: string): void {
  const r = decodeShare(hash);
  if (r.kind === 'error') {
    expect(r.errors.length).toBeGreaterThan(0);
    r.errors.forEach((e) => {
      expect(typeof e).toBe('string');
      expect(e.length).toBeGreaterThan(5);
      expect(e.length).toBeLessThanOrEqual(400);
    });
  } else if (r.kind === 'ok') {
    // Accepted ⇒ it passes the schema again unchanged (nothing unvalidated slipped through).
    const again = parseExperiment(JSON.parse(JSON.stringify(r.config)));
    expect(again.ok).toBe(true);
  }
}

describe('share-link decoder fuzzing (≥ 10⁴ cases)', () => {
  it('random text, with and without the v1 prefix', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }).map((s) => `v1.${s}`), fc.string({ unit: 'binary', maxLength: 80 })), (s) =>
        check(`#${s}`),
      ),
      { numRuns: 4000 },
    );
  });

  it('real links damaged: truncated, characters replaced, inserted or deleted', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$.%#';
    fc.assert(
      fc.property(
        fc.nat({ max: link.length }),
        fc.constantFrom('truncate', 'replace', 'insert', 'delete'),
        fc.constantFrom(...alphabet.split('')),
        (i, op, ch) => {
          const damaged =
            op === 'truncate' ? link.slice(0, i) : op === 'replace' ? link.slice(0, i) + ch + link.slice(i + 1) : op === 'insert' ? link.slice(0, i) + ch + link.slice(i) : link.slice(0, i) + link.slice(i + 1);
          check(`#${damaged}`);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('well-formed links carrying arbitrary or hostile payloads', () => {
    const hostile = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ c: fc.jsonValue({ maxDepth: 4 }) }),
      fc.record({
        c: fc.record({
          version: fc.constantFrom(1, 2, '1'),
          problem: fc.constantFrom({ kind: 'mlp' }, { kind: 'nmf' }, { kind: 'mlp', hidden: [1e9] }, { __proto__: { kind: 'mlp' } }),
          runs: fc.array(
            fc.record({
              id: fc.constantFrom('<img src=x onerror=alert(1)>', '<script>alert(1)</script>', 'ok', '\u0000'),
              algorithm: fc.constantFrom('adam', '__proto__', 'constructor', 'toString', 'mm-lipschitz', 'nmf-mm'),
              hyper: fc.dictionary(fc.constantFrom('lr', 'betas', '__proto__', 'eps'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
            }),
            { maxLength: 10 },
          ),
          steps: fc.oneof(fc.integer(), fc.double()),
        }),
        v: fc.jsonValue({ maxDepth: 2 }),
      }),
    );
    fc.assert(
      fc.property(hostile, (payload) => check(`#v1.${compressToEncodedURIComponent(JSON.stringify(payload))}`)),
      { numRuns: 3500 },
    );
  });

  it('hostile run ids are refused with a message naming the field', () => {
    const payload = { c: { ...valid.config, runs: [{ ...valid.config.runs[0], id: '<img src=x onerror=alert(1)>' }] } };
    const r = decodeShare(`#v1.${compressToEncodedURIComponent(JSON.stringify(payload))}`);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.errors[0]).toMatch(/^runs\[0\]\.id: run id may not contain/);
  });
});
