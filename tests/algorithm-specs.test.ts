/**
 * The page reads algorithms from spec-registry.ts (no step code), the worker and the CLI run them from
 * registry.ts: the two tables must name the same algorithms, in the same order, each implementation
 * carrying its spec's fields unchanged — otherwise the page would offer, validate or describe an
 * algorithm differently from the one that runs.
 */
import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { ALGORITHM_SPECS, algorithmIds, findAlgorithmSpec } from '../src/core/algorithms/spec-registry';

describe('algorithm specs (the page) and implementations (the worker, the CLI)', () => {
  it('name the same algorithms in the same order', () => {
    expect(Object.keys(ALGORITHMS)).toEqual(algorithmIds());
    expect(algorithmIds().length).toBeGreaterThanOrEqual(18);
  });

  it.each(Object.keys(ALGORITHM_SPECS))('%s: the implementation spreads its spec', (id) => {
    const spec = ALGORITHM_SPECS[id];
    const alg = ALGORITHMS[id] as unknown as Record<string, unknown>;
    expect(spec.id).toBe(id);
    for (const [key, value] of Object.entries(spec)) expect(alg[key], key).toBe(value);
    // The spec holds no step code: only the implementation has init/step/model.
    for (const key of ['init', 'step', 'model']) {
      expect(key in spec, key).toBe(false);
      expect(typeof alg[key], key).toBe('function');
    }
    // The hyper schema is the same object, so its defaults and messages are the same.
    expect(spec.hyper.safeParse({}).success).toBe(true);
  });

  it('refuses ids that are not own keys of the table', () => {
    expect(findAlgorithmSpec('__proto__')).toBeUndefined();
    expect(findAlgorithmSpec('constructor')).toBeUndefined();
    expect(findAlgorithmSpec('nope')).toBeUndefined();
    expect(findAlgorithmSpec('nmf-me')?.betaError?.(1)).toMatch(/closed-form updates only/);
    expect(findAlgorithmSpec('nmf-me')?.betaError?.(2)).toBeNull();
  });
});
