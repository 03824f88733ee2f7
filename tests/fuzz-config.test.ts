/**
 * Property-based fuzzing of the config schema (the gate every link, file and worker message passes):
 * no input makes parseExperiment throw, and every rejection names a field and a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../src/core/config';
import { algorithmIds } from '../src/core/algorithms/registry';

/** "path: reason" — a field path (letters, digits, dots, [i]) then a non-empty reason. */
const NAMED = /^[A-Za-z_][\w]*(?:\[\d+\]|\.[\w]+)*: \S/;

const valid = {
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64, noise: 0.1, testRatio: 0.25 }, hidden: [8, 8], activation: 'tanh', loss: 'bce', l2: 0 },
  seeds: { data: 1, init: 2, batch: 3 },
  runs: [
    { algorithm: 'adam', hyper: { lr: 0.01, betas: [0.9, 0.999] } },
    { algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9 }, switches: [{ at: 10, algorithm: 'sgd', hyper: { lr: 0.01 } }] },
  ],
  steps: 100,
};

type Path = (string | number)[];
function leafPaths(x: unknown, path: Path = []): Path[] {
  if (Array.isArray(x)) return x.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return [path];
}
function setAt(x: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(x) ? [...x] : { ...(x as object) }) as Record<string | number, unknown>;
  copy[path[0]] = setAt((x as Record<string | number, unknown>)[path[0]], path.slice(1), value);
  return copy;
}

const junk = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 0, 1e308, -0, 2 ** 31, 0.5),
  fc.string(),
  fc.constantFrom('<img src=x onerror=alert(1)>', '__proto__', 'constructor', '', 'adam', 'nmf'),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.double(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);

describe('config schema fuzzing', () => {
  it('arbitrary JSON never throws, and every rejection is a message', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        const r = parseExperiment(v);
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          r.errors.forEach((e) => expect(typeof e).toBe('string'));
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('a valid config with one field replaced by junk is refused with a message naming a field', () => {
    const paths = leafPaths(valid);
    fc.assert(
      fc.property(fc.constantFrom(...paths), junk, (path, value) => {
        const r = parseExperiment(setAt(valid, path, value));
        if (!r.ok) r.errors.forEach((e) => expect(e).toMatch(NAMED));
      }),
      { numRuns: 5000 },
    );
  });

  it('hyper-parameters: random values are either accepted within range or refused naming the field', () => {
    const fields = ['lr', 'momentum', 'dampening', 'weight_decay', 'eps', 'alpha', 'lr_decay', 'betas', 'amsgrad', 'centered', 'nesterov'];
    fc.assert(
      fc.property(fc.constantFrom(...algorithmIds()), fc.constantFrom(...fields), junk, (algorithm, field, value) => {
        const problem = algorithm.startsWith('nmf') ? { kind: 'nmf', data: { kind: 'synthetic', rows: 8, cols: 8 } } : valid.problem;
        const r = parseExperiment({ ...valid, problem, runs: [{ algorithm, hyper: { [field]: value } }] });
        if (r.ok) {
          const h = r.config.runs[0].hyper as Record<string, unknown>;
          // Whatever was accepted is a real, finite setting.
          Object.values(h).flat().forEach((v) => typeof v === 'number' && expect(Number.isFinite(v)).toBe(true));
          if (typeof h.lr === 'number') expect(h.lr).toBeGreaterThan(0);
        } else r.errors.forEach((e) => expect(e).toMatch(NAMED));
      }),
      { numRuns: 3000 },
    );
  });
});
